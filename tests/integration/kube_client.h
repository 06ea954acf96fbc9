// Shared by the kube/ integration tests: the product's own client stack
// connected to the test cluster as admin, a namespace per test, and a
// pass-through RestClient that records watch requests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"
#include "kube/client_factory.h"
#include "kube/discovery.h"
#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/io_streams.h"

namespace llm::testing {

/// A namespace of the test's own, removed when the test ends.
class ScopedNamespace {
 public:
  explicit ScopedNamespace(std::string name) : name_(std::move(name)) { TestCluster::Get().CreateNamespace(name_); }
  ~ScopedNamespace() { TestCluster::Get().Kubectl("admin", {"delete", "namespace", name_, "--wait=false"}); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

/// The product's own client stack, as the admin user.
struct Cluster {
  std::istringstream in;
  std::ostringstream out, err;
  std::shared_ptr<kube::RestClient> client;
  std::string server;
  SystemClock clock;
  DiskFileSystem files;
  std::string cache_root;

  Cluster() {
    kube::ConfigFlags flags;
    flags.kubeconfig = TestCluster::Get().Kubeconfig("admin");
    auto connection = kube::Connect(flags, IoStreams{in, out, err});
    REQUIRE_MESSAGE(connection.ok(), (connection.ok() ? "" : connection.error().message()));
    client = connection->client;
    server = connection->config.server;
    cache_root =
        (std::filesystem::temp_directory_path() / ("kube-apply-it-cache-" + std::to_string(::getpid()))).string();
  }
  ~Cluster() {
    std::error_code ec;
    std::filesystem::remove_all(cache_root, ec);
  }
  kube::DiscoveryOptions DiscoveryOpts() const {
    kube::DiscoveryOptions options;
    options.server_url = server;
    options.cache_root = cache_root;
    return options;
  }
};

/// Forwards to the real client and counts watch requests (nothing is answered here).
class CountingClient final : public kube::RestClient {
 public:
  explicit CountingClient(kube::RestClient& inner) : inner_(inner) {}
  std::vector<std::string> watch_paths;
  Result<kube::HttpResponse> Do(kube::HttpRequest request) override { return inner_.Do(std::move(request)); }
  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override {
    watch_paths.push_back(request.path);
    return inner_.Stream(std::move(request), sink);
  }
  Result<nlohmann::json> Get(const kube::ResourceRef& ref) override { return inner_.Get(ref); }
  Result<nlohmann::json> List(const kube::ResourceRef& ref, const kube::ListOptions& options) override {
    return inner_.List(ref, options);
  }
  Result<nlohmann::json> Create(const kube::ResourceRef& ref, const nlohmann::json& object, bool dry_run) override {
    return inner_.Create(ref, object, dry_run);
  }
  Result<kube::AppliedObject> ApplyObject(const kube::ResourceRef& ref, const nlohmann::json& object,
                                          const kube::ApplyOptions& options) override {
    return inner_.ApplyObject(ref, object, options);
  }
  Result<nlohmann::json> MergePatch(const kube::ResourceRef& ref, const nlohmann::json& patch, bool dry_run) override {
    return inner_.MergePatch(ref, patch, dry_run);
  }
  Result<nlohmann::json> JsonPatch(const kube::ResourceRef& ref, const nlohmann::json& operations,
                                   const std::string& field_manager) override {
    return inner_.JsonPatch(ref, operations, field_manager);
  }
  Result<nlohmann::json> Delete(const kube::ResourceRef& ref, const kube::DeleteOptions& options) override {
    return inner_.Delete(ref, options);
  }

 private:
  kube::RestClient& inner_;
};

/// A Deployment of pause containers.
inline nlohmann::json Deployment(const std::string& name, int replicas) {
  nlohmann::json labels = {{"app", name}};
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", labels}}},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec", {{"containers", {{{"name", "main"}, {"image", "registry.k8s.io/pause:3.10"}}}}}}}}}}};
}

}  // namespace llm::testing
