// serve --require-validated against the real scheduler: the rendered node
// affinity keeps pods on nodes validate-nodes passed, and preflight refuses,
// before any write, a request that the validated (and fresh enough) nodes
// cannot hold. The test's own fake nodes carry a pool label its requests
// select (and a taint only its requests tolerate), so nodes other tests add or
// validate at the same time do not matter.
#include <chrono>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/run_command.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr const char* kPool = "kubectl-llm.dev/test-pool=require-validated";
constexpr const char* kPoolTaint = "kubectl-llm.dev/test-pool=require-validated:NoSchedule";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Admin(const std::vector<std::string>& args) { return TestCluster::Get().Kubectl("admin", args); }

/// Two fake 8-GPU nodes in their own pool, removed again at the end.
class PoolNodes {
 public:
  PoolNodes() {
    CommandOutput list = RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", "2", "rv-node-"});
    REQUIRE(list.exit_code == 0);
    CommandOutput applied = TestCluster::Get().Kubectl("admin", {"apply", "--server-side", "-f", "-"}, list.out);
    REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
    CommandOutput labelled = Admin({"label", "--overwrite", "node/rv-node-0", "node/rv-node-1", kPool});
    REQUIRE_MESSAGE(labelled.exit_code == 0, labelled.err);
    // Tainted too, so GPU pods of tests running alongside never use these GPUs.
    CommandOutput tainted = Admin({"taint", "nodes", "rv-node-0", "rv-node-1", "--overwrite", kPoolTaint});
    REQUIRE_MESSAGE(tainted.exit_code == 0, tainted.err);
    CommandOutput ready = Admin({"wait", "--for=condition=Ready", "--timeout=60s", "node/rv-node-0", "node/rv-node-1"});
    REQUIRE_MESSAGE(ready.exit_code == 0, ready.err);
  }
  ~PoolNodes() { Admin({"delete", "--wait=false", "node/rv-node-0", "node/rv-node-1"}); }
};

/// What `validate-nodes --record` writes for a pass `age` ago, valid for a week.
void RecordPass(const std::string& node, std::chrono::seconds age) {
  const long long now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const long long checked = now - age.count();
  CommandOutput out = Admin({"label", "--overwrite", "node/" + node, "kubectl-llm.dev/gpu-check=pass",
                             "kubectl-llm.dev/gpu-check-time=" + std::to_string(checked),
                             "kubectl-llm.dev/gpu-check-valid-until=" + std::to_string(checked + 7 * 86400)});
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
}

std::vector<std::string> ServeArgs(const std::string& ns, const std::string& replicas, const std::string& require) {
  return {"serve",        "checked",  "-n",         ns,       "--model",         "org/m",
          "--gpus",       "8",        "--replicas", replicas, "--node-selector", kPool,
          "--toleration", kPoolTaint, require};
}

TEST_CASE("serve --require-validated schedules only on validated nodes and refuses what they cannot hold") {
  PoolNodes nodes;
  ScopedNamespace ns("require-validated");
  auto nothing_written = [&] {
    CommandOutput left = Admin({"-n", ns.name(), "get", "deployments,services,secrets", "-l",
                                "app.kubernetes.io/instance=checked", "-o", "name"});
    CHECK(left.out.empty());
  };

  // No node of the pool has passed: whether other tests' nodes have, the pool cannot run it.
  CommandOutput none = TestCluster::Get().Plugin("admin", ServeArgs(ns.name(), "1", "--require-validated"));
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
  CHECK_MESSAGE((Contains(none.err, "--require-validated: 0 of ") ||
                 Contains(none.err, "not matching kubectl-llm.dev/gpu-check=pass")),
                none.err);
  CHECK(Contains(none.err, "; nothing was applied"));
  nothing_written();

  // rv-node-0 passed an hour ago, rv-node-1 failed: two replicas cannot fit.
  RecordPass("rv-node-0", std::chrono::hours(1));
  REQUIRE(Admin({"label", "--overwrite", "node/rv-node-1", "kubectl-llm.dev/gpu-check=fail"}).exit_code == 0);
  CommandOutput two = TestCluster::Get().Plugin("admin", ServeArgs(ns.name(), "2", "--require-validated"));
  CHECK(two.exit_code == 1);
  CHECK_MESSAGE(Contains(two.err,
                         "error: preflight: 2 pods of 8 GPUs need 2 nodes with 8 GPUs; only 1 matching "
                         "node has that many ("),
                two.err);
  CHECK(Contains(two.err, "GPU nodes count as validated); nothing was applied"));
  nothing_written();

  // One replica fits, and the scheduler puts it on the validated node.
  std::vector<std::string> one = ServeArgs(ns.name(), "1", "--require-validated");
  one.insert(one.end(), {"--wait", "--timeout", "60s"});
  CommandOutput served = TestCluster::Get().Plugin("admin", one);
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  const json pods = json::parse(
      Admin({"-n", ns.name(), "get", "pods", "-l", "app.kubernetes.io/instance=checked", "-o", "json"}).out);
  REQUIRE(pods["items"].size() == 1);
  CHECK(pods["items"][0]["spec"]["nodeName"] == "rv-node-0");
  const json expressions =
      pods["items"][0]["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
          ["nodeSelectorTerms"][0]["matchExpressions"];
  CHECK(expressions.dump() == R"([{"key":"kubectl-llm.dev/gpu-check","operator":"In","values":["pass"]}])");

  // rv-node-1 passes, but three days ago: with =1d it does not count (and is
  // named in a warning, since its label still says pass); without MAX_AGE it does.
  RecordPass("rv-node-1", std::chrono::hours(72));
  CommandOutput stale = TestCluster::Get().Plugin("admin", ServeArgs(ns.name(), "2", "--require-validated=1d"));
  CHECK(stale.exit_code == 1);
  CHECK(Contains(stale.err, "only 1 matching node has that many"));
  CommandOutput warned = TestCluster::Get().Plugin("admin", ServeArgs(ns.name(), "1", "--require-validated=1d"));
  CHECK_MESSAGE(warned.exit_code == 0, warned.err);
  CHECK(Contains(warned.err, "Warning: "));
  CHECK(Contains(warned.err, "an old pass (before --require-validated's MAX_AGE or past its valid-until time)"));
  CommandOutput both = TestCluster::Get().Plugin("admin", ServeArgs(ns.name(), "2", "--require-validated"));
  CHECK_MESSAGE(both.exit_code == 0, both.err);
  CHECK(TestCluster::Get().Plugin("admin", {"delete", "checked", "-n", ns.name(), "--wait"}).exit_code == 0);
}

}  // namespace
}  // namespace llm::testing
