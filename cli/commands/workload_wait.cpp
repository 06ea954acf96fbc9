#include "commands/workload_wait.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "commands/controller_liveness.h"
#include "kube/object_fields.h"
#include "kube/rollout_status.h"
#include "kube/url_query.h"
#include "kube/waiter.h"
#include "kube/watcher.h"
#include "workload/backed_off_pods.h"
#include "workload/pod_progress.h"
#include "workload/progress_printer.h"
#include "workload/workload_controller.h"

namespace llm {
namespace {

using nlohmann::json;

std::string Selector(const std::string& instance) { return "app.kubernetes.io/instance=" + instance; }

json ListOrEmpty(kube::RestClient& client, const kube::ResourceRef& ref, const kube::ListOptions& options) {
  auto list = client.List(ref, options);
  return list.ok() ? (*list)["items"] : json::array();
}

/// Events about the given pods or the workload itself.
json EventsAbout(const json& events, const std::set<std::string>& names) {
  json out = json::array();
  for (const json& event : events) {
    const json& involved =
        event.contains("involvedObject") ? event["involvedObject"] : event.value("regarding", json());
    if (involved.is_object() && names.contains(involved.value("name", ""))) out.push_back(event);
  }
  return out;
}

bool Crashed(const json& status) {
  if (status.value("restartCount", 0) > 0) return true;
  return status.contains("lastState") && status["lastState"].contains("terminated");
}

/// Redraws `pods` (an array), with the namespace's events about them.
void Show(kube::RestClient& client, const std::string& ns, const json& pods, ProgressPrinter& printer) {
  std::set<std::string> names;
  for (const json& pod : pods) names.insert(pod["metadata"].value("name", ""));
  json events = names.empty() ? json::array() : EventsAbout(ListOrEmpty(client, kube::core::Events(ns), {}), names);
  printer.Update(PodsProgress(pods, events));
}

void ShowPods(kube::RestClient& client, const WorkloadWaitRequest& request, ProgressPrinter& printer) {
  kube::ListOptions by_instance;
  by_instance.label_selector = Selector(request.instance);
  Show(client, request.workload.ns, ListOrEmpty(client, kube::core::Pods(request.workload.ns), by_instance), printer);
}

/// The pods' watch, on a thread of its own while the caller waits on the
/// workload: redraws the pods on each change and, when some back off (a stall
/// waiting will not end), keeps them and says so through backed_off(), which
/// the caller's wait checks as its stop request.
class PodFollower {
 public:
  PodFollower(kube::RestClient& client, Clock& clock, const WorkloadWaitRequest& request, ProgressPrinter& printer,
              std::chrono::system_clock::time_point deadline)
      : client_(client), clock_(clock), request_(request), printer_(printer), deadline_(deadline) {
    thread_ = std::thread([this] { Run(); });
  }
  ~PodFollower() { Stop(); }
  PodFollower(const PodFollower&) = delete;
  PodFollower& operator=(const PodFollower&) = delete;

  /// Ends the watch (within about a second) and joins the thread.
  void Stop() {
    finished_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool backed_off() const { return backed_off_; }
  /// The pods that backed off, as the watch saw them; read after Stop().
  const json& backed_off_pods() const { return backed_off_pods_; }

 private:
  void Run() {
    // The template the pods should run: pods of an older one (before this
    // apply, which may have fixed them) must not end the wait.
    json workload;
    if (auto current = client_.Get(request_.workload); current.ok()) workload = *current;
    kube::WatchOptions options;
    options.label_selector = Selector(request_.instance);
    options.deadline = deadline_;
    options.stop_requested = [this] { return finished_ || backed_off_; };
    kube::Watcher watcher(client_, clock_, kube::core::Pods(request_.workload.ns), options);
    std::map<std::string, json> pods;
    bool synced = false;
    // A pod watch that fails (or times out) only costs the live display and
    // the early end: the workload's own watch still decides, so its status is
    // not needed.
    Status ignored = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
      const std::string name = StringAt(event.object, {"metadata", "name"});
      switch (event.type) {
        case kube::WatchEventType::kBookmark:
          return true;
        case kube::WatchEventType::kSynced:
          synced = true;
          break;
        case kube::WatchEventType::kDeleted:
          pods.erase(name);
          break;
        case kube::WatchEventType::kAdded:
        case kube::WatchEventType::kModified:
          pods[name] = event.object;
          break;
      }
      if (!synced) return true;
      json items = json::array();
      for (const auto& [_, pod] : pods) items.push_back(pod);
      Show(client_, request_.workload.ns, items, printer_);
      json stalled = BackedOffPods(items, workload);
      if (stalled.empty()) return true;
      backed_off_pods_ = std::move(stalled);
      backed_off_ = true;
      return false;
    });
    (void)ignored;
  }

