// Discovery: what the API server serves, fetched once per process and cached
// on disk in kubectl's file layout (servergroups.json and
// <group>/<version>/serverresources.json, valid for a TTL by file time), but
// in a directory of the plugin's own: <cache>/kubectl-llm/discovery/<host_port>.
// kubectl trusts the files in <cache>/discovery until they expire, and ours
// are not byte for byte what client-go writes, so writing there broke the
// user's kubectl (`kubectl get all`: no resource type "all"). We never write
// into kubectl's directory.
//
// The server is asked for aggregated discovery first (two requests) and the
// response's Content-Type decides which form came back; an older server gets
// the legacy walk (/api, /apis, then one request per group-version).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kube/discovery_document.h"
#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/result.h"

namespace llm::kube {

/// client-go's Accept for aggregated discovery; the parameter order g, v, as matters.
inline constexpr char kAggregatedDiscoveryAccept[] =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json";

struct DiscoveryOptions {
  /// The cluster's server URL from kubeconfig; names the cache directory.
  std::string server_url;
  /// The cache root, from kube::ResolveCacheDir (--cache-dir, $KUBECACHEDIR,
  /// ~/.kube/cache); "" disables the disk cache.
  std::string cache_root;
  /// cli-runtime's current default.
  std::chrono::seconds ttl = std::chrono::hours(6);
  std::chrono::milliseconds request_timeout = std::chrono::seconds(32);
};

/// The plugin's own directory under the cache root, beside kubectl's discovery/ and http/.
inline constexpr char kPluginCacheSubdir[] = "kubectl-llm";

/// <root>/kubectl-llm/discovery/<host_port>: the host part named as kubectl's
/// computeDiscoverCacheDir names it (scheme dropped, characters other than
/// [A-Za-z0-9_/.()] replaced by "_").
std::string DiscoveryCacheDir(const std::string& cache_root, const std::string& server_url);

class Discovery {
 public:
  /// `files` may be null: no disk cache.
  Discovery(RestClient& client, FileSystem* files, const Clock& clock, DiscoveryOptions options);

  /// The server's resources: from memory, else a fresh disk cache, else the server.
  Result<const DiscoveryData*> Get();
  /// Forgets what is known, so the next Get() asks the server and rewrites the cache.
  void Invalidate();
  /// True when the data Get() returns was fetched from the server by this object,
  /// so a refresh-on-no-match is pointless.
  bool fresh() const { return fresh_; }
  /// Which form the server answered with on the last fetch (for -v logging and tests).
  bool served_aggregated() const { return aggregated_; }

 private:
  Result<DiscoveryData> FetchFromServer();
  Result<bool> FetchAggregated(const std::string& path, DiscoveryData& out);
  Status FetchLegacy(DiscoveryData& out);
  std::optional<DiscoveryData> ReadCache() const;
  void WriteCache(const DiscoveryData& data);
  Result<nlohmann::json> GetJson(const std::string& path, const std::string& accept, HttpResponse* response);

  RestClient& client_;
  FileSystem* files_;
  const Clock& clock_;
  DiscoveryOptions options_;
  std::string cache_dir_;
  std::optional<DiscoveryData> data_;
  bool fresh_ = false;
  bool aggregated_ = false;
  bool bypass_cache_ = false;
};

}  // namespace llm::kube
