// ResourceRef: which API resource (and optionally which object) a request is for.
#pragma once

#include <string>

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

}  // namespace llm::kube
