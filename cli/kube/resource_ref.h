// ResourceRef: which API resource (and optionally which object) a request is for.
#pragma once

#include <string>
#include <utility>

namespace llm::kube {

struct ResourceRef {
  std::string group;        ///< "" for the core group, "apps", "leaderworkerset.x-k8s.io"
  std::string version;      ///< "v1"
  std::string resource;     ///< plural resource name from discovery: "deployments"
  std::string ns;           ///< "" for cluster-scoped resources or all namespaces
  std::string name;         ///< "" for collections
  std::string subresource;  ///< "", "status", "scale", "log"

  /// "/api/v1/namespaces/NS/pods/NAME" or "/apis/GROUP/VERSION/...", without a query.
  std::string Path() const;
  /// kubectl's "deployments.apps" (resource, then group when not core).
  std::string GroupResource() const;
};

/// The core/v1 resources the plugin reads itself, by name, instead of a
/// positional ResourceRef{"", "v1", "pods", ns, "", ""}. An empty ns means all
/// namespaces (for a collection); an empty name means the collection.
namespace core {
inline ResourceRef Pods(std::string ns = {}, std::string name = {}) {
  return {"", "v1", "pods", std::move(ns), std::move(name), ""};
}
inline ResourceRef PodLog(std::string ns, std::string name) {
  return {"", "v1", "pods", std::move(ns), std::move(name), "log"};
}
inline ResourceRef Nodes(std::string name = {}) { return {"", "v1", "nodes", "", std::move(name), ""}; }
inline ResourceRef Namespaces(std::string name = {}) { return {"", "v1", "namespaces", "", std::move(name), ""}; }
inline ResourceRef Services(std::string ns, std::string name = {}) {
  return {"", "v1", "services", std::move(ns), std::move(name), ""};
}
inline ResourceRef Secrets(std::string ns, std::string name = {}) {
  return {"", "v1", "secrets", std::move(ns), std::move(name), ""};
}
inline ResourceRef ConfigMaps(std::string ns, std::string name = {}) {
  return {"", "v1", "configmaps", std::move(ns), std::move(name), ""};
}
inline ResourceRef Events(std::string ns) { return {"", "v1", "events", std::move(ns), "", ""}; }
inline ResourceRef PersistentVolumeClaims(std::string ns, std::string name = {}) {
  return {"", "v1", "persistentvolumeclaims", std::move(ns), std::move(name), ""};
}
inline ResourceRef ResourceQuotas(std::string ns, std::string name = {}) {
  return {"", "v1", "resourcequotas", std::move(ns), std::move(name), ""};
}
inline ResourceRef LimitRanges(std::string ns, std::string name = {}) {
  return {"", "v1", "limitranges", std::move(ns), std::move(name), ""};
}
}  // namespace core

}  // namespace llm::kube
