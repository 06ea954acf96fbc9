#include "kube/discovery_document.h"
#include "kube/object_fields.h"

#include <algorithm>

namespace llm::kube {
namespace {
using nlohmann::json;

std::vector<std::string> Strings(const json& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const json& value : *it) {
    if (value.is_string()) out.push_back(value.get<std::string>());
  }
  return out;
}

ApiGroup& GroupEntry(DiscoveryData& out, const std::string& name) {
  for (ApiGroup& group : out.groups) {
    if (group.name == name) return group;
  }
  out.groups.push_back(ApiGroup{name, {}});
  return out.groups.back();
}

void AddVersion(ApiGroup& group, const std::string& version) {
  if (std::find(group.versions.begin(), group.versions.end(), version) == group.versions.end()) {
    group.versions.push_back(version);
  }
}

Error Malformed(const std::string& what, const std::string& why) {
  return Error(ErrorKind::kServer, "malformed discovery document (" + what + "): " + why);
}

// Group, version and resource names are path segments (/apis/GROUP/VERSION/RESOURCE):
// one with a '/' would be read back as another group, version or a subresource
// from kubectl's cache layout, so a document naming one is refused.
bool HasSlash(const std::string& name) { return name.find('/') != std::string::npos; }

// "apps/v1" -> {"apps", "v1"}; "v1" -> {"", "v1"}.
std::pair<std::string, std::string> SplitGroupVersion(const std::string& group_version) {
  auto slash = group_version.find('/');
  if (slash == std::string::npos) return {"", group_version};
  return {group_version.substr(0, slash), group_version.substr(slash + 1)};
}
}  // namespace

std::string GroupVersionString(const std::string& group, const std::string& version) {
  return group.empty() ? version : group + "/" + version;
}

Status AddAggregatedDocument(const json& list, DiscoveryData& out) {
  if (!list.is_object() || !list.contains("items") || !list["items"].is_array()) {
    return Malformed("APIGroupDiscoveryList", "no items array");
  }
  for (const json& item : list["items"]) {
    std::string group_name;
    if (auto metadata = item.find("metadata"); metadata != item.end() && metadata->is_object()) {
      group_name = StringAt(*metadata, {"name"});
    }
    if (HasSlash(group_name)) return Malformed("APIGroupDiscoveryList", "group name \"" + group_name + "\" has a '/'");
    ApiGroup& group = GroupEntry(out, group_name);
    auto versions = item.find("versions");
    if (versions == item.end() || !versions->is_array()) continue;
    for (const json& version_entry : *versions) {
      std::string version = StringAt(version_entry, {"version"});
      if (version.empty()) return Malformed("group " + group_name, "a version without a name");
      if (HasSlash(version)) return Malformed("group " + group_name, "version \"" + version + "\" has a '/'");
      AddVersion(group, version);
      if (StringAt(version_entry, {"freshness"}) == "Stale") {
        // The aggregated API behind this version did not answer; its resources are
        // unknown, not absent.
        out.unavailable.push_back(GroupVersionString(group_name, version));
        continue;
      }
      auto resources = version_entry.find("resources");
      if (resources == version_entry.end() || !resources->is_array()) continue;
      for (const json& entry : *resources) {
        ApiResource resource;
        resource.group = group_name;
        resource.version = version;
        resource.resource = StringAt(entry, {"resource"});
        resource.singular = StringAt(entry, {"singularResource"});
        if (auto kind = entry.find("responseKind"); kind != entry.end() && kind->is_object()) {
          resource.kind = StringAt(*kind, {"kind"});
        }
        std::string scope = StringAt(entry, {"scope"});
        if (scope != "Namespaced" && scope != "Cluster") {
          return Malformed(GroupVersionString(group_name, version) + " " + resource.resource,
                           "scope must be Namespaced or Cluster, got \"" + scope + "\"");
        }
        resource.namespaced = scope == "Namespaced";
        resource.verbs = Strings(entry, "verbs");
        resource.short_names = Strings(entry, "shortNames");
        if (auto subs = entry.find("subresources"); subs != entry.end() && subs->is_array()) {
          for (const json& sub : *subs) resource.subresources.push_back(StringAt(sub, {"subresource"}));
        }
        if (resource.resource.empty() || resource.kind.empty()) {
          return Malformed(GroupVersionString(group_name, version), "a resource without resource or kind");
        }
        if (HasSlash(resource.resource)) {
          return Malformed(GroupVersionString(group_name, version),
                           "resource \"" + resource.resource + "\" has a '/' (subresources are listed apart)");
        }
        out.resources.push_back(std::move(resource));
      }
    }
  }
  return Ok();
}

