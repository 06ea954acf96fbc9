// The plugin shares kubectl's cache root (--cache-dir, $KUBECACHEDIR,
// ~/.kube/cache) and must never damage what kubectl keeps there: kubectl
// trusts <root>/discovery until it expires, and once read files the plugin had
// written there ("kubectl get all": no resource type "all"). Here the real
// kubectl runs with the same cache dir after every plugin command that reads
// discovery, and must keep working.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

namespace fs = std::filesystem;

struct CacheDir {
  std::string path = TestCluster::Get().dir() + "/kubectl-cache-test";
  CacheDir() { fs::remove_all(path); }
  ~CacheDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

CommandOutput PluginWithCache(const std::string& cache, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {KUBECTL_LLM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {"KUBECONFIG=" + TestCluster::Get().Kubeconfig("admin"), "KUBECACHEDIR=" + cache});
}

CommandOutput KubectlWithCache(const std::string& cache, std::vector<std::string> args) {
  args.insert(args.begin(), "--cache-dir=" + cache);
  return TestCluster::Get().Kubectl("admin", args);
}

/// kubectl's discovery files under the cache root: path -> modification time and content.
std::map<std::string, std::pair<fs::file_time_type, std::string>> KubectlDiscoveryFiles(const std::string& cache) {
  std::map<std::string, std::pair<fs::file_time_type, std::string>> files;
  const fs::path root = fs::path(cache) / "discovery";
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files[entry.path().string()] = {entry.last_write_time(), std::string(std::istreambuf_iterator<char>(in), {})};
  }
  return files;
}

/// The kubectl commands that read discovery from the cache, run after `after`.
void CheckKubectlWorks(const std::string& cache, const std::string& ns, const std::string& after) {
  const std::vector<std::vector<std::string>> commands = {
      {"get", "all", "-n", ns},
      {"api-resources"},
      {"explain", "deployment.spec.replicas"},
      {"get", "leaderworkersets,hpa,pvc", "-n", ns},
  };
  for (const auto& command : commands) {
    CommandOutput out = KubectlWithCache(cache, command);
    CHECK_MESSAGE(out.exit_code == 0, "after `kubectl-llm " << after << "`: kubectl " << command[0] << " "
                                                            << (command.size() > 1 ? command[1] : "") << ": "
                                                            << out.err);
  }
}

TEST_CASE("kubectl keeps working after every plugin command that reads discovery, with the same cache dir") {
  // doctor passes (exit 0) only with the installed CRDs' controllers running.
  for (const char* controller : {"jobset", "lws"}) {
    CommandOutput started = TestCluster::Get().Controller("start", controller);
    REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  }
  ScopedNamespace ns("kubectl-cache");
  CacheDir cache;
  const std::vector<std::vector<std::string>> plugin_commands = {
      {"status", "-A"},
      {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu", "1"},
      {"list", "-n", ns.name()},
      {"diff", "serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu", "2"},
      {"scale", "chat", "--replicas", "2", "-n", ns.name()},
      {"nodes"},
      {"doctor"},
      {"delete", "chat", "-n", ns.name()},
  };
  for (const auto& command : plugin_commands) {
    const std::string name = command[0];
    CommandOutput out = PluginWithCache(cache.path, command);
    CHECK_MESSAGE((out.exit_code == 0 || (name == "diff" && out.exit_code == 1)), name << ": " << out.err);
    // The plugin keeps its own discovery cache beside kubectl's, never in it.
    CHECK(fs::exists(fs::path(cache.path) / "kubectl-llm" / "discovery"));
    CheckKubectlWorks(cache.path, ns.name(), name);
    if (name == "serve") {
      // kubectl scale reads the scale subresource's mapping from the same cache.
      CommandOutput scaled =
          KubectlWithCache(cache.path, {"scale", "deployment/chat", "--replicas=1", "-n", ns.name()});
      CHECK_MESSAGE(scaled.exit_code == 0, scaled.err);
    }
  }
}

TEST_CASE("a discovery cache kubectl wrote is left byte for byte as it was by plugin commands") {
  ScopedNamespace ns("kubectl-cache-kept");
  CacheDir cache;
  REQUIRE(KubectlWithCache(cache.path, {"api-resources"}).exit_code == 0);
  // Aged past any TTL, so a plugin that used kubectl's files would rewrite them now.
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(cache.path) / "discovery")) {
    fs::last_write_time(entry.path(), fs::file_time_type::clock::now() - std::chrono::hours(7));
  }
  const auto before = KubectlDiscoveryFiles(cache.path);
  REQUIRE_FALSE(before.empty());

  // A fresh plugin cache forces the plugin to discover (and write) now.
  fs::remove_all(fs::path(cache.path) / "kubectl-llm");
  CommandOutput status = PluginWithCache(cache.path, {"status", "-n", ns.name()});
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  CommandOutput served =
      PluginWithCache(cache.path, {"serve", "kept", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu", "1"});
  CHECK_MESSAGE(served.exit_code == 0, served.err);
  CHECK(KubectlDiscoveryFiles(cache.path) == before);
  CheckKubectlWorks(cache.path, ns.name(), "serve");
  CHECK(PluginWithCache(cache.path, {"delete", "kept", "-n", ns.name()}).exit_code == 0);
}

}  // namespace
}  // namespace llm::testing
