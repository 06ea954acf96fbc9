// A 1,000-node run of ValidationRun against a simulated cluster: pods go
// through the phases on a simulated clock, with faults planted on some nodes.
// Checks that no more than max_parallel self-test pods are ever live, that
// every node ends with the verdict its fault calls for, and that the work per
// event stays bounded (no scan over all nodes per event).
#include <map>
#include <queue>
#include <set>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "node_validation/validation_run.h"
#include "termination_summary.h"

namespace llm {
namespace {

using std::chrono::seconds;

enum class Fault { kNone, kUnschedulable, kImagePull, kHang, kNodeDeleted, kFailing, kNoResult };

Fault FaultOf(int index) {
  switch (index % 100) {
    case 7:
      return Fault::kUnschedulable;
    case 13:
      return Fault::kImagePull;
    case 21:
      return Fault::kHang;
    case 33:
      return Fault::kNodeDeleted;
    case 45:
      return Fault::kFailing;
    case 50:
      return Fault::kNoResult;
    default:
      return Fault::kNone;
  }
}

struct SimEvent {
  TimePoint at;
  std::uint64_t seq;
  enum class What { kPod, kPodDeleted, kNodeDeleted } what;
  nlohmann::json object;
  bool operator>(const SimEvent& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

/// The cluster side: turns CreatePod/DeletePod into the watch events a real
/// API server would send, and tracks which self-test pods are live (created,
/// not yet ended, deleted or orphaned by their node's deletion).
class SimCluster {
 public:
  SimCluster(TimePoint t0, std::map<std::string, Fault> faults) : t0_(t0), faults_(std::move(faults)) {}

  void Apply(const RunAction& a, TimePoint now) {
    if (a.kind == RunAction::Kind::kCreatePod) {
      REQUIRE_FALSE(live_.contains(a.pod));
      live_.insert(a.pod);
      max_live_ = std::max(max_live_, live_.size());
      ++created_;
      node_of_[a.pod] = a.node;
      Script(a.pod, a.node, now);
    } else if (a.kind == RunAction::Kind::kDeletePod) {
      ++deletes_;
      if (deleted_.insert(a.pod).second) {
        // Graceful termination: gone 20s later, well inside delete_grace.
        Push(now + seconds(20), SimEvent::What::kPodDeleted, PodObject(a.pod, node_of_[a.pod], "Running"));
      }
    } else {
      done_ = true;
    }
  }

  bool Empty() const { return events_.empty(); }
  const SimEvent& Next() const { return events_.top(); }
  SimEvent Pop() {
    SimEvent e = events_.top();
    events_.pop();
    // What the event means for liveness, as the cluster sees it.
    const std::string name = e.object["metadata"]["name"].get<std::string>();
    if (e.what == SimEvent::What::kPodDeleted) live_.erase(name);
    if (e.what == SimEvent::What::kPod) {
      const std::string phase = e.object["status"].value("phase", "");
      if (phase == "Succeeded" || phase == "Failed") live_.erase(name);
      if (deleted_.contains(name)) e.what = SimEvent::What::kPodDeleted;  // late update of a deleted pod: drop
    }
    if (e.what == SimEvent::What::kNodeDeleted) {
      const std::string pod = pod_of_[name];
      live_.erase(pod);  // nothing runs on a node that is gone
    }
    return e;
  }

  std::size_t max_live() const { return max_live_; }
  std::size_t live() const { return live_.size(); }
  std::size_t created() const { return created_; }
  bool done() const { return done_; }

 private:
  static nlohmann::json PodObject(const std::string& name, const std::string& node, const std::string& phase) {
    nlohmann::json pod = {
        {"metadata", {{"name", name}}}, {"spec", nlohmann::json::object()}, {"status", {{"phase", phase}}}};
    if (!node.empty()) pod["spec"]["nodeName"] = node;
    return pod;
  }

  void Push(TimePoint at, SimEvent::What what, nlohmann::json object) {
    events_.push(SimEvent{at, seq_++, what, std::move(object)});
  }

  void Script(const std::string& pod, const std::string& node, TimePoint now) {
    const Fault fault = faults_[node];
    pod_of_[node] = pod;
    if (fault == Fault::kUnschedulable) {
      nlohmann::json p = PodObject(pod, "", "Pending");
      p["status"]["conditions"] = {{{"type", "PodScheduled"},
                                    {"status", "False"},
                                    {"reason", "Unschedulable"},
                                    {"message", "0/1000 nodes are available"}}};
      Push(now + seconds(1), SimEvent::What::kPod, p);
      return;
    }
    Push(now + seconds(1), SimEvent::What::kPod, PodObject(pod, node, "Pending"));
    if (fault == Fault::kImagePull) {
      nlohmann::json p = PodObject(pod, node, "Pending");
      p["status"]["containerStatuses"] = {
          {{"name", "gpu-check"}, {"state", {{"waiting", {{"reason", "ImagePullBackOff"}, {"message", "back-off"}}}}}}};
      Push(now + seconds(8), SimEvent::What::kPod, p);
      return;
    }
    nlohmann::json running = PodObject(pod, node, "Running");
    running["status"]["containerStatuses"] = {
        {{"name", "gpu-check"}, {"state", {{"running", {{"startedAt", FormatRfc3339(now + seconds(4))}}}}}}};
    Push(now + seconds(4), SimEvent::What::kPod, running);
    if (fault == Fault::kHang) return;
    if (fault == Fault::kNodeDeleted) {
      Push(now + seconds(30), SimEvent::What::kNodeDeleted, {{"metadata", {{"name", node}}}});
      return;
    }
    const auto took = seconds(60 + static_cast<int>(std::hash<std::string>{}(node) % 30));
    gpu_check::TerminationSummary s;
    s.worst = {{"hbm_copy", 2900.0}, {"nccl_busbw", 470.0}};
    int exit_code = 0;
    std::string message = gpu_check::FormatTerminationSummary(s);
    if (fault == Fault::kFailing) {
      s.status = gpu_check::TestStatus::kFail;
      s.exit_code = exit_code = 1;
      s.reason = "hbm: gpu 0 below floor";
      message = gpu_check::FormatTerminationSummary(s);
    } else if (fault == Fault::kNoResult) {
      exit_code = 1;
      message = "";
    }
    nlohmann::json ended = PodObject(pod, node, exit_code == 0 ? "Succeeded" : "Failed");
    ended["status"]["containerStatuses"] = {{{"name", "gpu-check"},
                                             {"state",
                                              {{"terminated",
                                                {{"exitCode", exit_code},
                                                 {"message", message},
                                                 {"startedAt", FormatRfc3339(now + seconds(4))},
                                                 {"finishedAt", FormatRfc3339(now + took)}}}}}}};
    Push(now + took, SimEvent::What::kPod, ended);
  }

  TimePoint t0_;
  std::map<std::string, Fault> faults_;
  std::priority_queue<SimEvent, std::vector<SimEvent>, std::greater<>> events_;
  std::set<std::string> live_;
  std::set<std::string> deleted_;
  std::map<std::string, std::string> node_of_;
  std::map<std::string, std::string> pod_of_;
  std::uint64_t seq_ = 0;
  std::size_t max_live_ = 0;
  std::size_t created_ = 0;
  std::size_t deletes_ = 0;
  bool done_ = false;
};

struct SimOutcome {
  std::vector<NodeResult> results;
  std::uint64_t steps = 0;
  std::uint64_t events = 0;
  std::size_t max_live = 0;
  std::size_t created = 0;
};

SimOutcome Simulate(int node_count, int max_parallel) {
  const TimePoint t0 = std::chrono::system_clock::from_time_t(1795867200);
  std::vector<std::string> nodes;
  std::map<std::string, Fault> faults;
  for (int i = 0; i < node_count; ++i) {
    nodes.push_back(fmt::format("gpu-{:05d}", i));
    faults[nodes.back()] = FaultOf(i);
  }
  ValidationRunConfig config;
  config.max_parallel = max_parallel;
  config.timeout = seconds(600);
  config.unschedulable_grace = seconds(120);
  config.delete_grace = seconds(60);
  config.run_id = "s";
  ValidationRun run(config, nodes);
  SimCluster cluster(t0, faults);
  SimOutcome out;

  auto apply = [&](const std::vector<RunAction>& actions, TimePoint now) {
    for (const RunAction& a : actions) cluster.Apply(a, now);
    CHECK(run.slots_in_use() <= max_parallel);
  };
  apply(run.Start(t0), t0);
  while (!run.finished()) {
    const std::optional<TimePoint> deadline = run.NextDeadline();
    if (cluster.Empty() && !deadline) FAIL("the run is stuck: no event and no timer");
    if (deadline && (cluster.Empty() || *deadline < cluster.Next().at)) {
      ++out.events;
      apply(run.OnTick(*deadline), *deadline);
      continue;
    }
    SimEvent e = cluster.Pop();
    ++out.events;
    switch (e.what) {
      case SimEvent::What::kPod:
        apply(run.OnPodEvent(WatchEventType::kModified, e.object, e.at), e.at);
        break;
      case SimEvent::What::kPodDeleted:
        apply(run.OnPodEvent(WatchEventType::kDeleted, e.object, e.at), e.at);
        break;
      case SimEvent::What::kNodeDeleted:
        apply(run.OnNodeEvent(WatchEventType::kDeleted, e.object, e.at), e.at);
        break;
    }
  }
  CHECK(cluster.done());
  out.results = run.Results();
  out.steps = run.steps();
  out.max_live = cluster.max_live();
  out.created = cluster.created();
  return out;
}

}  // namespace

TEST_CASE("ValidationRun at scale: 1,000 nodes, --max-parallel 25, planted faults") {
  const SimOutcome sim = Simulate(1000, 25);
  CHECK(sim.max_live <= 25);
  CHECK(sim.max_live == 25);  // and it does use its parallelism
  CHECK(sim.created == 1000);
  REQUIRE(sim.results.size() == 1000);
  std::map<std::string, int> by_reason;
  for (std::size_t i = 0; i < sim.results.size(); ++i) {
    const NodeResult& r = sim.results[i];
    INFO(r.node << ": " << VerdictName(r.verdict) << " " << r.reason);
    switch (FaultOf(static_cast<int>(i))) {
      case Fault::kNone:
        CHECK(r.verdict == Verdict::kPass);
        break;
      case Fault::kFailing:
        CHECK(r.verdict == Verdict::kFail);
        break;
      case Fault::kUnschedulable:
        CHECK(r.verdict == Verdict::kError);
        CHECK(r.reason == "pod could not be scheduled: 0/1000 nodes are available");
        break;
      case Fault::kImagePull:
        CHECK(r.verdict == Verdict::kError);
        CHECK(r.reason == "image could not be pulled: ImagePullBackOff: back-off");
        break;
      case Fault::kHang:
        CHECK(r.verdict == Verdict::kError);
        CHECK(r.reason == "timed out after 10m0s");
        break;
      case Fault::kNodeDeleted:
        CHECK(r.verdict == Verdict::kError);
        CHECK(r.reason == "node deleted during the test");
        break;
      case Fault::kNoResult:
        CHECK(r.verdict == Verdict::kError);
        CHECK(r.reason == "pod ended without a result (exit code 1)");
        break;
    }
    ++by_reason[std::string(VerdictName(r.verdict))];
  }
  CHECK(by_reason["pass"] == 940);
  CHECK(by_reason["fail"] == 10);
  CHECK(by_reason["error"] == 50);
  // Bounded work per event: a scan over all nodes per event would be ~1000x.
  INFO("steps " << sim.steps << " for " << sim.events << " events");
  CHECK(sim.steps <= 4 * (sim.events + 1000));
}

TEST_CASE("ValidationRun at scale: work grows linearly with the node count") {
  const SimOutcome small = Simulate(500, 10);
  const SimOutcome large = Simulate(2000, 10);
  CHECK(small.max_live <= 10);
  CHECK(large.max_live <= 10);
  // 4x the nodes: about 4x the steps (a quadratic scan would be 16x).
  CHECK(large.steps <= 5 * small.steps);
}

TEST_CASE("ValidationRun at scale: --max-parallel 1 runs one pod at a time") {
  const SimOutcome sim = Simulate(200, 1);
  CHECK(sim.max_live == 1);
  CHECK(sim.created == 200);
}

}  // namespace llm