  kube::RestClient& client_;
  Clock& clock_;
  const WorkloadWaitRequest& request_;
  ProgressPrinter& printer_;
  std::chrono::system_clock::time_point deadline_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> backed_off_{false};
  json backed_off_pods_;
  std::thread thread_;
};

/// One Terminal shared by the pods' display and Kueue's lines, from two threads.
class LockedTerminal final : public Terminal {
 public:
  explicit LockedTerminal(Terminal& inner) : inner_(inner) {}
  bool IsInteractive() const override { return inner_.IsInteractive(); }
  size_t Columns() const override { return inner_.Columns(); }
  void Write(std::string_view text) override {
    std::lock_guard<std::mutex> lock(mutex_);
    inner_.Write(text);
  }

 private:
  Terminal& inner_;
  std::mutex mutex_;
};

/// What Kueue says about a Workload, as one line: admitted, or why not yet.
std::string KueueLine(const json& workload) {
  const std::string name = StringAt(workload, {"metadata", "name"});
  const std::string queue = StringAt(workload, {"spec", "queueName"}, "<none>");
  const json* admitted = FindCondition(workload, "Admitted");
  if (admitted != nullptr && StringAt(*admitted, {"status"}) == "True") {
    return fmt::format("Kueue admitted workload {} (LocalQueue {}, ClusterQueue {})", name, queue,
                       StringAt(workload, {"status", "admission", "clusterQueue"}, "?"));
  }
  const json* quota = FindCondition(workload, "QuotaReserved");
  std::string message = quota != nullptr ? StringAt(*quota, {"message"}) : "";
  if (message.empty() && admitted != nullptr) message = StringAt(*admitted, {"message"});
  if (message.empty()) message = "no admission decision yet";
  return fmt::format("Kueue has not admitted workload {} in LocalQueue {}: {}", name, queue, message);
}

/// While a train job waits, Kueue's word on it (a suspended job has no pods
/// to show), polled on a thread of its own and written when it changes.
class KueueFollower {
 public:
  KueueFollower(kube::RestClient& client, const WorkloadWaitRequest& request, Terminal& terminal)
      : client_(client), request_(request), terminal_(terminal) {
    if (request.train) thread_ = std::thread([this] { Run(); });
  }
  ~KueueFollower() { Stop(); }
  KueueFollower(const KueueFollower&) = delete;
  KueueFollower& operator=(const KueueFollower&) = delete;
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  // One more look once the wait ends, so the last word (an admission seen
  // between two polls) is not lost.
  void Run() {
    std::string last;
    for (bool first = true, finished = false; !finished; first = false) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!first) wake_.wait_for(lock, std::chrono::seconds(2), [this] { return finished_; });
        finished = finished_;
      }
      Say(last);
    }
  }

  void Say(std::string& last) {
    std::string line;
    if (auto controller = client_.Get(request_.workload); controller.ok()) {
      const std::string uid = StringAt(*controller, {"metadata", "uid"});
      if (auto workload = FindKueueWorkload(client_, request_.workload.ns, {uid})) line = KueueLine(*workload);
    }
    if (!line.empty() && line != last) {
      terminal_.Write(line + "\n");
      last = line;
    }
  }

  kube::RestClient& client_;
  const WorkloadWaitRequest& request_;
  Terminal& terminal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool finished_ = false;
  std::thread thread_;
};

