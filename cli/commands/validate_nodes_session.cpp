#include "commands/validate_nodes_session.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/watcher.h"
#include "node_validation/pod_reading.h"
#include "util/interrupt_signals.h"

namespace llm {
namespace {

using nlohmann::json;

/// The server ends each watch request after this long and the watcher resumes
/// from the last resourceVersion (nothing is listed again). Kept short because
/// a blocked watch can only notice that the run is over when its request ends:
/// this bounds how long the command lingers after the last verdict.
constexpr std::chrono::seconds kWatchRequestSeconds{2};
/// Timers are also checked this often when no event arrives (no API request).
constexpr std::chrono::seconds kMaxSleep{1};
/// Re-reads after 409 Conflict before giving up on a node's patch.
constexpr int kPatchAttempts = 5;
/// Requests in flight at once for creates, deletes and node patches. One at a
/// time, a thousand nodes' requests queued behind each other's round trips;
/// the client's rate limiter (qps/burst) still bounds what the server sees.
constexpr int kRequestWorkers = 8;

/// Bookmarks and "synced" carry no object; the machines need neither.
bool CarriesObject(kube::WatchEventType type) {
  return type == kube::WatchEventType::kAdded || type == kube::WatchEventType::kModified ||
         type == kube::WatchEventType::kDeleted;
}

// What Drive needs to know of each machine's actions.
bool IsDone(const RunAction& a) { return a.kind == RunAction::Kind::kDone; }
bool IsDone(const PairAction& a) { return a.kind == PairAction::Kind::kDone; }
const std::string& CreateKey(const RunAction& a) { return a.node; }
const std::string& CreateKey(const PairAction& a) { return a.job; }

/// Shared between the watch threads and the caller; every field under `mu`.
template <typename Machine, typename Action>
struct SharedState {
  std::mutex mu;
  std::condition_variable wake;
  Machine& machine;
  std::deque<Action> actions;
  bool stop = false;
  std::optional<Error> watch_error;
  std::unordered_map<std::string, json> nodes;  ///< the machine's nodes, latest seen

  explicit SharedState(Machine& m) : machine(m) {}

  void Queue(std::vector<Action> more) {
    for (Action& a : more) actions.push_back(std::move(a));
    if (!more.empty()) wake.notify_all();
  }
};

template <typename Machine, typename Action>
void WatchThread(kube::RestClient& client, Clock& clock, kube::ResourceRef collection, std::string label_selector,
                 SharedState<Machine, Action>& shared, bool pods) {
  kube::WatchOptions options;
  options.label_selector = std::move(label_selector);
  options.max_watch_duration = kWatchRequestSeconds;
  // Of a node, the machines need its name and PatchNodes what the patch reads;
  // every node of the cluster is watched (deletes of tested ones matter).
  // Of a pod, what the machines read.
  options.transform = pods ? KeepRunPodFields : KeepPatchFields;
  options.stop_requested = [&shared] {
    std::lock_guard<std::mutex> lock(shared.mu);
    return shared.stop;
  };
  kube::Watcher watcher(client, clock, collection, options);
  Status status = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
    std::lock_guard<std::mutex> lock(shared.mu);
    if (shared.stop) return false;
    if (!CarriesObject(event.type)) return true;
    if (pods) {
      shared.Queue(shared.machine.OnPodEvent(event.type, event.object, clock.Now()));
    } else {
      std::string name = NameOf(event.object);
      auto known = shared.nodes.find(name);
      if (known != shared.nodes.end()) {
        known->second = event.type == kube::WatchEventType::kDeleted ? json() : event.object;
        shared.Queue(shared.machine.OnNodeEvent(event.type, event.object, clock.Now()));
      }
    }
    return !shared.stop;
  });
  std::lock_guard<std::mutex> lock(shared.mu);
  if (!status.ok() && !shared.stop && !shared.watch_error) {
    shared.watch_error = status.error().WithContext(fmt::format("watching {}", collection.resource));
    shared.wake.notify_all();
  }
}

struct DriveOutcome {
  std::map<std::string, json> nodes;  ///< the machine's nodes as last seen (deleted ones left out)
  int signal = 0;                     ///< the machine was cancelled because of this signal
};

