#include "commands/validate_nodes_session.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "kube/watcher.h"

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

std::optional<WatchEventType> RunEventType(kube::WatchEventType type) {
  switch (type) {
    case kube::WatchEventType::kAdded: return WatchEventType::kAdded;
    case kube::WatchEventType::kModified: return WatchEventType::kModified;
    case kube::WatchEventType::kDeleted: return WatchEventType::kDeleted;
    default: return std::nullopt;  // bookmarks and "synced" carry no object
  }
}

std::string NameOf(const json& object) {
  const json& metadata = object.value("metadata", json::object());
  return metadata.is_object() ? metadata.value("name", "") : "";
}

/// Shared between the watch threads and the caller; every field under `mu`.
struct SharedState {
  std::mutex mu;
  std::condition_variable wake;
  ValidationRun run;
  std::deque<RunAction> actions;
  bool stop = false;
  std::optional<Error> watch_error;
  std::unordered_map<std::string, json> nodes;  ///< tested nodes, latest seen

  SharedState(ValidationRunConfig config, std::vector<std::string> names) : run(std::move(config), std::move(names)) {}

  void Queue(std::vector<RunAction> more) {
    for (RunAction& a : more) actions.push_back(std::move(a));
    if (!more.empty()) wake.notify_all();
  }
};

void WatchThread(kube::RestClient& client, Clock& clock, kube::ResourceRef collection, std::string label_selector,
                 SharedState& shared, bool pods) {
  kube::WatchOptions options;
  options.label_selector = std::move(label_selector);
  options.max_watch_duration = kWatchRequestSeconds;
  options.stop_requested = [&shared] {
    std::lock_guard<std::mutex> lock(shared.mu);
    return shared.stop;
  };
  kube::Watcher watcher(client, clock, collection, options);
  Status status = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
    std::lock_guard<std::mutex> lock(shared.mu);
    if (shared.stop) return false;
    std::optional<WatchEventType> type = RunEventType(event.type);
    if (!type) return true;
    if (pods) {
      shared.Queue(shared.run.OnPodEvent(*type, event.object, clock.Now()));
    } else {
      std::string name = NameOf(event.object);
      auto known = shared.nodes.find(name);
      if (known != shared.nodes.end()) {
        known->second = *type == WatchEventType::kDeleted ? json() : event.object;
        shared.Queue(shared.run.OnNodeEvent(*type, event.object, clock.Now()));
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

/// Carries out one CreatePod or DeletePod without holding the lock; a refused
/// create is told through `create_failure`.
void Execute(kube::RestClient& client, const LiveRunRequest& request,
                               const std::unordered_map<std::string, const NodeCandidate*>& candidates,
                               const RunAction& action, std::optional<std::string>* create_failure) {
  kube::ResourceRef pod{"", "v1", "pods", request.ns, action.pod, ""};
  if (action.kind == RunAction::Kind::kDeletePod) {
    // The pod's own grace period: a forced delete would free the API object
    // while the container may still hold the node's GPUs.
    auto deleted = client.Delete(pod, kube::DeleteOptions{});
    (void)deleted;  // NotFound is fine; anything else leaves the delete-grace timer to free the slot
    return;
  }
  const NodeCandidate& node = *candidates.at(action.node);
  Result<nlohmann::ordered_json> manifest = request.render_pod(node, action.pod);
  if (!manifest.ok()) {
    *create_failure = manifest.error().message();
    return;
  }
  auto created = client.Create(pod, json(*manifest), /*dry_run=*/false);
  if (!created.ok()) *create_failure = created.error().message();
}

}  // namespace

Result<LiveRunOutcome> ExecuteValidationRun(kube::RestClient& client, Clock& clock, const LiveRunRequest& request) {
  std::vector<std::string> names;
  std::unordered_map<std::string, const NodeCandidate*> candidates;
  for (const NodeCandidate& node : request.nodes) {
    names.push_back(node.name);
    candidates.emplace(node.name, &node);
  }
  SharedState shared(request.run, names);
  for (const std::string& name : names) shared.nodes.emplace(name, json());

  std::thread pod_watch(WatchThread, std::ref(client), std::ref(clock),
                        kube::ResourceRef{"", "v1", "pods", request.ns, "", ""},
                        fmt::format("{}={}", kGpuCheckRunLabel, request.run_id), std::ref(shared), true);
  std::thread node_watch(WatchThread, std::ref(client), std::ref(clock), kube::ResourceRef{"", "v1", "nodes", "", "", ""},
                         std::string(), std::ref(shared), false);

  std::optional<Error> failure;
  {
    std::unique_lock<std::mutex> lock(shared.mu);
    shared.Queue(shared.run.Start(clock.Now()));
    bool cancelled = false;
    while (true) {
      if (shared.watch_error && !cancelled) {
        cancelled = true;
        failure = shared.watch_error;
        shared.Queue(shared.run.Cancel(fmt::format("the run was stopped: {}", shared.watch_error->message()), clock.Now()));
      }
      if (shared.actions.empty()) {
        auto wake_at = clock.Now() + kMaxSleep;
        if (auto deadline = shared.run.NextDeadline()) wake_at = std::min(wake_at, *deadline);
        shared.wake.wait_until(lock, wake_at, [&] { return !shared.actions.empty() || (shared.watch_error && !cancelled); });
        if (shared.actions.empty()) shared.Queue(shared.run.OnTick(clock.Now()));
        continue;
      }
      RunAction action = std::move(shared.actions.front());
      shared.actions.pop_front();
      if (action.kind == RunAction::Kind::kDone) break;
      lock.unlock();
      std::optional<std::string> create_failure;
      Execute(client, request, candidates, action, &create_failure);
      lock.lock();
      if (create_failure) shared.Queue(shared.run.OnCreateFailed(action.node, *create_failure, clock.Now()));
    }
    shared.stop = true;
  }
  pod_watch.join();
  node_watch.join();
  if (failure) return *failure;

  LiveRunOutcome outcome;
  outcome.results = shared.run.Results();
  for (auto& [name, node] : shared.nodes) {
    if (!node.is_null()) outcome.nodes.emplace(name, std::move(node));
  }
  return outcome;
}

Result<int> PatchNodes(kube::RestClient& client, const std::vector<NodeResult>& results,
                       const std::map<std::string, json>& nodes, const RecordSettings& settings) {
  int patched = 0;
  for (const NodeResult& result : results) {
    if (!result.finished_at) continue;
    kube::ResourceRef ref{"", "v1", "nodes", "", result.node, ""};
    json node;
    if (auto seen = nodes.find(result.node); seen != nodes.end()) {
      node = seen->second;
    } else {
      LLM_ASSIGN_OR_RETURN(node, client.Get(ref));
    }
    for (int attempt = 1;; ++attempt) {
      std::optional<json> patch = ComputeNodePatch(result, node, settings, *result.finished_at);
      if (!patch) break;
      auto sent = client.MergePatch(ref, *patch, /*dry_run=*/false);
      if (sent.ok()) {
        ++patched;
        break;
      }
      if (sent.error().kind() != ErrorKind::kConflict || attempt == kPatchAttempts) {
        return sent.error().WithContext(fmt::format("recording the result on node {}", result.node));
      }
      LLM_ASSIGN_OR_RETURN(node, client.Get(ref));
    }
  }
  return patched;
}

}  // namespace llm
