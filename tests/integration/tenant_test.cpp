// `kubectl llm tenant` against the real API server and the real Kueue
// controller manager (tests/cluster/kueue.sh starts it on demand): quotas,
// limit ranges and Pod Security enforced at admission, RBAC answered by the
// authorizer, Kueue admitting, borrowing and suspending jobs. NetworkPolicies
// cannot be enforced here (the local cluster has no network plugin), so their
// selectors and rules are checked against the live objects the workloads
// made.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/play_patch.h"
#include "integration/test_cluster.h"
#include "integration/token_kubeconfig.h"

namespace llm::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Llm(const std::string& user, const std::vector<std::string>& args) {
  return TestCluster::Get().Plugin(user, args);
}
CommandOutput Kubectl(const std::vector<std::string>& args, const std::string& input = "") {
  return TestCluster::Get().Kubectl("admin", args, input);
}

/// The real Kueue running (started once for the cluster), and `tenant init` applied.
void NeedKueueAndInit() {
  CommandOutput kueue = TestCluster::Get().StartKueue();
  REQUIRE_MESSAGE(kueue.exit_code == 0, kueue.err);
  CommandOutput init = Llm("admin", {"tenant", "init"});
  REQUIRE_MESSAGE(init.exit_code == 0, init.err);
}

std::string Suffix() { return std::to_string(::getpid() % 100000); }

/// A tenant removed when the test ends, whatever runs in it.
class ScopedTenant {
 public:
  ScopedTenant(std::string team, std::vector<std::string> flags) : team_(std::move(team)) {
    std::vector<std::string> args = {"tenant", "create", team_};
    args.insert(args.end(), flags.begin(), flags.end());
    created_ = Llm("admin", args);
  }
  ~ScopedTenant() { Llm("admin", {"tenant", "delete", team_, "--force", "--wait", "--timeout", "2m"}); }
  const std::string& name() const { return team_; }
  const CommandOutput& created() const { return created_; }

 private:
  std::string team_;
  CommandOutput created_;
};

/// A ServiceAccount in a namespace of its own (not a tenant's) and a
/// kubeconfig with its token: the member a test adds with --member.
class ScopedMember {
 public:
  explicit ScopedMember(const std::string& name) : ns_(name + "-home") {
    Kubectl({"create", "namespace", ns_});
    REQUIRE(Kubectl({"create", "serviceaccount", name, "-n", ns_}).exit_code == 0);
    CommandOutput token = Kubectl({"create", "token", name, "-n", ns_, "--duration=30m"});
    REQUIRE_MESSAGE(token.exit_code == 0, token.err);
    const std::string bearer = token.out.substr(0, token.out.find_last_not_of('\n') + 1);
    kubeconfig_ = std::make_unique<ScopedTokenKubeconfig>(name, "", bearer);
  }
  ~ScopedMember() {
    kubeconfig_.reset();
    Kubectl({"delete", "namespace", ns_, "--wait=false"});
  }
  /// For --member.
  std::string flag() const { return "serviceaccount:" + ns_ + "/" + user(); }
  const std::string& user() const { return kubeconfig_->user(); }
  /// For kubectl's --serviceaccount.
  std::string account() const { return ns_ + ":" + user(); }

 private:
  std::string ns_;
  std::unique_ptr<ScopedTokenKubeconfig> kubeconfig_;
};

json GetJson(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"get"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"-o", "json"});
  CommandOutput out = Kubectl(all);
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  return json::parse(out.out);
}

