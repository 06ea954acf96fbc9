#include "kube/discovery.h"

#include <algorithm>
#include <regex>

namespace llm::kube {
namespace {
using nlohmann::json;

bool IsAggregated(const HttpResponse& response, const json& body) {
  const std::string content_type = response.Header("Content-Type");
  if (content_type.find("as=APIGroupDiscoveryList") != std::string::npos) return true;
  // A proxy may rewrite the Content-Type; the body's kind is the second witness.
  return body.is_object() && body.value("kind", "") == "APIGroupDiscoveryList";
}

// No answer from the server at all (as opposed to an error it answered with).
bool IsUnreachable(const Error& error) {
  return error.kind() == ErrorKind::kConnection || error.kind() == ErrorKind::kTimeout;
}

std::string ResourcesFile(const std::string& dir, const std::string& group, const std::string& version) {
  return dir + "/" + GroupVersionString(group, version) + "/serverresources.json";
}
}  // namespace

std::string DiscoveryCacheDir(const std::string& cache_root, const std::string& server_url) {
  std::string host = server_url;
  for (const char* scheme : {"https://", "http://"}) {
    if (auto at = host.find(scheme); at != std::string::npos) {
      host.erase(at, std::string(scheme).size());
      break;
    }
  }
  static const std::regex kIllegal(R"([^(\w/.)])");
  return cache_root + "/" + kPluginCacheSubdir + "/discovery/" + std::regex_replace(host, kIllegal, "_");
}

Discovery::Discovery(RestClient& client, FileSystem* files, const Clock& clock, DiscoveryOptions options)
    : client_(client), files_(files), clock_(clock), options_(std::move(options)) {
  if (files_ != nullptr && !options_.cache_root.empty()) {
    cache_dir_ = DiscoveryCacheDir(options_.cache_root, options_.server_url);
  }
}

Result<const DiscoveryData*> Discovery::Get() {
  if (data_) return &*data_;
  if (!bypass_cache_) {
    if (auto cached = ReadCache()) {
      data_ = std::move(cached);
      fresh_ = false;
      return &*data_;
    }
  }
  auto fetched = FetchFromServer();
  if (!fetched.ok()) {
    // kubectl prints a server it cannot reach in its own words, with nothing in front.
    if (IsUnreachable(fetched.error())) return fetched.error();
    return fetched.error().WithContext("discovering the server's API resources");
  }
  data_ = std::move(fetched).value();
  fresh_ = true;
  bypass_cache_ = false;
  WriteCache(*data_);
  return &*data_;
}

void Discovery::Invalidate() {
  data_.reset();
  fresh_ = false;
  bypass_cache_ = true;
}

Result<json> Discovery::GetJson(const std::string& path, const std::string& accept, HttpResponse* response) {
  HttpRequest request;
  request.path = path;
  request.headers = {{"Accept", accept}};
  request.timeout = options_.request_timeout;
  auto answer = client_.Do(std::move(request));
  if (!answer.ok()) return IsUnreachable(answer.error()) ? answer.error() : answer.error().WithContext("GET " + path);
  json body = json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Error(ErrorKind::kServer, "GET " + path + ": the response is not JSON");
  if (response != nullptr) *response = std::move(answer).value();
  return body;
}

Result<bool> Discovery::FetchAggregated(const std::string& path, DiscoveryData& out) {
  HttpResponse response;
  LLM_ASSIGN_OR_RETURN(json body, GetJson(path, kAggregatedDiscoveryAccept, &response));
  if (IsAggregated(response, body)) {
    auto added = AddAggregatedDocument(body, out);
    if (!added.ok()) return added.error().WithContext("GET " + path);
    return true;
  }
  // The server ignored the aggregated types: this body is the legacy document.
  auto added = AddLegacyGroups(body, out);
  if (!added.ok()) return added.error().WithContext("GET " + path);
  return false;
}

Status Discovery::FetchLegacy(DiscoveryData& out) {
  // Every served version, not only the preferred one: a manifest may name any of them.
  std::vector<std::pair<std::string, std::string>> group_versions;
  for (const ApiGroup& group : out.groups) {
    for (const std::string& version : group.versions) group_versions.emplace_back(group.name, version);
  }
  for (const auto& [group, version] : group_versions) {
    bool known = false;
    for (const ApiResource& resource : out.resources) {
      known = known || (resource.group == group && resource.version == version);
    }
    const std::string gv = GroupVersionString(group, version);
    known = known || std::find(out.unavailable.begin(), out.unavailable.end(), gv) != out.unavailable.end();
    if (known) continue;  // came with an aggregated document (resources or Stale)
    const std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    auto body = GetJson(path, "application/json", nullptr);
    if (!body.ok()) {
      // One broken aggregated API (metrics-server down) must not stop discovery.
      if (body.error().kind() == ErrorKind::kConnection) return body.error();
      out.unavailable.push_back(GroupVersionString(group, version));
      continue;
    }
    LLM_RETURN_IF_ERROR(AddLegacyResources(*body, out));
  }
  return Ok();
}

Result<DiscoveryData> Discovery::FetchFromServer() {
  DiscoveryData data;
  LLM_ASSIGN_OR_RETURN(bool core_aggregated, FetchAggregated("/api", data));
  LLM_ASSIGN_OR_RETURN(bool groups_aggregated, FetchAggregated("/apis", data));
  aggregated_ = core_aggregated && groups_aggregated;
  LLM_RETURN_IF_ERROR(FetchLegacy(data));
  return data;
}

std::optional<DiscoveryData> Discovery::ReadCache() const {
  if (cache_dir_.empty()) return std::nullopt;
  const auto now = clock_.Now();
  auto fresh_file = [&](const std::string& path) -> std::optional<json> {
    auto modified = files_->ModifiedTime(path);
    if (!modified.ok() || now - *modified >= options_.ttl) return std::nullopt;
    auto content = files_->ReadFile(path);
    if (!content.ok()) return std::nullopt;
    json parsed = json::parse(*content, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return std::nullopt;
    return parsed;
  };
  auto groups = fresh_file(cache_dir_ + "/servergroups.json");
  if (!groups) return std::nullopt;
  DiscoveryData data;
  if (!AddLegacyGroups(*groups, data).ok()) return std::nullopt;
  for (const ApiGroup& group : data.groups) {
    for (const std::string& version : group.versions) {
      auto resources = fresh_file(ResourcesFile(cache_dir_, group.name, version));
      // A missing or stale part makes the whole cache stale: mixing ages could
      // pair a group list with resources it no longer has.
      if (!resources || !AddLegacyResources(*resources, data).ok()) return std::nullopt;
    }
  }
  return data;
}

void Discovery::WriteCache(const DiscoveryData& data) {
  if (cache_dir_.empty()) return;
  // The cache is an optimisation: failing to write it (read-only home) is not an error.
  DiscoveryData cached = data;
  // Versions the server could not describe are left out, so the next run asks again.
  for (ApiGroup& group : cached.groups) {
    std::erase_if(group.versions, [&](const std::string& version) {
      const std::string gv = GroupVersionString(group.name, version);
      return std::find(data.unavailable.begin(), data.unavailable.end(), gv) != data.unavailable.end();
    });
  }
  for (const ApiGroup& group : cached.groups) {
    for (const std::string& version : group.versions) {
      (void)files_->WriteFile(ResourcesFile(cache_dir_, group.name, version),
                              ToResourceList(cached, group.name, version).dump());
    }
  }
  // Written last: its time stamp vouches for the resource files beside it.
  (void)files_->WriteFile(cache_dir_ + "/servergroups.json", ToGroupList(cached).dump());
}

}  // namespace llm::kube
