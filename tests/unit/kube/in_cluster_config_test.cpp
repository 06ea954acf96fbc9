#include "kube/in_cluster_config.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const char* name) {
    path = std::filesystem::temp_directory_path() / (std::string(name) + std::to_string(getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST_CASE("in-cluster is possible only with both service variables and a token file") {
  TempDir sa("llm-incluster-");
  Getenv both = MapGetenv({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  CHECK_FALSE(InClusterPossible(both, sa.path.string()));  // no token yet
  std::ofstream(sa.path / "token") << "t";
  CHECK(InClusterPossible(both, sa.path.string()));
  CHECK_FALSE(InClusterPossible(MapGetenv({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}}), sa.path.string()));
  CHECK_FALSE(InClusterPossible(MapGetenv({{"KUBERNETES_SERVICE_PORT", "443"}}), sa.path.string()));
}

TEST_CASE("in-cluster config: token by file (re-read on rotation), CA, namespace default") {
  TempDir sa("llm-incluster2-");
  std::ofstream(sa.path / "token") << "t";
  auto config = InClusterClientConfig(
      MapGetenv({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}}), sa.path.string());
  REQUIRE(config.ok());
  CHECK(config->server == "https://10.96.0.1:443");
  CHECK(config->token.empty());
  CHECK(config->token_file == (sa.path / "token").string());
  CHECK(config->ca_data.empty());
  CHECK(config->ns == "default");

  auto missing = InClusterClientConfig(MapGetenv({}), sa.path.string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message().find("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined") !=
        std::string::npos);
}

}  // namespace
}  // namespace llm::kube
