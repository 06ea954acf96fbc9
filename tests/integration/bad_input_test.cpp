// Bad input, as a table: flags, --set values, values files (malformed YAML,
// wrong types, unknown keys, 10 MB, deeply nested), kubeconfigs (missing
// fields, bad base64, unreadable, an exec plugin that prints garbage or hangs),
// names, quantities, --patch documents and --templates directories. Each row
// runs the real binary against the real control plane and asserts the exit
// code, that stderr names the flag or field and what is accepted, and that
// nothing was written (the namespace's objects are counted before and after).
// Every row runs under a 60 s limit and must exit by itself: no crash, no hang.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/namespace_objects.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string what;
  std::vector<std::string> args;  ///< after the binary; "{dir}" is the row files' directory, "{ns}" the namespace
  int exit_code;
  std::vector<std::string> says;  ///< each must be in stderr: the flag or field, and what is accepted
  std::string user = "admin";     ///< a kubeconfig in the cluster dir, or a path under {dir}
};

std::string Expand(std::string text, const std::string& dir, const std::string& ns) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"{dir}", dir}, {"{ns}", ns}}) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  }
  return text;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// The row inputs: values files, patches, kubeconfigs, template directories.
void WriteInputs(const fs::path& dir) {
  const TestCluster& cluster = TestCluster::Get();
  Write(dir / "malformed.yaml", "gpus: [1, 2\nmodel: org/m\n");
  Write(dir / "wrong-type.yaml", "gpus:\n  many: 2\n");
  Write(dir / "unknown-key.yaml", "gpuz: 2\n");
  Write(dir / "list-not-map.yaml", "- gpus: 2\n");
  Write(dir / "env-not-map.yaml", "env: [A, B]\n");
  std::string big = "# 10 MB of values\nargs:\n";
  while (big.size() < 10 * 1024 * 1024) big += "- --flag-that-is-repeated-many-times=value\n";
  Write(dir / "big.yaml", big);
  std::string deep = "env:\n  A: ";
  for (int i = 0; i < 100000; ++i) deep += "[";
  Write(dir / "deep.yaml", deep + "\n");
  Write(dir / "bad-op.json", R"([{"op":"frobnicate","path":"/spec/replicas","value":2}])");
  Write(dir / "bad-path.json", R"([{"op":"replace","path":"/spec/nothing/here","value":2}])");
  Write(dir / "change-kind.yaml", "kind: StatefulSet\n");
  Write(dir / "change-name.json", R"([{"op":"replace","path":"/metadata/name","value":"other"}])");
  Write(dir / "not-a-patch.yaml", "just a string\n");
  // kubeconfigs
  const std::string server = cluster.Server();
  Write(dir / "no-clusters.kubeconfig",
        "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: x\ncontexts:\n- name: c\n  context:\n"
        "    cluster: missing\n    user: u\ncurrent-context: c\n");
  Write(dir / "no-server.kubeconfig",
        "apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    insecure-skip-tls-verify: true\n"
        "users:\n- name: u\n  user:\n    token: x\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
        "current-context: c\n");
  Write(dir / "bad-base64.kubeconfig",
        "apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: " + server +
            "\n    certificate-authority-data: '%%%not base64%%%'\nusers:\n- name: u\n  user:\n    token: x\n"
            "contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\ncurrent-context: c\n");
  Write(dir / "not-yaml.kubeconfig", "clusters: [\n");
  fs::create_directories(dir / "a-directory.kubeconfig");
  auto exec_kubeconfig = [&](const std::string& script) {
    return "apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: " + server +
           "\n    certificate-authority: " + cluster.dir() +
           "/pki/ca.crt\nusers:\n- name: u\n  user:\n    exec:\n"
           "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n      command: " +
           (dir / script).string() +
           "\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
           "current-context: c\n";
  };
  Write(dir / "garbage.sh", "#!/bin/sh\necho 'this is not an ExecCredential'\n");
  Write(dir / "hangs.sh", "#!/bin/sh\nexec sleep 600\n");
  fs::permissions(dir / "garbage.sh", fs::perms::owner_all);
  fs::permissions(dir / "hangs.sh", fs::perms::owner_all);
  Write(dir / "exec-garbage.kubeconfig", exec_kubeconfig("garbage.sh"));
  Write(dir / "exec-hangs.kubeconfig", exec_kubeconfig("hangs.sh"));
  // --templates: a copy of templates/ with one file broken each way.
  const fs::path source = fs::path(LLM_SOURCE_DIR) / "templates";
  for (const char* name : {"invalid-yaml", "missing-partial"}) {
    fs::copy(source, dir / name, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  Write(dir / "invalid-yaml/serve/service.yaml.mustache", "apiVersion: v1\nkind: Service\nmetadata: [oops\n");
  fs::remove(dir / "missing-partial/common/_metadata.mustache");
}

std::vector<Row> Rows() {
  const std::vector<std::string> serve = {"serve", "chat", "-n", "{ns}", "--model", "org/m", "--gpus", "1"};
  auto with = [](std::vector<std::string> base, std::vector<std::string> extra) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  };
  // train's flags, then the command after '--'.
  auto train = [](std::vector<std::string> flags) {
    std::vector<std::string> args = {"train", "t", "-n", "{ns}", "--image", "img:1"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"--", "torchrun", "t.py"});
    return args;
  };
  return {
      // flags
      {"unknown flag", with(serve, {"--gpuz", "2"}), 2, {"--gpuz"}},
      {"unknown command", {"srve", "chat"}, 2, {"srve"}},
      {"--gpus not a number", with(serve, {"--gpus", "two"}), 2, {"--gpus", "two"}},
      {"--gpus negative", with(serve, {"--gpus", "-1"}), 2, {"--gpus"}},
      {"--gpus huge", with(serve, {"--gpus", "100000000000"}), 2, {"--gpus"}},
      {"--replicas negative", with(serve, {"--replicas", "-1"}), 2, {"--replicas"}},
      {"--timeout not a duration", with(serve, {"--wait", "--timeout", "soon"}), 2, {"--timeout", "soon"}},
      {"--dry-run value", with(serve, {"--dry-run=maybe"}), 2, {"--dry-run", "client", "server"}},
      {"-o value", with(serve, {"-o", "xml"}), 2, {"-o", "yaml", "json"}},
      {"--backend value", with(serve, {"--backend", "magic"}), 2, {"--backend", "magic"}},
      {"--engine value", with(serve, {"--engine", "magic"}), 2, {"--engine", "vllm"}},
      {"--autoscale reversed", with(serve, {"--autoscale", "3:1"}), 2, {"--autoscale", "MIN:MAX"}},
      {"--autoscale not a range", with(serve, {"--autoscale", "lots"}), 2, {"--autoscale", "MIN:MAX"}},
      {"-n not a namespace name", {"status", "-n", "Bad_NS"}, 2, {"-n/--namespace", "DNS-1123"}},
      {"--request-timeout", {"status", "-n", "{ns}", "--request-timeout", "soon"}, 2, {"--request-timeout"}},
      {"scale without a target", {"scale", "chat", "-n", "{ns}"}, 2, {"--replicas", "--min"}},
      {"scale --replicas negative", {"scale", "chat", "-n", "{ns}", "--replicas", "-2"}, 2, {"--replicas"}},
      // elastic training (train --nodes MIN:MAX, scale --nodes)
      {"train --nodes MIN above MAX",
       train({"--nodes", "4:2", "--checkpoint", "ckpt:/ckpt"}),
       2,
       {"--nodes", "MIN:MAX", "1 <= MIN <= MAX", "'4:2'"}},
      {"train --nodes 0", train({"--nodes", "0:2", "--checkpoint", "ckpt:/ckpt"}), 2, {"--nodes", "MIN:MAX", "'0:2'"}},
      {"train --nodes not a number", train({"--nodes", "two:four"}), 2, {"--nodes", "MIN:MAX", "'two:four'"}},
      {"train elastic without --checkpoint",
       train({"--nodes", "2:4"}),
       2,
       {"--nodes 2:4", "--checkpoint PVC:MOUNT", "ReadWriteMany"}},
      {"train --rdzv-timeout without elastic", train({"--rdzv-timeout", "5m"}), 2, {"--rdzv-timeout", "MIN:MAX"}},
      {"scale --nodes 0", {"scale", "t", "-n", "{ns}", "--nodes", "0"}, 2, {"--nodes", "1 or more"}},
      {"scale --nodes with --replicas",
       {"scale", "t", "-n", "{ns}", "--nodes", "2", "--replicas", "2"},
       2,
       {"--nodes", "--replicas"}},
      {"scale --wait without --nodes",
       {"scale", "chat", "-n", "{ns}", "--replicas", "2", "--wait"},
       2,
       {"--wait", "--nodes"}},
      {"logs --tail below -1", {"logs", "chat", "-n", "{ns}", "--tail", "-5"}, 2, {"--tail"}},
      {"validate-nodes --max-parallel 0", {"validate-nodes", "--max-parallel", "0"}, 2, {"--max-parallel"}},
      {"validate-nodes --profile", {"validate-nodes", "--profile", "fastest"}, 2, {"--profile", "quick", "full"}},
      // --set values
      {"--set without '='", with(serve, {"--set", "gpus"}), 2, {"--set", "path=value"}},
      {"--set unknown key", with(serve, {"--set", "gpuz=2"}), 2, {"gpuz"}},
      {"--set list index past the end", with(serve, {"--set", "args[5]=x"}), 2, {"--set args[5]", "appends"}},
      {"--set map without a key", with(serve, {"--set", "nodeSelector=x"}), 2, {"--set nodeSelector", ".KEY=VALUE"}},
      {"--set env name invalid", with(serve, {"--set", "env.1BAD=x"}), 2, {"1BAD"}},
      {"--set a token secret name invalid",
       with(serve, {"--hf-token-secret", "Bad_Name"}),
       2,
       {"--hf-token-secret", "Bad_Name"}},
      // values files
      {"values file: malformed YAML", with(serve, {"-f", "{dir}/malformed.yaml"}), 2, {"malformed.yaml"}},
      {"values file: wrong type", with(serve, {"-f", "{dir}/wrong-type.yaml"}), 2, {"wrong-type.yaml", "gpus"}},
      {"values file: unknown key", with(serve, {"-f", "{dir}/unknown-key.yaml"}), 2, {"unknown-key.yaml", "gpuz"}},
      {"values file: a list, not a mapping",
       with(serve, {"-f", "{dir}/list-not-map.yaml"}),
       2,
       {"list-not-map.yaml", "mapping"}},
      {"values file: env as a list", with(serve, {"-f", "{dir}/env-not-map.yaml"}), 2, {"env-not-map.yaml", "env"}},
      {"values file: 10 MB", with(serve, {"-f", "{dir}/big.yaml"}), 2, {"big.yaml", "at most 1 MiB"}},
      {"values file: 100000 levels deep", with(serve, {"-f", "{dir}/deep.yaml"}), 2, {"deep.yaml"}},
      {"values file: missing", with(serve, {"-f", "{dir}/nowhere.yaml"}), 2, {"nowhere.yaml"}},
      // names and quantities
      {"name not DNS-1035",
       {"serve", "Bad_Name", "-n", "{ns}", "--model", "org/m"},
       2,
       {"Bad_Name", "DNS-1035", "lower-case"}},
      {"name too long", {"serve", std::string(70, 'a'), "-n", "{ns}", "--model", "org/m"}, 2, {"aaaa"}},
      {"model not an id", {"serve", "chat", "-n", "{ns}", "--model", "not a model"}, 2, {"--model", "Hugging Face"}},
      {"model path outside the cache",
       {"serve", "chat", "-n", "{ns}", "--model", "/etc/passwd"},
       2,
       {"--model", "/models"}},
      {"--cpu not a quantity", with(serve, {"--cpu", "two"}), 2, {"--cpu", "two"}},
      {"--memory not a quantity", with(serve, {"--memory", "1.5.5Gi"}), 2, {"--memory", "1.5.5Gi"}},
      {"--shm-size negative", with(serve, {"--shm-size", "-1Gi"}), 2, {"--shm-size"}},
      {"--toleration effect", with(serve, {"--toleration", "k=v:Sometimes"}), 2, {"--toleration", "NoSchedule"}},
      // --patch
      {"--patch: unknown op",
       with(serve, {"--patch", "deployment/chat={dir}/bad-op.json"}),
       2,
       {"--patch", "frobnicate"}},
      {"--patch: path not there", with(serve, {"--patch", "deployment/chat={dir}/bad-path.json"}), 2, {"--patch"}},
      {"--patch: changes the kind",
       with(serve, {"--patch", "deployment/chat={dir}/change-kind.yaml"}),
       2,
       {"--patch", "may not change kind"}},
      {"--patch: changes the name",
       with(serve, {"--patch", "deployment/chat={dir}/change-name.json"}),
       2,
       {"--patch", "may not change metadata.name"}},
      {"--patch: not a patch",
       with(serve, {"--patch", "deployment/chat={dir}/not-a-patch.yaml"}),
       2,
       {"--patch", "JSON Patch"}},
      {"--patch: no such object",
       with(serve, {"--patch", "statefulset/chat={dir}/bad-op.json"}),
       2,
       {"--patch", "rendered:"}},
      {"--patch: flag syntax", with(serve, {"--patch", "chat.yaml"}), 2, {"--patch", "KIND/NAME=FILE"}},
      // --templates: a file the user gave that is not acceptable is exit 1 (ErrorKind::kInvalidInput)
      {"--templates: invalid YAML",
       with(serve, {"--templates", "{dir}/invalid-yaml"}),
       1,
       {"--templates", "service.yaml", "line 4"}},
      {"--templates: missing partial",
       with(serve, {"--templates", "{dir}/missing-partial"}),
       1,
       {"--templates", "_metadata"}},
      {"--templates: no such directory", with(serve, {"--templates", "{dir}/nowhere"}), 1, {"--templates", "nowhere"}},
      // kubeconfigs
      {"kubeconfig: context names a missing cluster",
       {"status", "-n", "{ns}"},
       1,
       {"missing"},
       "{dir}/no-clusters.kubeconfig"},
      {"kubeconfig: cluster without server", {"status", "-n", "{ns}"}, 1, {"server"}, "{dir}/no-server.kubeconfig"},
      {"kubeconfig: bad base64",
       {"status", "-n", "{ns}"},
       1,
       {"certificate-authority-data"},
       "{dir}/bad-base64.kubeconfig"},
      {"kubeconfig: not YAML", {"status", "-n", "{ns}"}, 1, {"not-yaml.kubeconfig"}, "{dir}/not-yaml.kubeconfig"},
      {"kubeconfig: unreadable",
       {"status", "-n", "{ns}"},
       1,
       {"a-directory.kubeconfig", "is a directory"},
       "{dir}/a-directory.kubeconfig"},
      {"kubeconfig: exec plugin prints garbage",
       with(serve, {}),
       1,
       {"ExecCredential"},
       "{dir}/exec-garbage.kubeconfig"},
      // The plugin's run is bounded by --request-timeout (else 60 s): it is killed, not waited for.
      {"kubeconfig: exec plugin hangs",
       with(serve, {"--request-timeout", "2s"}),
       1,
       {"hangs.sh did not finish within 2 s", "--request-timeout"},
       "{dir}/exec-hangs.kubeconfig"},
  };
}

