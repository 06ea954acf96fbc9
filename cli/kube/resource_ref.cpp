#include "kube/resource_ref.h"

namespace llm::kube {

std::string ResourceRef::Path() const {
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (!ns.empty()) path += "/namespaces/" + ns;
  path += "/" + resource;
  if (!name.empty()) path += "/" + name;
  if (!subresource.empty()) path += "/" + subresource;
  return path;
}

std::string ResourceRef::GroupResource() const { return group.empty() ? resource : resource + "." + group; }

}  // namespace llm::kube
