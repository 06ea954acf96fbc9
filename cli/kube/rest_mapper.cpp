#include "kube/rest_mapper.h"

#include <fmt/format.h>

namespace llm::kube {
namespace {
const ApiResource* FindResource(const DiscoveryData& data, const std::string& group, const std::string& version,
                                std::string_view kind) {
  for (const ApiResource& resource : data.resources) {
    if (resource.group == group && resource.version == version && resource.kind == kind) return &resource;
  }
  return nullptr;
}

const ApiResource* FindPreferred(const DiscoveryData& data, const GroupKind& group_kind) {
  for (const ApiGroup& group : data.groups) {
    if (group.name != group_kind.group) continue;
    for (const std::string& version : group.versions) {
      if (const ApiResource* found = FindResource(data, group.name, version, group_kind.kind)) return found;
    }
  }
  return nullptr;
}

RestMapping ToMapping(const ApiResource& resource) {
  RestMapping mapping;
  mapping.resource.group = resource.group;
  mapping.resource.version = resource.version;
  mapping.resource.resource = resource.resource;
  mapping.kind = resource.kind;
  mapping.namespaced = resource.namespaced;
  return mapping;
}
}  // namespace

std::string GroupKind::ToString() const { return group.empty() ? kind : kind + "." + group; }

GroupKind GroupKindOf(std::string_view api_version, std::string_view kind) {
  auto slash = api_version.find('/');
  std::string group = slash == std::string_view::npos ? "" : std::string(api_version.substr(0, slash));
  return GroupKind{group, std::string(kind)};
}

std::string VersionOf(std::string_view api_version) {
  auto slash = api_version.find('/');
  return std::string(slash == std::string_view::npos ? api_version : api_version.substr(slash + 1));
}

template <typename Finder>
Result<bool> RestMapper::FindWithRefresh(const Finder& find) {
  LLM_ASSIGN_OR_RETURN(const DiscoveryData* data, discovery_.Get());
  if (find(*data)) return true;
  if (discovery_.fresh()) return false;
  discovery_.Invalidate();
  LLM_ASSIGN_OR_RETURN(data, discovery_.Get());
  return find(*data);
}

Result<RestMapping> RestMapper::Map(std::string_view api_version, std::string_view kind) {
  GroupKind group_kind = GroupKindOf(api_version, kind);
  std::string version = VersionOf(api_version);
  RestMapping mapping;
  LLM_ASSIGN_OR_RETURN(bool found, FindWithRefresh([&](const DiscoveryData& data) {
                         const ApiResource* resource = FindResource(data, group_kind.group, version, kind);
                         if (resource != nullptr) mapping = ToMapping(*resource);
                         return resource != nullptr;
                       }));
  if (!found) {
    return Error(ErrorKind::kNotFound, fmt::format("no matches for kind \"{}\" in version \"{}\"", kind, api_version));
  }
  return mapping;
}

Result<RestMapping> RestMapper::MapGroupKind(const GroupKind& group_kind) {
  RestMapping mapping;
  LLM_ASSIGN_OR_RETURN(bool found, FindWithRefresh([&](const DiscoveryData& data) {
                         const ApiResource* resource = FindPreferred(data, group_kind);
                         if (resource != nullptr) mapping = ToMapping(*resource);
                         return resource != nullptr;
                       }));
  if (!found) {
    return Error(ErrorKind::kNotFound,
                 fmt::format("no matches for kind \"{}\" in group \"{}\"", group_kind.kind, group_kind.group));
  }
  return mapping;
}

Result<bool> RestMapper::HasGroupKind(const GroupKind& group_kind) {
  return FindWithRefresh([&](const DiscoveryData& data) { return FindPreferred(data, group_kind) != nullptr; });
}

Result<bool> RestMapper::HasGroup(std::string_view group) {
  return FindWithRefresh([&](const DiscoveryData& data) {
    for (const ApiGroup& entry : data.groups) {
      if (entry.name == group && !entry.versions.empty()) return true;
    }
    return false;
  });
}

}  // namespace llm::kube
