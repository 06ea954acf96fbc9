#include "commands/workload_wait.h"

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "kube/rollout_status.h"
#include "kube/url_query.h"
#include "output/progress_printer.h"
#include "workload/pod_progress.h"

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
    const json& involved = event.contains("involvedObject") ? event["involvedObject"] : event.value("regarding", json());
    if (involved.is_object() && names.contains(involved.value("name", ""))) out.push_back(event);
  }
  return out;
}

std::vector<PodProgress> Progress(const json& pods, const json& events) {
  std::vector<PodProgress> out;
  for (const json& pod : pods) out.push_back(ComputePodProgress(pod, events));
  std::sort(out.begin(), out.end(), [](const PodProgress& a, const PodProgress& b) { return a.pod < b.pod; });
  return out;
}

bool Crashed(const json& status) {
  if (status.value("restartCount", 0) > 0) return true;
  return status.contains("lastState") && status["lastState"].contains("terminated");
}

}  // namespace

kube::WaitPredicate TrainReady() {
  kube::WaitPredicate rolled_out = kube::RolledOut();
  return [rolled_out](const json* object) -> kube::WaitCheck {
    if (object == nullptr || object->value("kind", "") != "Job") return rolled_out(object);
    kube::WaitCheck check = rolled_out(object);
    if (check.state != kube::WaitState::kPending) return check;
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

Result<StallEvidence> GatherStallEvidence(kube::RestClient& client, const kube::ResourceRef& workload,
                                          const std::string& instance) {
  StallEvidence evidence;
  kube::ListOptions by_instance;
  by_instance.label_selector = Selector(instance);
  LLM_ASSIGN_OR_RETURN(json pods, client.List({"", "v1", "pods", workload.ns, "", ""}, by_instance));
  evidence.pods = pods["items"];
  std::set<std::string> names{workload.name};
  for (const json& pod : evidence.pods) names.insert(pod["metadata"].value("name", ""));
  evidence.events = EventsAbout(ListOrEmpty(client, {"", "v1", "events", workload.ns, "", ""}, {}), names);
  evidence.pvcs = ListOrEmpty(client, {"", "v1", "persistentvolumeclaims", workload.ns, "", ""}, {});
  if (auto controller = client.Get(workload); controller.ok()) evidence.controller = *controller;
  for (const json& pod : evidence.pods) {
    if (!pod.contains("status") || !pod["status"].contains("containerStatuses")) continue;
    const std::string pod_name = pod["metadata"].value("name", "");
    for (const json& status : pod["status"]["containerStatuses"]) {
      if (!Crashed(status)) continue;
      const std::string container = status.value("name", "");
      kube::HttpRequest request;
      request.path = kube::ResourceRef{"", "v1", "pods", workload.ns, pod_name, "log"}.Path() + "?" +
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

Status WaitForWorkload(kube::RestClient& client, kube::Waiter& waiter, const WorkloadWaitRequest& request,
                       Terminal& terminal, WaitFailure& failure) {
  failure = WaitFailure::kNone;
  std::unique_ptr<ProgressPrinter> printer = NewProgressPrinter(terminal);
  kube::ListOptions by_instance;
  by_instance.label_selector = Selector(request.instance);
  // Redrawn on each change of the workload object the watch reports (its
  // status counts its pods), not on a timer.
  auto show_pods = [&] {
    json pods = ListOrEmpty(client, {"", "v1", "pods", request.workload.ns, "", ""}, by_instance);
    std::set<std::string> names;
    for (const json& pod : pods) names.insert(pod["metadata"].value("name", ""));
    json events = names.empty() ? json::array()
                                : EventsAbout(ListOrEmpty(client, {"", "v1", "events", request.workload.ns, "", ""}, {}), names);
    printer->Update(Progress(pods, events));
  };
  auto result = waiter.WaitFor(request.workload, request.train ? TrainReady() : kube::RolledOut(),
                               std::chrono::duration_cast<std::chrono::milliseconds>(request.timeout),
                               [&](const kube::WaitCheck&) { show_pods(); });
  show_pods();
  if (result.ok()) {
    terminal.Write(result->message + "\n");
    return Ok();
  }
  const bool timed_out = result.error().kind() == ErrorKind::kTimeout;
  if (result.error().kind() != ErrorKind::kTimeout && result.error().kind() != ErrorKind::kServer) {
    return result.error();
  }
  failure = timed_out ? WaitFailure::kTimedOut : WaitFailure::kFailed;
  std::string diagnosis;
  if (auto evidence = GatherStallEvidence(client, request.workload, request.instance); evidence.ok()) {
    diagnosis = DiagnoseStall(*evidence).sentence;
  }
  const std::string what = fmt::format("{}/{}", request.workload.GroupResource(), request.workload.name);
  if (timed_out) {
    return Error(ErrorKind::kTimeout,
                 fmt::format("timed out after {}s waiting for {}{}", request.timeout.count(), what,
                             diagnosis.empty() ? ": no pod shows why" : ": " + diagnosis));
  }
  return Error(ErrorKind::kServer, fmt::format("{} failed: {}", what, diagnosis.empty() ? result.error().message() : diagnosis));
}

}  // namespace llm
