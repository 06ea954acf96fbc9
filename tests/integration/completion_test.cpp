// Completion of names from the cluster, through the real kubectl (`kubectl
// __complete llm ...`, which runs kubectl_complete-llm from PATH, as kubectl
// 1.26+ does for plugins) and through a real bash with the script that
// `kubectl llm completion bash` prints.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/run_command.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A PATH directory holding kubectl-llm and kubectl_complete-llm, as an install lays them out.
class PluginPath {
 public:
  PluginPath() : dir_(TestCluster::Get().dir() + "/completion-path-" + std::to_string(::getpid())) {
    std::filesystem::create_directories(dir_);
    std::filesystem::create_symlink(KUBECTL_LLM_BINARY, dir_ + "/kubectl-llm");
    std::filesystem::copy_file(std::string(LLM_SOURCE_DIR) + "/completions/kubectl_complete-llm",
                               dir_ + "/kubectl_complete-llm");
  }
  ~PluginPath() { std::filesystem::remove_all(dir_); }
  std::vector<std::string> Env() const {
    return {"PATH=" + dir_ + ":" + TestCluster::Get().dir() + "/bin:/usr/bin:/bin",
            "KUBECONFIG=" + TestCluster::Get().Kubeconfig("admin"),
            "KUBECACHEDIR=" + TestCluster::Get().dir() + "/kube-cache"};
  }

 private:
  std::string dir_;
};

/// What `kubectl __complete llm WORDS...` prints (candidates, then ":directive").
std::string KubectlComplete(const PluginPath& path, std::vector<std::string> words) {
  std::vector<std::string> argv = {TestCluster::Get().dir() + "/bin/kubectl", "__complete", "llm"};
  argv.insert(argv.end(), words.begin(), words.end());
  CommandOutput out = RunCommand(argv, path.Env());
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  return out.out;
}

TEST_CASE("completion through kubectl: workload names, namespaces, nodes and GPU products from the cluster") {
  PluginPath path;
  ScopedNamespace ns("complete-" + std::to_string(::getpid()));
  CommandOutput served = TestCluster::Get().Plugin(
      "admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--skip-preflight"});
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);

  CHECK(KubectlComplete(path, {"status", "-n", ns.name(), ""}) == "chat\n:4\n");
  CHECK(KubectlComplete(path, {"logs", "-n", ns.name(), "c"}) == "chat\n:4\n");
  CHECK(KubectlComplete(path, {"scale", "-n", ns.name(), "x"}) == ":4\n");
  CHECK(Contains(KubectlComplete(path, {"status", "-n", ""}), ns.name() + "\n"));
  CHECK(Contains(KubectlComplete(path, {"validate-nodes", "gpu-"}), "gpu-node-0\n"));
  CHECK(KubectlComplete(path, {"serve", "x", "--gpu-product", ""}) == "NVIDIA-H100-80GB-HBM3\n:4\n");
  CHECK(KubectlComplete(path, {"serve", "x", "-f", ""}) == ":0\n");  // kubectl then offers files
  // An unreachable server: nothing offered, nothing printed, no wait beyond the connection's refusal.
  CHECK(KubectlComplete(path, {"status", "-s", "https://127.0.0.1:1", ""}) == ":4\n");
  TestCluster::Get().Plugin("admin", {"delete", "chat", "-n", ns.name()});
}

TEST_CASE("completion in a real bash: names from the cluster, and file names where a flag takes a file") {
  PluginPath path;
  ScopedNamespace ns("complete-bash-" + std::to_string(::getpid()));
  CommandOutput served = TestCluster::Get().Plugin(
      "admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--skip-preflight"});
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  const std::string dir = TestCluster::Get().dir() + "/complete-files-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/values.yaml") << "gpus: 1\n";
  std::ofstream(dir + "/tvalues.yaml") << "gpus: 1\n";
  std::filesystem::create_directories(dir + "/templates");

  auto complete = [&](const std::string& words, int cword) {
    const std::string script = "source <(kubectl-llm completion bash)\nCOMP_WORDS=(" + words +
                               ")\nCOMP_CWORD=" + std::to_string(cword) +
                               "\n_kubectl_llm\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    CommandOutput out = RunCommand({"/bin/bash", "--norc", "-c", script}, path.Env());
    REQUIRE_MESSAGE(out.exit_code == 0, out.err);
    return out.out;
  };
  CHECK(complete("kubectl-llm status -n " + ns.name() + " ch", 4) == "chat\n");
  CHECK(complete("kubectl-llm serve x --backend l", 4) == "leaderworkerset\n");
  CHECK(complete("kubectl-llm serve x -f " + dir + "/va", 4) == dir + "/values.yaml\n");
  // --templates takes a directory: the file beside it with the same start is not offered.
  CHECK(complete("kubectl-llm render serve x --templates " + dir + "/t", 5) == dir + "/templates\n");
  std::filesystem::remove_all(dir);
  TestCluster::Get().Plugin("admin", {"delete", "chat", "-n", ns.name()});
}

}  // namespace
}  // namespace llm::testing
