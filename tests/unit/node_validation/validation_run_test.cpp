#include "node_validation/validation_run.h"

#include "node_validation/node_selection.h"

#include <set>

#include <doctest/doctest.h>

#include "termination_summary.h"

namespace llm {
namespace {

using std::chrono::seconds;
using Kind = RunAction::Kind;

const TimePoint kT0 = std::chrono::system_clock::from_time_t(1795867200);  // 2026-11-28T12:00:00Z

std::string Rfc(TimePoint t) { return FormatRfc3339(t); }

nlohmann::json Pod(const std::string& name, const std::string& node = "", const std::string& phase = "Pending") {
  nlohmann::json pod = {{"metadata", {{"name", name}, {"namespace", "default"}}},
                        {"spec", nlohmann::json::object()},
                        {"status", {{"phase", phase}}}};
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return pod;
}

nlohmann::json WithContainer(nlohmann::json pod, nlohmann::json state) {
  pod["status"]["containerStatuses"] = {{{"name", "gpu-check"}, {"state", std::move(state)}}};
  return pod;
}

nlohmann::json Unschedulable(const std::string& name, const std::string& message) {
  nlohmann::json pod = Pod(name);
  pod["status"]["conditions"] = {
      {{"type", "PodScheduled"}, {"status", "False"}, {"reason", "Unschedulable"}, {"message", message}}};
  return pod;
}

nlohmann::json Running(const std::string& name, const std::string& node, TimePoint started) {
  return WithContainer(Pod(name, node, "Running"), {{"running", {{"startedAt", Rfc(started)}}}});
}

nlohmann::json Waiting(const std::string& name, const std::string& node, const std::string& reason,
                       const std::string& message) {
  return WithContainer(Pod(name, node), {{"waiting", {{"reason", reason}, {"message", message}}}});
}

std::string PassMessage() {
  gpu_check::TerminationSummary s;
  s.worst = {{"hbm_copy", 2900.0}};
  return gpu_check::FormatTerminationSummary(s);
}

std::string FailMessage() {
  gpu_check::TerminationSummary s;
  s.status = gpu_check::TestStatus::kFail;
  s.exit_code = 1;
  s.reason = "p2p: pair 2->5 below floor";
  return gpu_check::FormatTerminationSummary(s);
}

nlohmann::json Terminated(const std::string& name, const std::string& node, int exit_code, const std::string& message,
                          TimePoint started, TimePoint finished) {
  return WithContainer(Pod(name, node, exit_code == 0 ? "Succeeded" : "Failed"),
                       {{"terminated",
                         {{"exitCode", exit_code},
                          {"reason", exit_code == 0 ? "Completed" : "Error"},
                          {"message", message},
                          {"startedAt", Rfc(started)},
                          {"finishedAt", Rfc(finished)}}}});
}

nlohmann::json NodeObject(const std::string& name) { return {{"metadata", {{"name", name}}}}; }

ValidationRunConfig Config(int max_parallel, bool keep = false) {
  ValidationRunConfig c;
  c.max_parallel = max_parallel;
  c.timeout = seconds(600);
  c.unschedulable_grace = seconds(120);
  c.delete_grace = seconds(60);
  c.keep = keep;
  c.run_id = "r1";
  return c;
}

RunAction Create(const std::string& node) { return {Kind::kCreatePod, node, GpuCheckPodName(node, "r1")}; }
RunAction Delete(const std::string& node) { return {Kind::kDeletePod, node, GpuCheckPodName(node, "r1")}; }
const RunAction kDoneAction{Kind::kDone, "", ""};

const NodeResult& ResultOf(const std::vector<NodeResult>& results, const std::string& node) {
  for (const NodeResult& r : results) {
    if (r.node == node) return r;
  }
  FAIL("no result for " << node);
  return results.front();
}

}  // namespace

TEST_CASE("GpuCheckPodName: DNS label, unique per node, at most 63 characters") {
  CHECK(GpuCheckPodName("gpu-a", "r1") == "gpu-check-r1-gpu-a");
  CHECK(GpuCheckPodName("gpu-a", "") == "gpu-check-gpu-a");
  CHECK(GpuCheckPodName("ip-10-0-1-2.ec2.internal", "x7") == "gpu-check-x7-ip-10-0-1-2-ec2-internal");
  const std::string long1(80, 'a');
  const std::string long2 = std::string(79, 'a') + "b";
  const std::string p1 = GpuCheckPodName(long1, "r1");
  const std::string p2 = GpuCheckPodName(long2, "r1");
  CHECK(p1.size() <= 63);
  CHECK(p2.size() <= 63);
  CHECK(p1 != p2);
  CHECK(p1.starts_with("gpu-check-r1-aaaa"));
}

TEST_CASE("ValidationRun: the happy path through every phase, at most max_parallel pods") {
  ValidationRun run(Config(2), {"a", "b", "c"});
  CHECK(run.Start(kT0) == std::vector<RunAction>{Create("a"), Create("b")});
  CHECK(run.slots_in_use() == 2);
  CHECK(run.phase("a") == NodePhase::kCreated);
  const std::string pa = GpuCheckPodName("a", "r1");

  CHECK(run.OnPodEvent(WatchEventType::kAdded, Pod(pa), kT0 + seconds(1)).empty());
  CHECK(run.phase("a") == NodePhase::kCreated);
  CHECK(run.OnPodEvent(WatchEventType::kModified, Pod(pa, "a"), kT0 + seconds(2)).empty());
  CHECK(run.phase("a") == NodePhase::kScheduled);
  CHECK(run.OnPodEvent(WatchEventType::kModified, Running(pa, "a", kT0 + seconds(5)), kT0 + seconds(5)).empty());
  CHECK(run.phase("a") == NodePhase::kRunning);
  CHECK(run.OnPodEvent(WatchEventType::kModified,
                       Terminated(pa, "a", 0, PassMessage(), kT0 + seconds(5), kT0 + seconds(80)),
                       kT0 + seconds(81)) == std::vector<RunAction>{Delete("a"), Create("c")});
  CHECK(run.phase("a") == NodePhase::kDone);
  CHECK(run.slots_in_use() == 2);

  const std::string pb = GpuCheckPodName("b", "r1");
  const std::string pc = GpuCheckPodName("c", "r1");
  CHECK(run.OnPodEvent(WatchEventType::kModified, Terminated(pb, "b", 1, FailMessage(), kT0, kT0 + seconds(90)),
                       kT0 + seconds(90)) == std::vector<RunAction>{Delete("b")});
  CHECK_FALSE(run.finished());
  CHECK(run.OnPodEvent(WatchEventType::kModified, Terminated(pc, "c", 0, PassMessage(), kT0, kT0 + seconds(150)),
                       kT0 + seconds(150)) == std::vector<RunAction>{Delete("c"), kDoneAction});
  CHECK(run.finished());
  CHECK(run.slots_in_use() == 0);
  // Later events (our own deletions) change nothing and Done is not repeated.
  CHECK(run.OnPodEvent(WatchEventType::kDeleted, Pod(pc, "c", "Succeeded"), kT0 + seconds(151)).empty());

  const auto results = run.Results();
  REQUIRE(results.size() == 3);
  CHECK(results[0].verdict == Verdict::kPass);
  CHECK(results[0].pod == pa);
  CHECK(results[0].bandwidth.hbm == doctest::Approx(2900.0));
  CHECK(*results[0].finished_at - *results[0].started_at == seconds(75));
  CHECK(results[1].verdict == Verdict::kFail);
  CHECK(results[1].reason == "p2p: pair 2->5 below floor");
  CHECK(results[1].exit_code == 1);
  CHECK(results[2].verdict == Verdict::kPass);
  CHECK(run.unseen_nodes().empty());
}

TEST_CASE("ValidationRun: --keep leaves pods that ended, no nodes means Done at once") {
  ValidationRun run(Config(1, /*keep=*/true), {"a"});
  CHECK(run.Start(kT0) == std::vector<RunAction>{Create("a")});
  CHECK(run.OnPodEvent(WatchEventType::kModified,
                       Terminated(GpuCheckPodName("a", "r1"), "a", 0, PassMessage(), kT0, kT0 + seconds(60)),
                       kT0 + seconds(60)) == std::vector<RunAction>{kDoneAction});

  ValidationRun empty(Config(3), {});
  CHECK(empty.Start(kT0) == std::vector<RunAction>{kDoneAction});
  CHECK(empty.finished());
}

TEST_CASE("ValidationRun: failures become errors with exact reasons, never passes") {
  struct Step {
    enum class What { kPod, kPodDeleted, kNodeDeleted, kTick, kCreateFailed } what;
    int at;  ///< seconds after start
    nlohmann::json object;
  };
  struct Case {
    const char* name;
    std::vector<Step> steps;
    std::string reason;
    bool deletes_pod;  ///< the last step asked to delete the pod
    bool unseen;       ///< the error is not the node's: --record leaves the node alone
  };
  const std::string p = GpuCheckPodName("a", "r1");
  using W = Step::What;
  const std::vector<Case> cases = {
      {"never scheduled, after the grace period",
       {{W::kPod, 1, Unschedulable(p, "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")},
        {W::kTick, 120, {}},
        {W::kTick, 121, {}}},
       "pod could not be scheduled: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
       true,
       false},
      {"never scheduled, seen in an event after the grace period",
       {{W::kPod, 1, Unschedulable(p, "0/3 nodes are available.")},
        {W::kPod, 200, Unschedulable(p, "0/3 nodes are available.")}},
       "pod could not be scheduled: 0/3 nodes are available.",
       true,
       false},
      {"image pull back-off",
       {{W::kPod, 1, Pod(p, "a")},
        {W::kPod, 9, Waiting(p, "a", "ImagePullBackOff", "Back-off pulling image \"ghcr.io/x/llm-gpu-check:0.1\"")}},
       "image could not be pulled: ImagePullBackOff: Back-off pulling image \"ghcr.io/x/llm-gpu-check:0.1\"",
       true,
       false},
      {"image pull error",
       {{W::kPod, 9, Waiting(p, "a", "ErrImagePull", "failed to pull: 401 Unauthorized")}},
       "image could not be pulled: ErrImagePull: failed to pull: 401 Unauthorized",
       true,
       false},
      {"container config error",
       {{W::kPod, 9, Waiting(p, "a", "CreateContainerConfigError", "secret \"pull\" not found")}},
       "container could not start: CreateContainerConfigError: secret \"pull\" not found",
       true,
       false},
      {"timeout while running",
       {{W::kPod, 5, Running(p, "a", kT0 + seconds(5))}, {W::kTick, 599, {}}, {W::kTick, 600, {}}},
       "timed out after 10m0s",
       true,
       false},
      {"node deleted during the test",
       {{W::kPod, 5, Running(p, "a", kT0 + seconds(5))}, {W::kNodeDeleted, 30, NodeObject("a")}},
       "node deleted during the test",
       true,
       false},
      {"pod ended without a result",
       {{W::kPod, 60, Terminated(p, "a", 1, "", kT0, kT0 + seconds(60))}},
       "pod ended without a result (exit code 1)",
       true,
       false},
      {"pod rejected by the kubelet",
       {{W::kPod, 2,
         [&] {
           nlohmann::json pod = Pod(p, "a", "Failed");
           pod["status"]["reason"] = "OutOfnvidia.com/gpu";
           pod["status"]["message"] = "Pod was rejected: Node didn't have enough resource: nvidia.com/gpu";
           return pod;
         }()}},
       "pod failed: OutOfnvidia.com/gpu: Pod was rejected: Node didn't have enough resource: nvidia.com/gpu",
       true,
       false},
      {"pod deleted by someone else",
       {{W::kPodDeleted, 30, Running(p, "a", kT0)}},
       "pod deleted before it finished",
       false,
       true},
      {"pod creation refused",
       {{W::kCreateFailed, 0, "pods \"x\" is forbidden: exceeded quota"}},
       "could not create pod: pods \"x\" is forbidden: exceeded quota",
       false,
       true},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    ValidationRun run(Config(1), {"a"});
    REQUIRE(run.Start(kT0) == std::vector<RunAction>{Create("a")});
    std::vector<RunAction> last;
    for (const Step& s : c.steps) {
      const TimePoint now = kT0 + seconds(s.at);
      switch (s.what) {
        case W::kPod:
          last = run.OnPodEvent(WatchEventType::kModified, s.object, now);
          break;
        case W::kPodDeleted:
          last = run.OnPodEvent(WatchEventType::kDeleted, s.object, now);
          break;
        case W::kNodeDeleted:
          last = run.OnNodeEvent(WatchEventType::kDeleted, s.object, now);
          break;
        case W::kTick:
          last = run.OnTick(now);
          break;
        case W::kCreateFailed:
          last = run.OnCreateFailed("a", s.object.get<std::string>(), now);
          break;
      }
    }
    std::vector<RunAction> expected;
    if (c.deletes_pod) expected.push_back(Delete("a"));
    expected.push_back(kDoneAction);
    CHECK(last == expected);
    const NodeResult r = run.Results().front();
    CHECK(r.verdict == Verdict::kError);
    CHECK(r.reason == c.reason);
    CHECK(run.unseen_nodes() == (c.unseen ? std::set<std::string>{"a"} : std::set<std::string>{}));
  }
}

TEST_CASE("ValidationRun: Unschedulable that clears within the grace period is no error") {
  ValidationRun run(Config(1), {"a"});
  (void)run.Start(kT0);
  const std::string p = GpuCheckPodName("a", "r1");
  CHECK(run.OnPodEvent(WatchEventType::kModified, Unschedulable(p, "0/3 nodes"), kT0 + seconds(1)).empty());
  CHECK(run.OnPodEvent(WatchEventType::kModified, Pod(p, "a"), kT0 + seconds(60)).empty());
  CHECK(run.OnTick(kT0 + seconds(130)).empty());
  CHECK(run.phase("a") == NodePhase::kScheduled);
}

TEST_CASE("ValidationRun: an abandoned pod keeps its slot until it is gone or delete_grace passes") {
  const std::string pa = GpuCheckPodName("a", "r1");
  {
    ValidationRun run(Config(1), {"a", "b"});
    (void)run.Start(kT0);
    CHECK(run.OnTick(kT0 + seconds(600)) == std::vector<RunAction>{Delete("a")});
    CHECK(run.slots_in_use() == 1);  // a's pod may still be running
    CHECK(run.OnPodEvent(WatchEventType::kModified, Running(pa, "a", kT0), kT0 + seconds(605)).empty());
    CHECK(run.OnPodEvent(WatchEventType::kDeleted, Running(pa, "a", kT0), kT0 + seconds(630)) ==
          std::vector<RunAction>{Create("b")});
    CHECK(run.Results()[0].reason == "timed out after 10m0s");
  }
  {
    ValidationRun run(Config(1), {"a", "b"});
    (void)run.Start(kT0);
    CHECK(run.OnTick(kT0 + seconds(600)) == std::vector<RunAction>{Delete("a")});
    CHECK(run.NextDeadline() == kT0 + seconds(660));
    CHECK(run.OnTick(kT0 + seconds(659)).empty());
    CHECK(run.OnTick(kT0 + seconds(660)) == std::vector<RunAction>{Create("b")});
  }
}

TEST_CASE("ValidationRun: a node deleted before its turn is never tested, unknown pods are ignored") {
  ValidationRun run(Config(1), {"a", "b", "c"});
  CHECK(run.Start(kT0) == std::vector<RunAction>{Create("a")});
  CHECK(run.OnNodeEvent(WatchEventType::kDeleted, NodeObject("b"), kT0 + seconds(1)).empty());
  CHECK(run.OnNodeEvent(WatchEventType::kModified, NodeObject("a"), kT0 + seconds(1)).empty());
  CHECK(run.OnPodEvent(WatchEventType::kModified, Terminated("someone-else", "a", 0, PassMessage(), kT0, kT0),
                       kT0 + seconds(2))
            .empty());
  CHECK(run.OnPodEvent(WatchEventType::kModified,
                       Terminated(GpuCheckPodName("a", "r1"), "a", 0, PassMessage(), kT0, kT0 + seconds(70)),
                       kT0 + seconds(70)) == std::vector<RunAction>{Delete("a"), Create("c")});
  const auto results = run.Results();
  CHECK(ResultOf(results, "b").verdict == Verdict::kError);
  CHECK(ResultOf(results, "b").reason == "node deleted before its test started");
  CHECK(ResultOf(results, "b").pod.empty());
}

TEST_CASE("ValidationRun: a result in the DELETED event's last state counts, with no second delete") {
  ValidationRun run(Config(1), {"a"});
  (void)run.Start(kT0);
  const std::string pa = GpuCheckPodName("a", "r1");
  CHECK(run.OnPodEvent(WatchEventType::kDeleted, Terminated(pa, "a", 0, PassMessage(), kT0, kT0 + seconds(70)),
                       kT0 + seconds(71)) == std::vector<RunAction>{kDoneAction});
  CHECK(run.Results()[0].verdict == Verdict::kPass);
}

}  // namespace llm