/// Once the grace period has passed, whether the workload's controller acted
/// (a status, or pods); when it did not, says so in one sentence, which names
/// the controller and what shows whether it runs. A controller known not to
/// run ends the wait (missing()); one that runs, or that the user may not
/// look at, may still act, so the wait goes on with the sentence written.
class ControllerWatchdog {
 public:
  ControllerWatchdog(kube::RestClient& client, Clock& clock, const WorkloadWaitRequest& request, Terminal& terminal)
      : client_(client), clock_(clock), request_(request), terminal_(terminal) {
    controller_ = ControllerOf(request.workload.group, request.workload.resource);
    if (controller_ != nullptr) thread_ = std::thread([this] { Run(); });
  }
  ~ControllerWatchdog() { Stop(); }
  ControllerWatchdog(const ControllerWatchdog&) = delete;
  ControllerWatchdog& operator=(const ControllerWatchdog&) = delete;
  void Stop() {
    finished_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool missing() const { return missing_; }
  /// "" unless the controller was late; read after Stop().
  const std::string& sentence() const { return sentence_; }

 private:
  void Run() {
    const auto start = clock_.Monotonic();
    const auto grace = std::chrono::duration_cast<std::chrono::nanoseconds>(request_.controller_grace);
    for (auto waited = std::chrono::nanoseconds::zero(); waited < grace && !finished_;
         waited = clock_.Monotonic() - start) {
      clock_.SleepFor(std::min<std::chrono::nanoseconds>(grace - waited, std::chrono::milliseconds(200)));
    }
    if (finished_) return;
    auto workload = client_.Get(request_.workload);
    kube::ListOptions by_instance;
    by_instance.label_selector = Selector(request_.instance);
    auto pods = client_.List(kube::core::Pods(request_.workload.ns), by_instance);
    if (!workload.ok() || !pods.ok() || !NotReconciled(*workload, *pods)) return;
    const ControllerLiveness liveness = CheckControllerLiveness(client_, *controller_, clock_.Now());
    sentence_ =
        fmt::format("{}/{} has no status and no pods {}s after it was applied: {} did not act on it and {}: {}",
                    request_.workload.GroupResource(), request_.workload.name, request_.controller_grace.count(),
                    controller_->title, StateWords(liveness.state), liveness.detail);
    if (liveness.state == ControllerState::kNotRunning) {
      missing_ = true;
    } else {
      terminal_.Write(sentence_ + "\n");
    }
  }

  kube::RestClient& client_;
  Clock& clock_;
  const WorkloadWaitRequest& request_;
  Terminal& terminal_;
  const WorkloadController* controller_ = nullptr;
  std::atomic<bool> finished_{false};
  std::atomic<bool> missing_{false};
  std::string sentence_;
  std::thread thread_;
};

}  // namespace

std::vector<PodProgress> PodsProgress(const json& pods, const json& events) {
  std::vector<PodProgress> out;
  for (const json& pod : pods) out.push_back(ComputePodProgress(pod, events));
  std::sort(out.begin(), out.end(), [](const PodProgress& a, const PodProgress& b) { return a.pod < b.pod; });
  return out;
}