TEST_CASE("bad input: every row exits with its code, names what is wrong and what is accepted, writes nothing") {
  const TestCluster& cluster = TestCluster::Get();
  ScopedNamespace ns("bad-input-" + std::to_string(::getpid()));
  const fs::path dir = fs::path(cluster.dir()) / ("bad-input-" + std::to_string(::getpid()));
  WriteInputs(dir);
  const std::string before = NamespaceObjects(ns.name());
  const std::vector<Row> rows = Rows();
  CHECK(rows.size() >= 40);
  for (const Row& row : rows) {
    std::vector<std::string> argv = {"/usr/bin/timeout", "-s", "KILL", "60", KUBECTL_LLM_BINARY};
    for (const std::string& a : row.args) argv.push_back(Expand(a, dir.string(), ns.name()));
    const std::string kubeconfig =
        row.user.starts_with("{dir}") ? Expand(row.user, dir.string(), ns.name()) : cluster.Kubeconfig(row.user);
    CommandOutput r = RunCommand(argv, {"KUBECONFIG=" + kubeconfig, "KUBECACHEDIR=" + cluster.dir() + "/kube-cache"});
    INFO(row.what, ": exit ", r.exit_code, "\nstderr: ", r.err.substr(0, 600));
    CHECK(r.exit_code == row.exit_code);  // 137: killed at 60 s (a hang); -1: a crash
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("error: "));
    CHECK(r.err.size() < 2000);  // one message, not a dump of the input
    for (const std::string& part : row.says) CHECK_MESSAGE(r.err.find(part) != std::string::npos, "names ", part);
  }
  CHECK(NamespaceObjects(ns.name()) == before);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace llm::testing