namespace llm {

TEST_CASE("ValidationRun::Cancel: pods that may run are deleted, every open node is an error") {
  ValidationRun run(Config(2), {"a", "b", "c", "d"});
  (void)run.Start(kT0);
  (void)run.OnPodEvent(WatchEventType::kModified,
                       Terminated(GpuCheckPodName("a", "r1"), "a", 0, PassMessage(), kT0, kT0 + seconds(60)),
                       kT0 + seconds(60));  // c starts
  CHECK(run.Cancel("interrupted", kT0 + seconds(70)) == std::vector<RunAction>{Delete("b"), Delete("c"), kDoneAction});
  const auto results = run.Results();
  CHECK(results[0].verdict == Verdict::kPass);
  for (std::size_t i = 1; i < 4; ++i) {
    CHECK(results[i].verdict == Verdict::kError);
    CHECK(results[i].reason == "interrupted");
  }
  CHECK(run.slots_in_use() == 0);
  CHECK(run.Cancel("again", kT0 + seconds(80)).empty());
}

}  // namespace llm

namespace llm {

TEST_CASE("ValidationRun and SelectNodes never throw on oddly shaped objects") {
  const std::string p = GpuCheckPodName("a", "r1");
  const char* const kOdd[] = {
      R"(null)",
      R"("pod")",
      R"({"metadata":"x"})",
      R"({"metadata":{"name":5}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":"x"})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"spec":"x","status":{"phase":3}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"containerStatuses":"x"}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"containerStatuses":[1,"x"]}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"containerStatuses":[{"state":"x"}]}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"containerStatuses":[{"state":{"terminated":"x"}}]}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"containerStatuses":[{"state":{"terminated":{"exitCode":"1","message":7}}}]}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"conditions":[1,{"type":2}]}})",
      R"({"metadata":{"name":"gpu-check-r1-a"},"status":{"containerStatuses":[{"state":{"waiting":{"reason":1}}}]}})",
      R"({"metadata":{"name":"a","labels":"x"},"spec":{"unschedulable":"yes"},"status":{"allocatable":{"nvidia.com/gpu":"8"},"conditions":[{"type":"Ready","status":1}]}})",
      R"({"metadata":{"name":"a"},"spec":{"nodeName":"a","containers":[{"resources":{"requests":"x"}}]},"status":{"phase":"Running"}})",
      R"({"metadata":{"name":"a"},"spec":{"nodeName":"a","containers":"x","initContainers":[1]}})",
      R"({"items":"x"})",
  };
  REQUIRE(GpuCheckPodName("a", "r1") == p);
  std::vector<nlohmann::json> odd;
  for (const char* text : kOdd) odd.push_back(nlohmann::json::parse(text));
  for (const nlohmann::json& object : odd) {
    INFO(object.dump());
    ValidationRun run(Config(1), {"a"});
    (void)run.Start(kT0);
    CHECK_NOTHROW((void)run.OnPodEvent(WatchEventType::kModified, object, kT0 + seconds(1)));
    CHECK_NOTHROW((void)run.OnPodEvent(WatchEventType::kDeleted, object, kT0 + seconds(2)));
    CHECK_NOTHROW((void)run.OnNodeEvent(WatchEventType::kDeleted, object, kT0 + seconds(3)));
    CHECK_NOTHROW((void)SelectNodes({}, nlohmann::json::array({object}), nlohmann::json::array({object})));
    CHECK_NOTHROW((void)SelectNodes({}, object, object));
  }
}

}  // namespace llm
