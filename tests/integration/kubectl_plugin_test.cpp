// kubectl finds kubectl-llm on PATH as a plugin, runs it, and completes its
// words through kubectl_complete-llm, as users will install it.
#include <filesystem>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"
#include "util/build_info.h"

namespace llm::testing {
namespace {

CommandOutput KubectlWithPlugin(const std::vector<std::string>& args) {
  const TestCluster& cluster = TestCluster::Get();
  std::string plugin_dir = std::filesystem::path(KUBECTL_LLM_BINARY).parent_path();
  std::string path = plugin_dir + ":" LLM_SOURCE_DIR "/completions:/usr/bin:/bin";
  std::vector<std::string> argv = {cluster.dir() + "/bin/kubectl"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {"PATH=" + path, "KUBECONFIG=" + cluster.Kubeconfig("admin")});
}

TEST_CASE("kubectl plugin list finds kubectl-llm on PATH") {
  CommandOutput r = KubectlWithPlugin({"plugin", "list"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("/kubectl-llm\n") != std::string::npos);
}

TEST_CASE("kubectl llm version runs the plugin") {
  CommandOutput r = KubectlWithPlugin({"llm", "version", "-o", "json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"gitVersion\": \"" + GetBuildInfo().version + "\"") != std::string::npos);
}

TEST_CASE("kubectl completes plugin words through kubectl_complete-llm") {
  CommandOutput r = KubectlWithPlugin({"__complete", "llm", "vers"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("version\n") == 0);
}

}  // namespace
}  // namespace llm::testing
