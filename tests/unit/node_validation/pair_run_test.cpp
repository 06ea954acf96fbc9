#include "node_validation/pair_run.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "termination_summary.h"

namespace llm {
namespace {

using std::chrono::seconds;
using Kind = PairAction::Kind;

const TimePoint kT0 = std::chrono::system_clock::from_time_t(1795867200);  // 2026-11-28T12:00:00Z

PairRunConfig Config(int max_parallel) {
  PairRunConfig c;
  c.max_parallel = max_parallel;
  c.timeout = seconds(600);
  c.unschedulable_grace = seconds(120);
  c.delete_grace = seconds(60);
  c.run_id = "r1";
  return c;
}

std::string Job(int n) { return GpuCheckPairJobName("r1", n); }
PairAction Create(int n, const std::string& a, const std::string& b) { return {Kind::kCreateJob, Job(n), {a, b}}; }
PairAction Delete(int n) { return {Kind::kDeleteJob, Job(n), {}}; }
const PairAction kDoneAction{Kind::kDone, "", {}};

/// A pod of pair `n`, rank `rank`, as the Job controller names and labels it.
nlohmann::json Pod(int n, int rank, const std::string& node, const std::string& phase = "Pending") {
  nlohmann::json pod = {
      {"metadata",
       {{"name", fmt::format("{}-{}-abcde", Job(n), rank)},
        {"labels", {{"app.kubernetes.io/instance", Job(n)}, {"app.kubernetes.io/component", "gpu-check"}}},
        {"annotations", {{"batch.kubernetes.io/job-completion-index", std::to_string(rank)}}}}},
      {"spec", nlohmann::json::object()},
      {"status", {{"phase", phase}}}};
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return pod;
}

std::string Summary(gpu_check::TestStatus status, int exit_code, std::optional<double> busbw, std::string reason = "") {
  gpu_check::TerminationSummary s;
  s.status = status;
  s.exit_code = exit_code;
  s.reason = std::move(reason);
  if (busbw) s.worst = {{"nccl_busbw", *busbw}};
  return gpu_check::FormatTerminationSummary(s);
}

nlohmann::json Ended(int n, int rank, const std::string& node, int exit_code, const std::string& message) {
  nlohmann::json pod = Pod(n, rank, node, exit_code == 0 ? "Succeeded" : "Failed");
  pod["status"]["containerStatuses"] = {{{"name", "gpu-check"},
                                         {"state",
                                          {{"terminated",
                                            {{"exitCode", exit_code},
                                             {"message", message},
                                             {"startedAt", "2026-11-28T12:00:10Z"},
                                             {"finishedAt", "2026-11-28T12:00:40Z"}}}}}}};
  return pod;
}

nlohmann::json Passed(int n, int rank, const std::string& node, double busbw) {
  return Ended(n, rank, node, 0, Summary(gpu_check::TestStatus::kPass, 0, busbw));
}

/// Both pods of pair `n` pass with `busbw`; returns the actions of the second.
std::vector<PairAction> PairPasses(PairRun& run, int n, const std::string& a, const std::string& b, double busbw,
                                   TimePoint now) {
  CHECK(run.OnPodEvent(WatchEventType::kModified, Passed(n, 0, a, busbw), now).empty());
  return run.OnPodEvent(WatchEventType::kModified, Passed(n, 1, b, busbw), now);
}

const MultiNodeNodeResult& Of(const std::vector<MultiNodeNodeResult>& results, const std::string& node) {
  for (const MultiNodeNodeResult& r : results) {
    if (r.node == node) return r;
  }
  FAIL("no result for " << node);
  return results.front();
}

}  // namespace

TEST_CASE("PairRun: four healthy nodes, two pairs at once, all good") {
  PairRun run(Config(4), {"n3", "n1", "n4", "n2"});
  CHECK(run.Start(kT0) == std::vector<PairAction>{Create(1, "n1", "n2"), Create(2, "n3", "n4")});
  CHECK(run.pods_in_use() == 4);
  CHECK(run.OnPodEvent(WatchEventType::kAdded, Pod(1, 0, ""), kT0).empty());
  CHECK(PairPasses(run, 1, "n1", "n2", 180.2, kT0 + seconds(40)).empty());
  CHECK(run.pods_in_use() == 2);
  CHECK(PairPasses(run, 2, "n3", "n4", 179.8, kT0 + seconds(41)) == std::vector<PairAction>{kDoneAction});
  CHECK(run.finished());
  CHECK(run.Pairs()[0].verdict == Verdict::kPass);
  CHECK(run.Pairs()[0].round == 1);
  CHECK(*run.Pairs()[0].allreduce_busbw == 180.2);
  const auto nodes = run.NodeResults();
  REQUIRE(nodes.size() == 4);
  for (const MultiNodeNodeResult& r : nodes) CHECK(r.conclusion == MultiNodeConclusion::kGood);
  CHECK(*Of(nodes, "n4").allreduce_busbw == 179.8);
  CHECK(Of(nodes, "n4").jobs == std::vector<std::string>{Job(2)});
}

TEST_CASE("PairRun: a pair takes two pod slots and one pair always runs") {
  for (int max_parallel : {1, 2, 3}) {
    CAPTURE(max_parallel);
    PairRun run(Config(max_parallel), {"n1", "n2", "n3", "n4"});
    CHECK(run.Start(kT0) == std::vector<PairAction>{Create(1, "n1", "n2")});
    CHECK(PairPasses(run, 1, "n1", "n2", 180, kT0) == std::vector<PairAction>{Create(2, "n3", "n4")});
  }
}

TEST_CASE("PairRun: a slow pair is an outlier, re-pairing with good nodes finds the bad node") {
  PairRun run(Config(6), {"n1", "n2", "n3", "n4", "n5", "n6"});
  CHECK(run.Start(kT0).size() == 3);
  CHECK(PairPasses(run, 1, "n1", "n2", 180, kT0).empty());
  CHECK(PairPasses(run, 2, "n3", "n4", 181, kT0).empty());
  // gpu_check passes a slow pair (no multi-node floor); the run compares pairs.
  CHECK(PairPasses(run, 3, "n5", "n6", 45, kT0 + seconds(50)) ==
        std::vector<PairAction>{Create(4, "n5", "n1"), Create(5, "n6", "n2")});
  CHECK(run.Pairs()[2].verdict == Verdict::kFail);
  CHECK(run.Pairs()[2].reason ==
        "all-reduce bus bandwidth 45.0 GB/s is below 0.85 x the median of the 3 pairs measured (180.0 GB/s)");
  CHECK(PairPasses(run, 4, "n5", "n1", 44, kT0 + seconds(100)).empty());
  CHECK(PairPasses(run, 5, "n6", "n2", 179, kT0 + seconds(100)) == std::vector<PairAction>{kDoneAction});
  CHECK(run.Pairs()[3].verdict == Verdict::kFail);
  CHECK(run.Pairs()[3].round == 2);
  CHECK(run.Pairs()[4].verdict == Verdict::kPass);

  const auto nodes = run.NodeResults();
  CHECK(Of(nodes, "n5").conclusion == MultiNodeConclusion::kBad);
  CHECK(Of(nodes, "n5")
            .reason.starts_with("the all-reduce with known-good node n1 failed: all-reduce bus bandwidth 44.0"));
  CHECK(*Of(nodes, "n5").allreduce_busbw == 44);
  CHECK(Of(nodes, "n6").conclusion == MultiNodeConclusion::kGood);
  CHECK(*Of(nodes, "n6").allreduce_busbw == 179);  // its passing pair, not the slow one
  CHECK(Of(nodes, "n6").jobs == std::vector<std::string>{Job(3), Job(5)});
  for (const char* good : {"n1", "n2", "n3", "n4"}) CHECK(Of(nodes, good).conclusion == MultiNodeConclusion::kGood);
}

TEST_CASE("PairRun: a failing self-test fails the pair at once, the slot waits for the other pod") {
  PairRun run(Config(2), {"n1", "n2", "n3", "n4"});
  run.Start(kT0);
  const std::string corrupt = Summary(gpu_check::TestStatus::kFail, 2, std::nullopt,
                                      "nccl: all_reduce 1073741824 bytes out-of-place: 12 elements differ");
  CHECK(run.OnPodEvent(WatchEventType::kModified, Ended(1, 1, "n2", 2, corrupt), kT0 + seconds(30)).empty());
  CHECK(run.Pairs()[0].done);
  CHECK(run.Pairs()[0].verdict == Verdict::kFail);
  CHECK(run.Pairs()[0].reason == "n2: nccl: all_reduce 1073741824 bytes out-of-place: 12 elements differ");
  CHECK(run.pods_in_use() == 2);  // rank 0 may still run until the Job controller stops it
  // The Job controller deletes rank 0; the slot is free, and the next pair starts.
  CHECK(run.OnPodEvent(WatchEventType::kDeleted, Pod(1, 0, "n1", "Running"), kT0 + seconds(35)) ==
        std::vector<PairAction>{Create(2, "n3", "n4")});
  // Both suspects meet a good node, one pair at a time.
  CHECK(PairPasses(run, 2, "n3", "n4", 180, kT0 + seconds(70)) == std::vector<PairAction>{Create(3, "n1", "n3")});
}

TEST_CASE("PairRun: a delete grace frees a slot whose pods are never seen gone") {
  PairRun run(Config(2), {"n1", "n2", "n3", "n4"});
  run.Start(kT0);
  const std::string fail = Summary(gpu_check::TestStatus::kFail, 4, std::nullopt, "nccl: timed out");
  CHECK(run.OnPodEvent(WatchEventType::kModified, Ended(1, 0, "n1", 4, fail), kT0 + seconds(30)).empty());
  CHECK(run.OnTick(kT0 + seconds(89)).empty());
  CHECK(run.OnTick(kT0 + seconds(90)) == std::vector<PairAction>{Create(2, "n3", "n4")});
}

TEST_CASE("PairRun: errors say nothing about the fabric, their nodes leave the pairing") {
  SUBCASE("unschedulable past the grace period") {
    PairRun run(Config(4), {"n1", "n2", "n3", "n4"});
    run.Start(kT0);
    nlohmann::json pending = Pod(1, 1, "");
    pending["status"]["conditions"] = {{{"type", "PodScheduled"},
                                        {"status", "False"},
                                        {"reason", "Unschedulable"},
                                        {"message", "0/4 nodes are available: 1 Insufficient nvidia.com/gpu."}}};
    CHECK(run.OnPodEvent(WatchEventType::kModified, pending, kT0 + seconds(1)).empty());
    CHECK(run.NextDeadline() == kT0 + seconds(121));
    CHECK(PairPasses(run, 2, "n3", "n4", 180, kT0 + seconds(60)).empty());
    CHECK(run.OnTick(kT0 + seconds(121)) == std::vector<PairAction>{Delete(1), kDoneAction});
    CHECK(run.Pairs()[0].verdict == Verdict::kError);
    CHECK(run.Pairs()[0].reason ==
          "pod could not be scheduled: 0/4 nodes are available: 1 Insufficient nvidia.com/gpu.");
    const auto nodes = run.NodeResults();
    CHECK(Of(nodes, "n1").conclusion == MultiNodeConclusion::kError);
    CHECK(Of(nodes, "n1").reason == run.Pairs()[0].reason);
    CHECK(Of(nodes, "n3").conclusion == MultiNodeConclusion::kGood);
  }
  SUBCASE("the image cannot be pulled, and a refused create") {
    PairRun run(Config(4), {"n1", "n2", "n3", "n4"});
    run.Start(kT0);
    nlohmann::json stuck = Pod(1, 0, "n1");
    stuck["status"]["containerStatuses"] = {
        {{"name", "gpu-check"}, {"state", {{"waiting", {{"reason", "ImagePullBackOff"}, {"message", "back-off"}}}}}}};
    CHECK(run.OnPodEvent(WatchEventType::kModified, stuck, kT0 + seconds(5)) == std::vector<PairAction>{Delete(1)});
    CHECK(run.Pairs()[0].reason == "n1: image could not be pulled: ImagePullBackOff: back-off");
    CHECK(run.OnCreateFailed(Job(2), "jobs.batch is forbidden", kT0 + seconds(6)) ==
          std::vector<PairAction>{kDoneAction});
    CHECK(run.Pairs()[1].reason == "could not create job: jobs.batch is forbidden");
    for (const MultiNodeNodeResult& r : run.NodeResults()) CHECK(r.conclusion == MultiNodeConclusion::kError);
  }
  SUBCASE("timed out") {
    PairRun run(Config(2), {"n1", "n2"});
    run.Start(kT0);
    CHECK(run.OnTick(kT0 + seconds(600)) == std::vector<PairAction>{Delete(1), kDoneAction});
    CHECK(run.Pairs()[0].reason == "timed out after 10m0s");
  }
}

TEST_CASE("PairRun: a deleted node leaves the pairing, its partner is paired again") {
  PairRun run(Config(2), {"n1", "n2", "n3", "n4"});
  run.Start(kT0);
  CHECK(run.OnNodeEvent(WatchEventType::kDeleted, {{"metadata", {{"name", "n4"}}}}, kT0 + seconds(1)).empty());
  CHECK(run.OnNodeEvent(WatchEventType::kModified, {{"metadata", {{"name", "n1"}}}}, kT0 + seconds(1)).empty());
  // n3's pair never started; n1 and n2 pass, then n3 is paired with a good node.
  CHECK(PairPasses(run, 1, "n1", "n2", 180, kT0 + seconds(40)) == std::vector<PairAction>{Create(3, "n3", "n1")});
  CHECK(run.Pairs()[1].reason == "node n4 deleted before its test started");
  CHECK(PairPasses(run, 3, "n3", "n1", 180, kT0 + seconds(80)) == std::vector<PairAction>{kDoneAction});
  const auto nodes = run.NodeResults();
  CHECK(Of(nodes, "n3").conclusion == MultiNodeConclusion::kGood);
  CHECK(Of(nodes, "n4").conclusion == MultiNodeConclusion::kError);
  CHECK(Of(nodes, "n4").reason == "node deleted before its test started");
}

TEST_CASE("PairRun: two nodes that fail together are inconclusive, one node is untested") {
  PairRun two(Config(2), {"n1", "n2"});
  two.Start(kT0);
  const std::string fail = Summary(gpu_check::TestStatus::kFail, 5, std::nullopt, "nccl: ncclSystemError");
  CHECK(two.OnPodEvent(WatchEventType::kModified, Ended(1, 0, "n1", 5, fail), kT0) ==
        std::vector<PairAction>{kDoneAction});
  for (const MultiNodeNodeResult& r : two.NodeResults()) {
    CHECK(r.conclusion == MultiNodeConclusion::kInconclusive);
  }
  CHECK(two.NodeResults()[0].reason ==
        "the all-reduce with n2 failed and no known-good node was left to tell which node is bad");

  PairRun one(Config(2), {"n1"});
  CHECK(one.Start(kT0) == std::vector<PairAction>{kDoneAction});
  CHECK(one.NodeResults()[0].conclusion == MultiNodeConclusion::kUntested);
  CHECK(one.Pairs().empty());
}

TEST_CASE("PairRun::Cancel: open pairs are deleted, decided nodes keep their conclusion") {
  PairRun run(Config(2), {"n1", "n2", "n3", "n4"});
  run.Start(kT0);
  PairPasses(run, 1, "n1", "n2", 180, kT0 + seconds(40));
  CHECK(run.Cancel("interrupted by SIGINT", kT0 + seconds(41)) == std::vector<PairAction>{Delete(2), kDoneAction});
  CHECK(run.finished());
  CHECK(run.cancelled_nodes() == std::set<std::string>{"n3", "n4"});
  const auto nodes = run.NodeResults();
  CHECK(Of(nodes, "n1").conclusion == MultiNodeConclusion::kGood);
  CHECK(Of(nodes, "n3").conclusion == MultiNodeConclusion::kError);
  CHECK(Of(nodes, "n3").reason == "interrupted by SIGINT");
  CHECK(run.Cancel("again", kT0 + seconds(42)).empty());
}

TEST_CASE("PairRun ignores pods of other runs and oddly shaped objects") {
  PairRun run(Config(2), {"n1", "n2"});
  run.Start(kT0);
  CHECK(run.OnPodEvent(WatchEventType::kModified, nlohmann::json::array(), kT0).empty());
  CHECK(
      run.OnPodEvent(WatchEventType::kModified, {{"metadata", {{"labels", {{"app.kubernetes.io/instance", 7}}}}}}, kT0)
          .empty());
  CHECK(run.OnPodEvent(WatchEventType::kDeleted, Pod(9, 0, "n1"), kT0).empty());
  CHECK(run.OnNodeEvent(WatchEventType::kDeleted, "node", kT0).empty());
  CHECK_FALSE(run.finished());
}

}  // namespace llm
