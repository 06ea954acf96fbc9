// No secret reaches any output, at any -v level, error messages and --wait
// diagnostics included. Distinct secrets are planted everywhere they can come
// from: a kubeconfig bearer token, a client key (inline), an exec plugin's
// output, a Secret the workload references (--hf-token-secret), and --set
// values whose keys say token, secret or password; then every command runs at
// -v=9 and all of its output is searched for each of them. The one place a
// --set value legitimately appears is the manifest itself (render, -o yaml,
// diff), which is what the user asked to see: those are run separately and
// only the other secrets are searched for there.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"
#include "integration/token_kubeconfig.h"
#include "util/base64.h"

namespace llm::testing {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Trimmed(const std::string& s) { return s.substr(0, s.find_last_not_of('\n') + 1); }

std::string Random(const std::string& prefix) {
  static std::mt19937_64 rng(std::random_device{}());
  return prefix + std::to_string(rng());
}

/// Secrets and the forms they may take in output (as planted, base64).
struct Planted {
  std::map<std::string, std::string> forms;  ///< text -> what it is
  void Add(const std::string& what, const std::string& secret) {
    forms[secret] = what;
    forms[Base64Encode(secret)] = what + " (base64)";
  }
  /// What leaked into `text`, "" when nothing did.
  std::string Leaks(const std::string& text, const std::string& except = "") const {
    std::string leaks;
    for (const auto& [secret, what] : forms) {
      if (what.starts_with(except) && !except.empty()) continue;
      if (text.find(secret) != std::string::npos) leaks += what + "; ";
    }
    return leaks;
  }
};

/// A cluster-admin ServiceAccount and a fresh token for it.
std::string AdminToken(const std::string& account, const std::string& ns) {
  const TestCluster& cluster = TestCluster::Get();
  cluster.Kubectl("admin", {"create", "serviceaccount", account, "-n", ns});
  cluster.Kubectl("admin", {"create", "clusterrolebinding", account + "-" + ns, "--clusterrole=cluster-admin",
                            "--serviceaccount=" + ns + ":" + account});
  CommandOutput issued = cluster.Kubectl("admin", {"create", "token", account, "-n", ns, "--duration=1h"});
  REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
  return Trimmed(issued.out);
}

/// Writes `<name>.kubeconfig` (owner-only) for the local cluster with `user` as its credentials.
void WriteKubeconfig(const std::string& name, const std::string& ns, const json& user) {
  const TestCluster& cluster = TestCluster::Get();
  json config = {
      {"apiVersion", "v1"},
      {"kind", "Config"},
      {"clusters",
       {{{"name", "local"},
         {"cluster", {{"server", cluster.Server()}, {"certificate-authority", cluster.dir() + "/pki/ca.crt"}}}}}},
      {"users", {{{"name", "u"}, {"user", user}}}},
      {"contexts", {{{"name", "c"}, {"context", {{"cluster", "local"}, {"user", "u"}, {"namespace", ns}}}}}},
      {"current-context", "c"}};
  { std::ofstream create(cluster.Kubeconfig(name)); }
  std::filesystem::permissions(cluster.Kubeconfig(name),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream(cluster.Kubeconfig(name)) << config.dump(2);
}

TEST_CASE("no planted secret appears in any output of any command at -v=9") {
  const TestCluster& cluster = TestCluster::Get();
  const std::string suffix = std::to_string(::getpid());
  ScopedNamespace ns("secret-leak-" + suffix);
  Planted planted;

  // (1) a bearer token in the kubeconfig.
  const std::string token = AdminToken("leak-token", ns.name());
  planted.Add("kubeconfig token", token);
  ScopedTokenKubeconfig token_user("leak-token-" + suffix, ns.name(), token);

  // (2) a client certificate and key, inline in a kubeconfig.
  const std::string key_pem = ReadFile(cluster.dir() + "/pki/admin.key");
  std::istringstream key_lines(key_pem);
  for (std::string line; std::getline(key_lines, line);) {
    if (!line.starts_with("-----") && line.size() > 16) planted.Add("client key", line);
  }
  planted.Add("client key", key_pem);
  const std::string key_user = "leak-key-" + suffix;
  WriteKubeconfig(key_user, ns.name(),
                  {{"client-certificate-data", Base64Encode(ReadFile(cluster.dir() + "/pki/admin.crt"))},
                   {"client-key-data", Base64Encode(key_pem)}});

  // (3) an exec plugin's output (tests/cluster/exec-credential.sh, its own state).
  const std::string exec_state = cluster.dir() + "/leak-exec-" + suffix;
  std::filesystem::create_directories(exec_state);
  const std::string exec_token = AdminToken("leak-exec", ns.name());
  planted.Add("exec credential", exec_token);
  std::ofstream(exec_state + "/exec-token") << exec_token;
  const std::string exec_user = "leak-exec-" + suffix;
  WriteKubeconfig(exec_user, ns.name(),
                  {{"exec",
                    {{"apiVersion", "client.authentication.k8s.io/v1"},
                     {"command", std::string(LLM_SOURCE_DIR) + "/tests/cluster/exec-credential.sh"},
                     {"args", {exec_state}},
                     {"interactiveMode", "Never"}}}});

  // (4) a Secret the workload references.
  const std::string hf_token = Random("hf_planted_");
  planted.Add("referenced Secret", hf_token);
  REQUIRE(
      cluster
          .Kubectl("admin", {"create", "secret", "generic", "hf", "-n", ns.name(), "--from-literal=token=" + hf_token})
          .exit_code == 0);

  // (5) --set values whose keys say token, secret or password.
  const std::string set_token = Random("set_token_");
  const std::string set_password = Random("set_password_");
  const std::string set_secret = Random("set_secret_");
  planted.Add("--set value", set_token);
  planted.Add("--set value", set_password);
  planted.Add("--set value", set_secret);
  const std::vector<std::string> serve = {"serve",
                                          "chat",
                                          "--model",
                                          "org/m",
                                          "--gpus",
                                          "1",
                                          "--cpu",
                                          "1",
                                          "--hf-token-secret",
                                          "hf",
                                          "--set",
                                          "env.API_TOKEN=" + set_token,
                                          "--set",
                                          "env.DB_PASSWORD=" + set_password,
                                          "--set",
                                          "env.CLIENT_SECRET=" + set_secret};
  auto with = [](std::vector<std::string> base, std::vector<std::string> extra) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  };

  // Every command, as each user; a failing command's messages count too.
  const std::vector<std::vector<std::string>> everything = {
      with(serve, {"--wait", "--timeout", "2m"}),
      with(serve, {"--dry-run=server"}),
      serve,
      {"status"},
      {"status", "chat", "-o", "yaml"},
      {"list"},
      {"scale", "chat", "--replicas", "2"},
      {"scale", "chat", "--replicas", "1", "--current-replicas", "5"},  // refused: a failure message
      {"logs", "chat", "--tail", "2"},
      {"nodes", "-o", "wide"},
      {"doctor"},
      {"version"},
      {"train", "t", "--backend", "indexed-job", "--image", "reg/img:1", "--set", "env.TRAIN_TOKEN=" + set_token,
       "--wait", "--timeout", "2m", "--", "python", "t.py"},
      {"validate-nodes", "gpu-node-0", "--dry-run=server"},
      {"serve", "broken", "--model", "org/m", "--gpus", "1", "--hf-token-secret", "missing", "--set",
       "env.API_TOKEN=" + set_token, "--wait", "--timeout", "5s", "--replicas", "1", "--image-pull-secret", "nope"},
      {"delete", "t", "--wait"},
      {"delete", "broken"},
      {"delete", "chat", "--wait", "--timeout", "2m"},
      {"delete", "chat"},  // gone: an error message
  };
  for (const std::string& user : {token_user.user(), key_user, exec_user}) {
    for (const std::vector<std::string>& args : everything) {
      // The other users run a few, enough to use their credentials in every path.
      if (user != token_user.user() && args[0] != "status" && args[0] != "version" && args[0] != "doctor") continue;
      CommandOutput r = cluster.Plugin(user, with(args, {"-v=9"}));
      INFO(user, ": kubectl llm ", args[0], " ", (args.size() > 1 ? args[1] : ""), " exit ", r.exit_code);
      const std::string leaks = planted.Leaks(r.out + r.err);
      CHECK_MESSAGE(leaks.empty(), "leaked: ", leaks);
    }
  }
  // The manifest itself shows what the user put in it; nothing else may leak there.
  for (const std::vector<std::string>& args :
       {with(serve, {"--dry-run=client", "-o", "yaml", "-v=9"}), with(serve, {"-o", "json", "-v=9"}),
        with({"diff"}, with(serve, {"--replicas", "2", "-v=9"})), with({"render"}, serve)}) {
    CommandOutput r = cluster.Plugin(token_user.user(), args);
    INFO("kubectl llm ", args[0], " exit ", r.exit_code);
    CHECK_MESSAGE(planted.Leaks(r.out + r.err, "--set value").empty(), planted.Leaks(r.out + r.err, "--set value"));
    // ... and the -v log on stderr never shows the --set values.
    CHECK_MESSAGE(planted.Leaks(r.err).empty(), "stderr: ", planted.Leaks(r.err));
  }
  cluster.Plugin("admin", {"delete", "chat", "-n", ns.name()});
  for (const char* binding : {"leak-token-", "leak-exec-"}) {
    cluster.Kubectl("admin", {"delete", "clusterrolebinding", binding + ns.name(), "--ignore-not-found"});
  }
  std::filesystem::remove_all(exec_state);
  std::filesystem::remove(cluster.Kubeconfig(key_user));
  std::filesystem::remove(cluster.Kubeconfig(exec_user));
}

TEST_CASE("a rejected token, a failing exec plugin and a bad key are reported without the credential") {
  const TestCluster& cluster = TestCluster::Get();
  const std::string suffix = std::to_string(::getpid());
  const std::string bogus = Random("bogus_token_");
  ScopedTokenKubeconfig rejected("leak-rejected-" + suffix, "default", bogus);
  CommandOutput r = cluster.Plugin(rejected.user(), {"status", "-v=9"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: You must be logged in to the server") != std::string::npos);
  CHECK(r.err.find(bogus) == std::string::npos);
  CHECK(r.out.find(bogus) == std::string::npos);
}

}  // namespace
}  // namespace llm::testing