Status AddLegacyGroups(const json& document, DiscoveryData& out) {
  if (!document.is_object()) return Malformed("group list", "not an object");
  // Found by tests/fuzz/discovery_fuzzer.cpp: an entry without a version used
  // to become version "", which the cache then wrote as a group-version it
  // cannot read back. (A group named "" is the core group: the cache's
  // servergroups.json lists it so, as client-go's ServerGroups does.)
  auto checked_version = [](const std::string& version, const std::string& where) -> Status {
    if (version.empty()) return Malformed(where, "a version without a name");
    if (HasSlash(version)) return Malformed(where, "version \"" + version + "\" has a '/'");
    return Ok();
  };
  if (document.contains("versions") && !document.contains("groups")) {  // /api: APIVersions
    const std::vector<std::string> versions = Strings(document, "versions");
    for (const std::string& version : versions) LLM_RETURN_IF_ERROR(checked_version(version, "APIVersions"));
    ApiGroup& core = GroupEntry(out, "");
    for (const std::string& version : versions) AddVersion(core, version);
    return Ok();
  }
  auto groups = document.find("groups");
  if (groups == document.end() || !groups->is_array()) return Malformed("APIGroupList", "no groups array");
  for (const json& entry : *groups) {
    const std::string name = StringAt(entry, {"name"});
    if (HasSlash(name)) return Malformed("APIGroupList", "group name \"" + name + "\" has a '/'");
    std::vector<std::string> versions;
    if (auto preferred = entry.find("preferredVersion"); preferred != entry.end() && preferred->is_object()) {
      versions.push_back(StringAt(*preferred, {"version"}));
    }
    if (auto listed = entry.find("versions"); listed != entry.end() && listed->is_array()) {
      for (const json& version : *listed) versions.push_back(StringAt(version, {"version"}));
    }
    for (const std::string& version : versions) LLM_RETURN_IF_ERROR(checked_version(version, "group " + name));
    ApiGroup& group = GroupEntry(out, name);
    for (const std::string& version : versions) AddVersion(group, version);
  }
  return Ok();
}

Status AddLegacyResources(const json& list, DiscoveryData& out) {
  if (!list.is_object()) return Malformed("APIResourceList", "not an object");
  std::string group_version = StringAt(list, {"groupVersion"});
  if (group_version.empty()) return Malformed("APIResourceList", "no groupVersion");
  auto [group, version] = SplitGroupVersion(group_version);
  auto resources = list.find("resources");
  if (resources == list.end() || !resources->is_array()) return Ok();  // a version may serve nothing
  std::vector<std::pair<std::string, std::string>> subresources;
  const size_t first = out.resources.size();
  for (const json& entry : *resources) {
    std::string name = StringAt(entry, {"name"});
    if (auto slash = name.find('/'); slash != std::string::npos) {
      subresources.emplace_back(name.substr(0, slash), name.substr(slash + 1));
      continue;
    }
    ApiResource resource;
    resource.group = group;
    resource.version = version;
    resource.resource = name;
    resource.singular = StringAt(entry, {"singularName"});
    resource.kind = StringAt(entry, {"kind"});
    // Not value(), which throws on a field of another type: a server's (or a
    // proxy's) malformed list is an error, never a crash.
    const auto namespaced = entry.find("namespaced");
    if (namespaced != entry.end() && !namespaced->is_boolean()) {
      return Malformed(group_version, "namespaced of resource \"" + name + "\" is not a boolean");
    }
    resource.namespaced = namespaced != entry.end() && namespaced->get<bool>();
    resource.verbs = Strings(entry, "verbs");
    resource.short_names = Strings(entry, "shortNames");
    if (resource.resource.empty() || resource.kind.empty()) {
      return Malformed(group_version, "a resource without name or kind");
    }
    out.resources.push_back(std::move(resource));
  }
  for (const auto& [parent, sub] : subresources) {
    for (size_t i = first; i < out.resources.size(); ++i) {
      if (out.resources[i].resource == parent) out.resources[i].subresources.push_back(sub);
    }
  }
  return Ok();
}

json ToGroupList(const DiscoveryData& data) {
  json groups = json::array();
  std::vector<const ApiGroup*> ordered;
  for (const ApiGroup& group : data.groups) {
    if (group.name.empty())
      ordered.insert(ordered.begin(), &group);
    else
      ordered.push_back(&group);
  }
  for (const ApiGroup* group : ordered) {
    json versions = json::array();
    for (const std::string& version : group->versions) {
      versions.push_back({{"groupVersion", GroupVersionString(group->name, version)}, {"version", version}});
    }
    json entry = {{"name", group->name}, {"versions", versions}};
    if (!versions.empty()) entry["preferredVersion"] = versions.front();
    groups.push_back(std::move(entry));
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

json ToResourceList(const DiscoveryData& data, const std::string& group, const std::string& version) {
  json resources = json::array();
  for (const ApiResource& resource : data.resources) {
    if (resource.group != group || resource.version != version) continue;
    json entry = {{"name", resource.resource},
                  {"singularName", resource.singular},
                  {"namespaced", resource.namespaced},
                  {"kind", resource.kind},
                  {"verbs", resource.verbs}};
    if (!resource.short_names.empty()) entry["shortNames"] = resource.short_names;
    resources.push_back(std::move(entry));
    for (const std::string& sub : resource.subresources) {
      resources.push_back({{"name", resource.resource + "/" + sub},
                           {"singularName", ""},
                           {"namespaced", resource.namespaced},
                           {"kind", resource.kind},
                           {"verbs", json::array()}});
    }
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", GroupVersionString(group, version)},
          {"resources", resources}};
}

}  // namespace llm::kube