std::optional<json> FindKueueWorkload(kube::RestClient& client, const std::string& ns,
                                      const std::set<std::string>& owner_uids) {
  for (const char* version : {"v1beta2", "v1beta1"}) {
    auto listed = client.List({"kueue.x-k8s.io", version, "workloads", ns, "", ""}, {});
    if (!listed.ok()) continue;  // not served at this version (or not at all)
    for (const json& item : ItemsOf(*listed)) {
      for (const json& owner : ArrayAt(item, {"metadata", "ownerReferences"})) {
        if (owner_uids.count(StringAt(owner, {"uid"})) != 0) return item;
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

/// A JobSet is running when each child Job is: the controller counts, per
/// replicated job, the Jobs whose pods are all ready or done (`ready`) and
/// the Jobs that completed (`succeeded`).
kube::WaitCheck JobSetRunning(const json& object, kube::WaitCheck pending) {
  int64_t want = 0;
  for (const json& job : ArrayAt(object, {"spec", "replicatedJobs"})) want += IntAt(job, {"replicas"}, 1);
  int64_t running = 0;
  for (const json& job : ArrayAt(object, {"status", "replicatedJobsStatus"})) {
    running += IntAt(job, {"ready"}) + IntAt(job, {"succeeded"});
  }
  const std::string name = StringAt(object, {"metadata", "name"});
  if (want > 0 && running >= want) {
    return {kube::WaitState::kDone, fmt::format("jobset \"{}\": all {} jobs running", name, want)};
  }
  pending.message = fmt::format("Waiting for jobset \"{}\": {} of {} jobs running...", name, running, want);
  return pending;
}

kube::WaitPredicate TrainReady() {
  kube::WaitPredicate rolled_out = kube::RolledOut();
  return [rolled_out](const json* object) -> kube::WaitCheck {
    const std::string kind = object == nullptr ? "" : object->value("kind", "");
    if (kind != "Job" && kind != "JobSet") return rolled_out(object);
    kube::WaitCheck check = rolled_out(object);
    if (check.state != kube::WaitState::kPending) return check;
    if (kind == "JobSet") return JobSetRunning(*object, check);
    const json& spec = (*object)["spec"];
    const int64_t want = spec.contains("parallelism") ? spec["parallelism"].get<int64_t>() : 1;
    const json& status = object->contains("status") ? (*object)["status"] : json::object();
    const int64_t ready = status.value("ready", int64_t{0});
    const std::string name = (*object)["metadata"].value("name", "");
    if (ready >= want) return {kube::WaitState::kDone, fmt::format("job \"{}\": all {} pods running", name, want)};
    return {kube::WaitState::kPending,
            fmt::format("Waiting for job \"{}\": {} of {} pods running...", name, ready, want)};
  };
}

/// The LeaderWorkerSet controller counts a group ready once its leader is
/// ready and its worker StatefulSet has created its pods (lws v0.7.0's
/// StatefulsetReady compares created replicas), so `Available` may come while
/// a worker is still Pending. A multi-node model serves only when every pod of
/// every group is Ready: this waits for that, after the LWS's own rollout.
Result<std::string> WaitForGroupPods(kube::RestClient& client, Clock& clock, const json& lws,
                                     std::chrono::system_clock::time_point deadline,
                                     std::function<bool()> stop_requested) {
  const std::string name = StringAt(lws, {"metadata", "name"});
  const int64_t groups = IntAt(lws, {"spec", "replicas"}, 1);
  const int64_t want = groups * IntAt(lws, {"spec", "leaderWorkerTemplate", "size"}, 1);
  kube::WatchOptions options;
  options.label_selector = "leaderworkerset.sigs.k8s.io/name=" + name;
  options.deadline = deadline;
  options.stop_requested = std::move(stop_requested);  // a backed-off pod ends the wait, as before the rollout
  std::map<std::string, bool> ready;                   // pod name -> Ready
  bool synced = false;
  int64_t ready_count = 0;
  Status watched =
      kube::Watcher(client, clock, kube::core::Pods(StringAt(lws, {"metadata", "namespace"})), options)
          .Run([&](const kube::WatchEvent& event) -> Result<bool> {
            const std::string pod = StringAt(event.object, {"metadata", "name"});
            if (event.type == kube::WatchEventType::kSynced) synced = true;
            if (event.type == kube::WatchEventType::kDeleted) ready.erase(pod);
            if (event.type == kube::WatchEventType::kAdded || event.type == kube::WatchEventType::kModified) {
              const json* condition = FindCondition(event.object, "Ready");
              ready[pod] = condition != nullptr && StringAt(*condition, {"status"}) == "True";
            }
            ready_count = std::count_if(ready.begin(), ready.end(), [](const auto& p) { return p.second; });
            return !(synced && ready_count >= want);
          });
  if (synced && ready_count >= want) {
    return fmt::format("leaderworkerset \"{}\" successfully rolled out: all {} pods of {} groups ready", name, want,
                       groups);
  }
  if (!watched.ok()) {
    return watched.error().WithContext(
        fmt::format("waiting for the pods of leaderworkerset \"{}\" ({} of {} ready)", name, ready_count, want));
  }
  return Error(ErrorKind::kTimeout,
               fmt::format("leaderworkerset \"{}\": {} of {} pods ready", name, ready_count, want));
}

Result<StallEvidence> GatherStallEvidence(kube::RestClient& client, const kube::ResourceRef& workload,
                                          const std::string& instance, const std::optional<json>& pods) {
  StallEvidence evidence;
  if (pods) {
    evidence.pods = ItemsOf(*pods);
  } else {
    kube::ListOptions by_instance;
    by_instance.label_selector = Selector(instance);
    LLM_ASSIGN_OR_RETURN(json listed, client.List(kube::core::Pods(workload.ns), by_instance));
    evidence.pods = listed["items"];
  }
  std::set<std::string> names{workload.name};
  for (const json& pod : evidence.pods) names.insert(pod["metadata"].value("name", ""));
  evidence.events = EventsAbout(ListOrEmpty(client, kube::core::Events(workload.ns), {}), names);
  evidence.pvcs = ListOrEmpty(client, kube::core::PersistentVolumeClaims(workload.ns), {});
  if (auto controller = client.Get(workload); controller.ok()) evidence.controller = *controller;
  // Kueue's Workload for the job (its owner) or for a queued pod.
  std::set<std::string> owners;
  if (evidence.controller) owners.insert(StringAt(*evidence.controller, {"metadata", "uid"}));
  for (const json& pod : evidence.pods) owners.insert(StringAt(pod, {"metadata", "uid"}));
  owners.erase("");
  if (!owners.empty()) evidence.kueue_workload = FindKueueWorkload(client, workload.ns, owners);
  for (const json& pod : evidence.pods) {
    if (!pod.contains("status") || !pod["status"].contains("containerStatuses")) continue;
    const std::string pod_name = pod["metadata"].value("name", "");
    for (const json& status : pod["status"]["containerStatuses"]) {
      if (!Crashed(status)) continue;
      const std::string container = status.value("name", "");
      kube::HttpRequest request;
      request.path = kube::core::PodLog(workload.ns, pod_name).Path() +
                     kube::EncodeQuery({{"container", container}, {"previous", "true"}, {"tailLines", "5"}});
      auto log = client.Do(std::move(request));
      if (!log.ok()) continue;  // the previous instance's log may be gone; the rest of the evidence still speaks
      std::vector<std::string>& lines = evidence.last_log_lines[pod_name + "/" + container];
      size_t start = 0;
      const std::string& body = log->body;
      while (start < body.size()) {
        size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        lines.push_back(body.substr(start, end - start));
        start = end + 1;
      }
    }
  }
  return evidence;
}

Status WaitForWorkload(kube::RestClient& client, Clock& clock, const WorkloadWaitRequest& request,
                       Terminal& outer_terminal, WaitFailure& failure) {
  failure = WaitFailure::kNone;
  LockedTerminal terminal(outer_terminal);
  std::unique_ptr<ProgressPrinter> printer = NewProgressPrinter(terminal);
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(request.timeout);
  std::optional<json> backed_off;
  std::string controller_late;
  bool controller_missing = false;
  Result<kube::WaitResult> result = [&] {
    const auto deadline = clock.Now() + timeout;
    PodFollower pods(client, clock, request, *printer, deadline);
    KueueFollower kueue(client, request, terminal);
    ControllerWatchdog watchdog(client, clock, request, terminal);
    kube::Waiter waiter(client, clock);
    auto waited = waiter.WaitFor(request.workload, request.train ? TrainReady() : kube::RolledOut(), timeout, {},
                                 [&pods, &watchdog] { return pods.backed_off() || watchdog.missing(); });
    if (waited.ok() && StringAt(waited->object, {"kind"}) == "LeaderWorkerSet") {
      Result<std::string> all_ready =
          WaitForGroupPods(client, clock, waited->object, deadline, [&pods] { return pods.backed_off(); });
      if (all_ready.ok()) {
        waited->message = *all_ready;
      } else {
        waited = all_ready.error();
      }
    }
    pods.Stop();
    kueue.Stop();
    watchdog.Stop();
    if (!waited.ok() && pods.backed_off()) backed_off = pods.backed_off_pods();
    controller_late = watchdog.sentence();
    controller_missing = !waited.ok() && watchdog.missing();
    return waited;
  }();
  ShowPods(client, request, *printer);
  if (result.ok()) {
    terminal.Write(result->message + "\n");
    return Ok();
  }
  const std::string what = fmt::format("{}/{}", request.workload.GroupResource(), request.workload.name);
  auto diagnose = [&](const std::optional<json>& pods) -> std::string {
    auto evidence = GatherStallEvidence(client, request.workload, request.instance, pods);
    return evidence.ok() ? DiagnoseStall(*evidence).sentence : "";
  };
  if (backed_off) {
    failure = WaitFailure::kFailed;
    const std::string diagnosis = diagnose(backed_off);
    return Error(ErrorKind::kServer, fmt::format("{} cannot become ready: {}", what,
                                                 diagnosis.empty() ? "its pods are backing off (" +
                                                                         KubeletBackOffReason((*backed_off)[0]) + ")"
                                                                   : diagnosis));
  }
  if (controller_missing) {
    failure = WaitFailure::kFailed;
    return Error(ErrorKind::kServer, controller_late);
  }
  const bool timed_out = result.error().kind() == ErrorKind::kTimeout;
  if (result.error().kind() != ErrorKind::kTimeout && result.error().kind() != ErrorKind::kServer) {
    return result.error();
  }
  failure = timed_out ? WaitFailure::kTimedOut : WaitFailure::kFailed;
  std::string diagnosis = diagnose(std::nullopt);
  // Nothing made pods: what the controller did not do is the reason.
  if (diagnosis.empty() && !controller_late.empty()) diagnosis = controller_late;
  if (timed_out) {
    return Error(ErrorKind::kTimeout, fmt::format("timed out after {}s waiting for {}{}", request.timeout.count(), what,
                                                  diagnosis.empty() ? ": no pod shows why" : ": " + diagnosis));
  }
  return Error(ErrorKind::kServer,
               fmt::format("{} failed: {}", what, diagnosis.empty() ? result.error().message() : diagnosis));
}

}  // namespace llm