TEST_CASE(
    "tenant init: PriorityClasses, a ResourceFlavor per GPU product with the nodes' taints, the cohort; again "
    "unchanged") {
  NeedKueueAndInit();
  CommandOutput again = Llm("admin", {"tenant", "init"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(Contains(again.out, "priorityclass.scheduling.k8s.io/kubectl-llm-serving unchanged\n"));
  CHECK(Contains(again.out, "resourceflavor.kueue.x-k8s.io/gpu-nvidia-h100-80gb-hbm3 unchanged\n"));
  CHECK(Contains(again.out, "cohort.kueue.x-k8s.io/kubectl-llm unchanged\n"));
  CHECK_FALSE(Contains(again.out, " created"));
  json flavor = GetJson({"resourceflavors.kueue.x-k8s.io", "gpu-nvidia-h100-80gb-hbm3"});
  CHECK(flavor["spec"]["nodeLabels"]["nvidia.com/gpu.product"] == "NVIDIA-H100-80GB-HBM3");
  CHECK(flavor["spec"]["tolerations"][0] ==
        json{{"key", "nvidia.com/gpu"}, {"operator", "Equal"}, {"value", "present"}, {"effect", "NoSchedule"}});
  json experiment = GetJson({"priorityclass", "kubectl-llm-experiment"});
  CHECK(experiment["preemptionPolicy"] == "Never");
}

TEST_CASE("tenant create: bad input is refused before anything is written, over-large numbers only warn") {
  NeedKueueAndInit();
  struct Bad {
    std::vector<std::string> args;
    std::string error;
  };
  const Bad cases[] = {
      {{"Bad_Team", "--gpus", "8"}, "TEAM: 'Bad_Team' must be a DNS-1123 label"},
      {{"kube-system", "--gpus", "8"}, "TEAM: 'kube-system' is a system namespace"},
      {{"tbad", "--gpus", "8", "--cpu", "lots"}, "--cpu"},
      {{"tbad", "--gpus", "8", "--member", "robot:x"}, "--member 'robot:x': unknown kind 'robot'"},
      {{"tbad"}, "--gpus is required"},
      {{"tbad", "--gpus", "8", "--gpu-product", "NVIDIA-B200=8"}, "--gpu-product NVIDIA-B200: no GPU ResourceFlavor"},
  };
  for (const Bad& bad : cases) {
    std::vector<std::string> args = {"tenant", "create"};
    args.insert(args.end(), bad.args.begin(), bad.args.end());
    CommandOutput out = Llm("admin", args);
    CAPTURE(out.err);
    CHECK(out.exit_code != 0);
    CHECK(Contains(out.err, bad.error));
    CHECK(out.out.empty());
  }
  CHECK(Kubectl({"get", "namespace", "tbad"}).exit_code != 0);
  CHECK(Kubectl({"get", "namespace", "Bad_Team"}).exit_code != 0);

  const std::string team = "twarn-" + Suffix();
  // Other tests may add GPU nodes of their own for a while: the numbers are the cluster's of the moment.
  ScopedTenant tenant(team, {"--gpus", "100000", "--max-gpus-per-pod", "1024"});
  CHECK_MESSAGE(tenant.created().exit_code == 0, tenant.created().err);
  CHECK(Contains(tenant.created().err, "Warning: --max-gpus-per-pod 1024 is more than the largest GPU node has ("));
  CHECK(Contains(tenant.created().err, "Warning: --gpus 100000 is more than the cluster's "));
}

TEST_CASE("tenant: the ResourceQuota refuses a member's third 8-GPU pod at admission, and serve --wait says so") {
  NeedKueueAndInit();
  ScopedMember member("alice-" + Suffix());
  const std::string team = "tquota-" + Suffix();
  ScopedTenant tenant(team, {"--gpus", "16", "--member", member.flag()});
  REQUIRE_MESSAGE(tenant.created().exit_code == 0, tenant.created().err);
  auto serve = [&](const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args = {"serve", name, "-n", team, "--model", "org/m", "--gpus", "8"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Llm(member.user(), args);
  };
  for (const char* name : {"a", "b"}) {
    CommandOutput out = serve(name, {"--wait", "--timeout", "2m"});
    CAPTURE(out.out);
    CHECK_MESSAGE(out.exit_code == 0, out.err);
    CHECK(Contains(out.out, "Using tenant " + team + "'s Kueue LocalQueue \"" + team + "\" (--queue overrides)\n"));
    CHECK(Contains(out.out, "deployment.apps/" + std::string(name) + " created\n"));
  }
  json deployment = GetJson({"deployment", "a", "-n", team});
  CHECK(deployment["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == team);

  CommandOutput third = serve("c", {"--wait", "--timeout", "20s"});
  CHECK(third.exit_code == 5);
  CHECK_MESSAGE(Contains(third.err,
                         "its pods are refused: ResourceQuota \"kubectl-llm-tenant\" is used up (requested "
                         "requests.nvidia.com/gpu=8, used requests.nvidia.com/gpu=16, limited "
                         "requests.nvidia.com/gpu=16)"),
                third.err);
  // The quota, straight: a pod made outside the plugin (members may not make
  // pods themselves, so the admin does) is refused at admission.
  CommandOutput pod = TestCluster::Get().Kubectl(
      "admin",
      {"run", "direct", "-n", team, "--image=x", "--overrides",
       R"({"spec":{"containers":[{"name":"direct","image":"x","resources":{"limits":{"nvidia.com/gpu":"8"}}}]}})"});
  CHECK(pod.exit_code != 0);
  CHECK(Contains(pod.err, "exceeded quota: kubectl-llm-tenant"));

  CommandOutput status = Llm("admin", {"tenant", "status", team, "-o", "json"});
  REQUIRE_MESSAGE(status.exit_code == 0, status.err);
  json s = json::parse(status.out);
  CHECK(s["kind"] == "TenantStatus");
  CHECK(s["gpus"] == json{{"used", 16}, {"quota", 16}});
  CHECK(s["workloads"] == 3);
  CHECK(s["queue"]["admitted"] == 2);
  CommandOutput list = Llm("admin", {"tenant", "list"});
  CHECK(Contains(list.out, team + " "));
  CHECK(Contains(list.out, "16/16"));

  // delete refuses while the tenant runs workloads.
  CommandOutput refused = Llm("admin", {"tenant", "delete", team});
  CHECK(refused.exit_code == 1);
  CHECK(Contains(refused.err, "tenant \"" + team + "\" still runs 2 pods"));
  CHECK(Kubectl({"get", "namespace", team}).exit_code == 0);
}

TEST_CASE("tenant: a LimitRange maximum refuses a bigger container and gives GPU-less containers no GPU") {
  NeedKueueAndInit();
  const std::string team = "tlimit-" + Suffix();
  ScopedTenant tenant(team, {"--gpus", "16", "--max-gpus-per-pod", "4"});
  REQUIRE_MESSAGE(tenant.created().exit_code == 0, tenant.created().err);
  auto dry_run = [&](const std::string& resources) {
    return Kubectl({"run", "p", "-n", team, "--image=x", "--dry-run=server", "-o", "json", "--overrides",
                    R"({"spec":{"containers":[{"name":"p","image":"x","resources":)" + resources + "}]}}"});
  };
  CommandOutput big = dry_run(R"({"limits":{"nvidia.com/gpu":"8"}})");
  CHECK(big.exit_code != 0);
  CHECK(Contains(big.err, "maximum nvidia.com/gpu usage per Container is 4, but limit is 8"));
  CommandOutput fits = dry_run(R"({"limits":{"nvidia.com/gpu":"4"}})");
  CHECK_MESSAGE(fits.exit_code == 0, fits.err);
  CommandOutput cpu_only = dry_run(R"({"requests":{"cpu":"1"}})");
  REQUIRE_MESSAGE(cpu_only.exit_code == 0, cpu_only.err);
  json resources = json::parse(cpu_only.out)["spec"]["containers"][0]["resources"];
  CHECK(resources["limits"]["nvidia.com/gpu"] == "0");  // never the maximum
}

TEST_CASE("tenant: a restricted tenant refuses a pod that is not, at admission") {
  NeedKueueAndInit();
  const std::string team = "trestricted-" + Suffix();
  ScopedTenant tenant(team, {"--gpus", "8", "--pod-security", "restricted"});
  REQUIRE_MESSAGE(tenant.created().exit_code == 0, tenant.created().err);
  json ns = GetJson({"namespace", team});
  CHECK(ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted");
  CHECK(ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce-version"] == "v1.35");
  CommandOutput pod = Kubectl({"run", "p", "-n", team, "--image=x", "--dry-run=server"});
  CHECK(pod.exit_code != 0);
  CHECK(Contains(pod.err, "violates PodSecurity \"restricted:v1.35\""));
}

TEST_CASE(
    "tenant: members serve and train in their tenant, are Forbidden in another's before anything is written, "
    "and verify finds a hole only once one is granted") {
  NeedKueueAndInit();
  ScopedMember member("bob-" + Suffix());
  const std::string team = "trbac-" + Suffix(), other = "tother-" + Suffix();
  ScopedTenant tenant(team, {"--gpus", "16", "--member", member.flag()});
  REQUIRE_MESSAGE(tenant.created().exit_code == 0, tenant.created().err);
  ScopedTenant other_tenant(other, {"--gpus", "8"});
  REQUIRE_MESSAGE(other_tenant.created().exit_code == 0, other_tenant.created().err);

  CommandOutput serve = Llm(member.user(), {"serve", "m", "-n", team, "--model", "org/m", "--gpus", "1"});
  CHECK_MESSAGE(serve.exit_code == 0, serve.err);
  CommandOutput train = Llm(member.user(), {"train", "t", "-n", team, "--backend", "indexed-job", "--image", "x",
                                            "--gpus-per-node", "1", "--queue", "elsewhere", "--", "python", "t.py"});
  CHECK_MESSAGE(train.exit_code == 0, train.err);
  CHECK_FALSE(Contains(train.out, "LocalQueue"));  // --queue overrides, so nothing to say
  CHECK(GetJson({"job", "t", "-n", team})["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "elsewhere");

  CommandOutput forbidden = Llm(member.user(), {"serve", "m", "-n", other, "--model", "org/m", "--gpus", "1"});
  CHECK(forbidden.exit_code != 0);
  CHECK_MESSAGE(Contains(forbidden.err, "you may not create"), forbidden.err);
  CHECK(Contains(forbidden.err, "nothing was applied"));
  CHECK(
      Kubectl({"get", "deployments,services,secrets", "-n", other, "-l", "app.kubernetes.io/instance=m", "-o", "name"})
          .out.empty());

  CommandOutput verified = Llm("admin", {"tenant", "verify", team});
  CHECK_MESSAGE(verified.exit_code == 0, (verified.out + verified.err));
  CHECK(Contains(verified.out, "may create deployments.apps in " + team));
  CHECK(Contains(verified.out, "may not create pods in " + other));
  CHECK(Contains(verified.out, "is refused by the quota"));
  CHECK(Contains(verified.out, "tenant \"" + team + "\": no hole found\n"));
  CHECK_FALSE(Contains(verified.out, "HOLE"));

  const std::string binding = "tenant-test-hole-" + Suffix();
  REQUIRE(
      Kubectl({"create", "clusterrolebinding", binding, "--clusterrole=edit", "--serviceaccount=" + member.account()})
          .exit_code == 0);
  CommandOutput holed = Llm("admin", {"tenant", "verify", team});
  Kubectl({"delete", "clusterrolebinding", binding});
  CHECK(holed.exit_code == 1);
  CHECK(Contains(holed.out, "HOLE"));
  CHECK(Contains(holed.err, "hole"));
  CHECK(Contains(holed.out, "may not create pods in " + other));
}

TEST_CASE(
    "tenant: Kueue lends a cohort's idle GPUs, keeps a job that does not fit suspended saying why, then runs it") {
  NeedKueueAndInit();
  const std::string a = "tka-" + Suffix(), b = "tkb-" + Suffix();
  ScopedTenant lender(b, {"--gpus", "8"});
  REQUIRE_MESSAGE(lender.created().exit_code == 0, lender.created().err);
  ScopedTenant borrower(a, {"--gpus", "8", "--borrow-limit", "8"});
  REQUIRE_MESSAGE(borrower.created().exit_code == 0, borrower.created().err);
  PlayPatch keep("keep-running", "tenant");
  auto train = [&](const std::string& name, const std::string& nodes, const std::string& timeout) {
    return Llm("admin", {"train",
                         name,
                         "-n",
                         a,
                         "--backend",
                         "indexed-job",
                         "--image",
                         "x",
                         "--nodes",
                         nodes,
                         "--gpus-per-node",
                         "8",
                         "--patch",
                         keep.For("job/" + name),
                         "--wait",
                         "--timeout",
                         timeout,
                         "--",
                         "python",
                         "t.py"});
  };
  // 16 GPUs: its own 8 and 8 borrowed from the other tenant.
  CommandOutput big = train("big", "2", "2m");
  REQUIRE_MESSAGE(big.exit_code == 0, (big.out + big.err));
  CHECK(Contains(big.out, "Using tenant " + a + "'s Kueue LocalQueue"));
  CHECK(Contains(big.out, "Kueue admitted workload"));
  CommandOutput status = Llm("admin", {"tenant", "status", a, "-o", "json"});
  REQUIRE(status.exit_code == 0);
  CHECK(json::parse(status.out)["queue"]["borrowedGpus"] == 8);

  // Nothing left to borrow: the next job stays suspended, and train --wait says why, until `big` goes.
  std::atomic<bool> done{false};
  CommandOutput small;
  std::thread waiting([&] {
    small = train("small", "1", "3m");
    done = true;
  });
  bool pending_seen = false;
  for (int i = 0; i < 120 && !pending_seen; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CommandOutput workloads = Kubectl({"get", "workloads.kueue.x-k8s.io", "-n", a, "-o", "json"});
    if (workloads.exit_code != 0) continue;
    // value(), not const operator[]: a Workload the controller has not reached yet has no status.
    const json listed = json::parse(workloads.out);
    for (const json& w : listed.value("items", json::array())) {
      const json owners = w["metadata"].value("ownerReferences", json::array());
      if (owners.empty() || owners[0].value("name", "") != "small") continue;
      for (const json& c : w.value("status", json::object()).value("conditions", json::array())) {
        if (c["type"] == "QuotaReserved" && c["status"] == "False" && c.value("message", "") != "") pending_seen = true;
      }
    }
  }
  CHECK(pending_seen);
  CHECK(GetJson({"job", "small", "-n", a})["spec"]["suspend"] == true);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // one more look by train --wait
  CHECK_FALSE(done.load());
  CommandOutput removed = Llm("admin", {"delete", "big", "-n", a});
  CHECK_MESSAGE(removed.exit_code == 0, removed.err);
  waiting.join();
  CHECK_MESSAGE(small.exit_code == 0, (small.out + small.err));
  CHECK(Contains(small.out, "Kueue has not admitted workload"));
  CHECK(Contains(small.out, "insufficient"));
  CHECK(Contains(small.out, "Kueue admitted workload"));
  CHECK(Contains(small.out, "job \"small\": all 1 pods running"));
}

TEST_CASE("tenant: network policies select what the workloads need (no network plugin here enforces them)") {
  NeedKueueAndInit();
  const std::string team = "tnet-" + Suffix();
  ScopedTenant tenant(team, {"--gpus", "16", "--allow-from", "gateway"});
  REQUIRE_MESSAGE(tenant.created().exit_code == 0, tenant.created().err);
  CHECK(Llm("admin", {"serve", "chat", "-n", team, "--model", "org/m", "--gpus", "1", "--nodes", "2"}).exit_code == 0);
  CHECK(Llm("admin", {"train", "t", "-n", team, "--backend", "indexed-job", "--image", "x", "--nodes", "2",
                      "--gpus-per-node", "1", "--", "python", "t.py"})
            .exit_code == 0);
  json policies = GetJson({"networkpolicies", "-n", team});
  auto policy = [&](const std::string& name) -> json {
    for (const json& p : policies["items"]) {
      if (p["metadata"]["name"] == name) return p["spec"];
    }
    FAIL("no NetworkPolicy " << name);
    return json();
  };
  // A selector as the network plugin would read it (matchLabels, matchExpressions In).
  auto selects = [](const json& selector, const json& labels) {
    const json match_labels = selector.value("matchLabels", json::object());
    for (const auto& [k, v] : match_labels.items()) {
      if (!labels.contains(k) || labels[k] != v) return false;
    }
    for (const json& e : selector.value("matchExpressions", json::array())) {
      if (e["operator"] != "In" || !labels.contains(e["key"].get<std::string>())) return false;
      const json& values = e["values"];
      if (std::find(values.begin(), values.end(), labels[e["key"].get<std::string>()]) == values.end()) return false;
    }
    return true;
  };
  json lws = GetJson({"leaderworkersets", "chat", "-n", team});
  const json leader = lws["spec"]["leaderWorkerTemplate"]["leaderTemplate"]["metadata"]["labels"];
  const json worker = lws["spec"]["leaderWorkerTemplate"]["workerTemplate"]["metadata"]["labels"];
  const json rank = GetJson({"job", "t", "-n", team})["spec"]["template"]["metadata"]["labels"];
  // Everything is denied by default...
  CHECK(policy("default-deny")["podSelector"] == json::object());
  CHECK(policy("default-deny")["policyTypes"] == json{"Ingress", "Egress"});
  // ...but leader and workers, and torchrun's ranks, reach each other on every port, both ways.
  const json same = policy("allow-same-namespace");
  for (const json& labels : {leader, worker, rank}) CHECK(selects(same["podSelector"], labels));
  CHECK(same["ingress"] == json::parse(R"([{"from": [{"podSelector": {}}]}])"));
  CHECK(same["egress"] == json::parse(R"([{"to": [{"podSelector": {}}]}])"));
  // The Service's pods are reachable from --allow-from.
  const json from = policy("allow-from-namespaces");
  const json service_selector = GetJson({"service", "chat", "-n", team})["spec"]["selector"];
  CHECK(selects(json{{"matchLabels", service_selector}}, leader));
  CHECK(selects(from["podSelector"], leader));
  CHECK(selects(from["ingress"][0]["from"][0]["namespaceSelector"], json{{"kubernetes.io/metadata.name", "gateway"}}));
  CHECK_FALSE(
      selects(from["ingress"][0]["from"][0]["namespaceSelector"], json{{"kubernetes.io/metadata.name", "other"}}));
  CHECK_FALSE(from.contains("egress"));
  // Monitoring scrapes the serving port by name, which the serving container declares.
  const json monitoring = policy("allow-monitoring");
  CHECK(monitoring["ingress"][0]["ports"][0]["port"] == "http");
  bool named = false;
  for (const json& port : lws["spec"]["leaderWorkerTemplate"]["leaderTemplate"]["spec"]["containers"][0]["ports"]) {
    named = named || port["name"] == "http";
  }
  CHECK(named);
  // DNS to kube-system only.
  CHECK(policy("allow-dns")["egress"][0]["to"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] ==
        "kube-system");
}

TEST_CASE("tenant: re-applying with new numbers updates in place, delete leaves nothing") {
  NeedKueueAndInit();
  const std::string team = "tupdate-" + Suffix();
  CommandOutput first = Llm("admin", {"tenant", "create", team, "--gpus", "8"});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(Contains(first.out, "namespace/" + team + " created\n"));
  CHECK(Contains(first.out, "clusterqueue.kueue.x-k8s.io/" + team + " created\n"));
  CommandOutput same = Llm("admin", {"tenant", "create", team, "--gpus", "8"});
  REQUIRE_MESSAGE(same.exit_code == 0, same.err);
  CHECK_FALSE(Contains(same.out, "created"));
  CHECK_FALSE(Contains(same.out, "configured"));
  CHECK(Contains(same.out, "resourcequota/kubectl-llm-tenant unchanged\n"));
  CommandOutput more = Llm("admin", {"tenant", "create", team, "--gpus", "16", "--max-gpus-per-pod", "8"});
  REQUIRE_MESSAGE(more.exit_code == 0, more.err);
  CHECK(Contains(more.out, "resourcequota/kubectl-llm-tenant configured\n"));
  CHECK(Contains(more.out, "clusterqueue.kueue.x-k8s.io/" + team + " configured\n"));
  CHECK(Contains(more.out, "limitrange/kubectl-llm-tenant created\n"));
  CHECK(Contains(more.out, "namespace/" + team + " unchanged\n"));
  CHECK(GetJson({"resourcequota", "kubectl-llm-tenant", "-n", team})["spec"]["hard"]["requests.nvidia.com/gpu"] ==
        "16");
  CommandOutput fewer = Llm("admin", {"tenant", "create", team, "--gpus", "16"});
  CHECK(Contains(fewer.out, "limitrange/kubectl-llm-tenant pruned\n"));

  CommandOutput removed = Llm("admin", {"tenant", "delete", team, "--wait", "--timeout", "2m"});
  CHECK_MESSAGE(removed.exit_code == 0, removed.err);
  CHECK(Contains(removed.out, "namespace \"" + team + "\" deleted\n"));
  CHECK(Kubectl({"get", "namespace", team}).exit_code != 0);
  CHECK(Kubectl({"get", "clusterqueues.kueue.x-k8s.io", team}).exit_code != 0);
  CHECK(Kubectl({"get", "secret", "tenant-" + team, "-n", "kubectl-llm-system"}).exit_code != 0);
  CommandOutput gone = Llm("admin", {"tenant", "delete", team});
  CHECK(gone.exit_code == 1);
  CHECK(Contains(gone.err, "no tenant \"" + team + "\""));
}

}  // namespace
}  // namespace llm::testing