/// Runs `machine` to its Done action: one pod watch (`pod_selector` in `ns`)
/// and one node watch feed it; `execute` carries out every other action and
/// returns the message of a refused create. Returns before Done, with nothing
/// more executed, when `interrupted` reports a signal (`on_interrupt` runs
/// first, under the lock, to cancel the machine).
template <typename Machine, typename Action>
Result<DriveOutcome> Drive(kube::RestClient& client, Clock& clock, Machine& machine, const std::string& ns,
                           const std::string& pod_selector, const std::vector<std::string>& node_names,
                           const InterruptedFn& interrupted,
                           const std::function<std::optional<std::string>(const Action&)>& execute,
                           const std::function<void(int signal)>& on_interrupt) {
  SharedState<Machine, Action> shared(machine);
  for (const std::string& name : node_names) shared.nodes.emplace(name, json());
  auto signal_now = [&] { return interrupted ? interrupted() : 0; };

  std::thread pod_watch(WatchThread<Machine, Action>, std::ref(client), std::ref(clock), kube::core::Pods(ns),
                        pod_selector, std::ref(shared), /*pods=*/true);
  std::thread node_watch(WatchThread<Machine, Action>, std::ref(client), std::ref(clock), kube::core::Nodes(),
                         std::string(), std::ref(shared), /*pods=*/false);

  // Actions are carried out by a few workers, so creates and deletes overlap;
  // the machine only learns of a refused create (it already counts the pod
  // as launched). A delete may overtake the create of the same pod only when
  // a timer fires while the create is still in flight; the final clean-up by
  // label removes such a pod.
  std::deque<Action> work;  // under shared.mu
  std::condition_variable work_ready;
  bool closing = false;
  auto work_loop = [&] {
    std::unique_lock<std::mutex> lock(shared.mu);
    while (true) {
      work_ready.wait(lock, [&] { return closing || !work.empty(); });
      if (work.empty()) return;
      Action action = std::move(work.front());
      work.pop_front();
      lock.unlock();
      std::optional<std::string> create_failure = execute(action);
      lock.lock();
      if (create_failure && !shared.stop) {
        shared.Queue(machine.OnCreateFailed(CreateKey(action), *create_failure, clock.Now()));
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < kRequestWorkers; ++i) workers.emplace_back(work_loop);

  std::optional<Error> failure;
  DriveOutcome outcome;
  {
    std::unique_lock<std::mutex> lock(shared.mu);
    shared.Queue(machine.Start(clock.Now()));
    bool cancelled = false;
    while (true) {
      if (const int signal = signal_now(); signal != 0) {
        // Stop launching: what is queued is dropped; the caller deletes the
        // run's objects in bulk (or keeps them with --keep).
        outcome.signal = signal;
        shared.actions.clear();
        work.clear();
        on_interrupt(signal);
        break;
      }
      if (shared.watch_error && !cancelled) {
        cancelled = true;
        failure = shared.watch_error;
        shared.Queue(
            machine.Cancel(fmt::format("the run was stopped: {}", shared.watch_error->message()), clock.Now()));
      }
      if (shared.actions.empty()) {
        auto wake_at = clock.Now() + kMaxSleep;
        if (auto deadline = machine.NextDeadline()) wake_at = std::min(wake_at, *deadline);
        shared.wake.wait_until(lock, wake_at,
                               [&] { return !shared.actions.empty() || (shared.watch_error && !cancelled); });
        if (shared.actions.empty()) shared.Queue(machine.OnTick(clock.Now()));
        continue;
      }
      Action action = std::move(shared.actions.front());
      shared.actions.pop_front();
      if (IsDone(action)) break;
      work.push_back(std::move(action));
      work_ready.notify_one();
    }
    // Workers finish what was handed to them (deletes of ended pods), then end.
    closing = true;
    work_ready.notify_all();
  }
  for (std::thread& worker : workers) worker.join();
  {
    std::lock_guard<std::mutex> lock(shared.mu);
    shared.stop = true;
  }
  pod_watch.join();
  node_watch.join();
  if (failure) return *failure;
  for (auto& [name, node] : shared.nodes) {
    if (!node.is_null()) outcome.nodes.emplace(name, std::move(node));
  }
  return outcome;
}

std::string InterruptReason(int signal) { return fmt::format("interrupted by {}", SignalName(signal)); }

/// A create refused by the API server, as its message.
std::optional<std::string> CreateObject(kube::RestClient& client, const kube::ResourceRef& ref, json object) {
  auto created = client.Create(ref, object, /*dry_run=*/false);
  if (created.ok()) return std::nullopt;
  return created.error().message();
}

}  // namespace

Result<LiveRunOutcome> ExecuteValidationRun(kube::RestClient& client, Clock& clock, const LiveRunRequest& request) {
  std::vector<std::string> names;
  std::unordered_map<std::string, const NodeCandidate*> candidates;
  for (const NodeCandidate& node : request.nodes) {
    names.push_back(node.name);
    candidates.emplace(node.name, &node);
  }
  ValidationRun run(request.run, names);
  LiveRunOutcome outcome;
  std::function<std::optional<std::string>(const RunAction&)> execute = [&](const RunAction& action) {
    kube::ResourceRef pod = kube::core::Pods(request.ns, action.pod);
    if (action.kind == RunAction::Kind::kDeletePod) {
      // The pod's own grace period: a forced delete would free the API object
      // while the container may still hold the node's GPUs.
      auto deleted = client.Delete(pod, kube::DeleteOptions{});
      (void)deleted;  // NotFound is fine; anything else leaves the delete-grace timer to free the slot
      return std::optional<std::string>();
    }
    Result<nlohmann::ordered_json> manifest = request.render_pod(*candidates.at(action.node), action.pod);
    if (!manifest.ok()) return std::optional<std::string>(manifest.error().message());
    return CreateObject(client, pod, json(*manifest));
  };
  auto on_interrupt = [&](int signal) {
    for (const std::string& name : names) {
      if (run.phase(name) != NodePhase::kDone) outcome.interrupted_nodes.insert(name);
    }
    run.Cancel(InterruptReason(signal), clock.Now());
  };
  LLM_ASSIGN_OR_RETURN(DriveOutcome driven,
                       (Drive<ValidationRun, RunAction>(client, clock, run, request.ns,
                                                        fmt::format("{}={}", kGpuCheckRunLabel, request.run_id), names,
                                                        request.interrupted, execute, on_interrupt)));
  outcome.results = run.Results();
  outcome.unseen_nodes = run.unseen_nodes();
  outcome.nodes = std::move(driven.nodes);
  outcome.signal = driven.signal;
  return outcome;
}

Result<PairRunOutcome> ExecutePairRun(kube::RestClient& client, Clock& clock, const PairRunRequest& request) {
  std::vector<std::string> names;
  std::unordered_map<std::string, const NodeCandidate*> candidates;
  for (const NodeCandidate& node : request.nodes) {
    names.push_back(node.name);
    candidates.emplace(node.name, &node);
  }
  PairRun run(request.run, names);
  std::function<std::optional<std::string>(const PairAction&)> execute = [&](const PairAction& action) {
    kube::ResourceRef job{"batch", "v1", "jobs", request.ns, action.job, ""};
    kube::ResourceRef service = kube::core::Services(request.ns, action.job);
    if (action.kind == PairAction::Kind::kDeleteJob) {
      // Background propagation: the garbage collector removes the pods, each
      // with its grace period, so the self-test can still write its report.
      (void)client.Delete(job, kube::DeleteOptions{});
      (void)client.Delete(service, kube::DeleteOptions{});
      return std::optional<std::string>();
    }
    auto objects =
        request.render_pair(*candidates.at(action.nodes.first), *candidates.at(action.nodes.second), action.job);
    if (!objects.ok()) return std::optional<std::string>(objects.error().message());
    for (const nlohmann::ordered_json& object : *objects) {
      const bool is_job = object.value("kind", "") == "Job";
      if (auto refused = CreateObject(client, is_job ? job : service, json(object))) return refused;
    }
    return std::optional<std::string>();
  };
  auto on_interrupt = [&](int signal) { run.Cancel(InterruptReason(signal), clock.Now()); };
  PairRunOutcome outcome;
  if (names.size() < 2) {  // nothing to pair: no watch needed
    run.Start(clock.Now());
    outcome.node_results = run.NodeResults();
    return outcome;
  }
  LLM_ASSIGN_OR_RETURN(DriveOutcome driven,
                       (Drive<PairRun, PairAction>(client, clock, run, request.ns,
                                                   fmt::format("{}={}", kGpuCheckRunLabel, request.run_id), names,
                                                   request.interrupted, execute, on_interrupt)));
  for (const PairTestResult& p : run.Pairs()) {
    if (p.created) outcome.pairs.push_back(p);
  }
  outcome.node_results = run.NodeResults();
  outcome.nodes = std::move(driven.nodes);
  outcome.signal = driven.signal;
  outcome.interrupted_nodes = run.cancelled_nodes();
  return outcome;
}

Result<int> PatchNodes(kube::RestClient& client, const std::vector<NodeResult>& results,
                       const std::map<std::string, json>& nodes, const RecordSettings& settings) {
  // One node's record: its own GET only when the run never saw it, and a
  // re-read after each 409 Conflict.
  auto record = [&](const NodeResult& result) -> Result<bool> {
    kube::ResourceRef ref = kube::core::Nodes(result.node);
    json node;
    if (auto seen = nodes.find(result.node); seen != nodes.end()) {
      node = seen->second;
    } else {
      LLM_ASSIGN_OR_RETURN(node, client.Get(ref));
    }
    for (int attempt = 1;; ++attempt) {
      std::optional<json> patch = ComputeNodePatch(result, node, settings, *result.finished_at);
      if (!patch) return false;
      auto sent = client.MergePatch(ref, *patch, /*dry_run=*/false);
      if (sent.ok()) return true;
      if (sent.error().kind() != ErrorKind::kConflict || attempt == kPatchAttempts) {
        return sent.error().WithContext(fmt::format("recording the result on node {}", result.node));
      }
      LLM_ASSIGN_OR_RETURN(node, client.Get(ref));
    }
  };
  std::mutex mu;
  std::size_t next = 0;
  int patched = 0;
  std::optional<Error> first_error;  // stops the other workers from starting more
  auto work_loop = [&] {
    while (true) {
      const NodeResult* result = nullptr;
      {
        std::lock_guard<std::mutex> lock(mu);
        while (next < results.size() && !results[next].finished_at) ++next;
        if (first_error || next == results.size()) return;
        result = &results[next++];
      }
      Result<bool> done = record(*result);
      std::lock_guard<std::mutex> lock(mu);
      if (!done.ok()) {
        if (!first_error) first_error = done.error();
      } else if (*done) {
        ++patched;
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < kRequestWorkers; ++i) workers.emplace_back(work_loop);
  for (std::thread& worker : workers) worker.join();
  if (first_error) return *first_error;
  return patched;
}

}  // namespace llm
