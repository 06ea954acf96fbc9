#include "workload/stall_diagnosis.h"

#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "workload/object_events.h"
#include "workload/object_fields.h"
#include "workload/pod_resources.h"

namespace llm {

// Why this order (most decisive first):
//  1. BackoffLimitExceeded: the controller has given up; the state is final and
//     nothing a later rule finds will change it (the pod-level detail is added).
//  2. Kueue not admitted: the job is suspended, so there are no pods whose
//     state could explain anything; the Workload's message is the whole story.
//  3. PVC pending before Unschedulable: an unbound claim makes the scheduler
//     report "unbound immediate PersistentVolumeClaims", which is a symptom; the
//     claim's own event is the cause.
//  4. Unschedulable: a pod that has no node cannot pull, start or crash.
//  5. Image pull failure: the container cannot start, so it cannot crash.
//  6. OOMKilled before crash loop: an OOM kill is a crash loop with a known cause.
//  7. Crash loop (or a container that exited non-zero), unless the kubelet
//     killed it for a failing liveness/startup probe: then the probe is the cause.
//  8. Probe failing: the container runs but never becomes Ready.
//  9. ProgressDeadlineExceeded: the Deployment's summary that something above
//     went wrong; used only when no pod-level evidence says what.
namespace {

using PodRef = const nlohmann::json*;

std::vector<PodRef> SortedPods(const nlohmann::json& pods) {
  std::vector<PodRef> out;
  for (const nlohmann::json& pod : ItemsOf(pods)) out.push_back(&pod);
  std::sort(out.begin(), out.end(), [](PodRef a, PodRef b) {
    return StringAt(*a, {"metadata", "name"}) < StringAt(*b, {"metadata", "name"});
  });
  return out;
}

std::string PodName(const nlohmann::json& pod) { return StringAt(pod, {"metadata", "name"}); }

// "pod chat-0" or "pod chat-0 (and 2 more)".
std::string PodSubject(const std::string& pod, int affected) {
  if (affected <= 1) return "pod " + pod;
  return fmt::format("pod {} (and {} more)", pod, affected - 1);
}

bool IsTrue(const nlohmann::json* condition) {
  return condition != nullptr && StringAt(*condition, {"status"}) == "True";
}
bool IsFalse(const nlohmann::json* condition) {
  return condition != nullptr && StringAt(*condition, {"status"}) == "False";
}

std::string ToLower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// All container statuses of a pod, init containers first.
std::vector<const nlohmann::json*> ContainerStatuses(const nlohmann::json& pod) {
  std::vector<const nlohmann::json*> out;
  for (const char* field : {"initContainerStatuses", "containerStatuses"}) {
    const nlohmann::json* list = FindPath(pod, {"status", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& status : *list) out.push_back(&status);
  }
  return out;
}

const nlohmann::json* ContainerSpec(const nlohmann::json& pod, std::string_view name) {
  for (const char* field : {"initContainers", "containers"}) {
    const nlohmann::json* list = FindPath(pod, {"spec", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& container : *list) {
      if (StringAt(container, {"name"}) == name) return &container;
    }
  }
  return nullptr;
}

// Runs `rule` over every pod; the sentence is built for the first match, with
// the number of matching pods.
StallDiagnosis OverPods(const std::vector<PodRef>& pods,
                        const std::function<std::optional<StallDiagnosis>(const nlohmann::json&, int)>& rule) {
  int affected = 0;
  PodRef first = nullptr;
  for (PodRef pod : pods) {
    if (rule(*pod, 1)) {
      if (affected++ == 0) first = pod;
    }
  }
  if (first == nullptr) return {};
  StallDiagnosis diagnosis = *rule(*first, affected);
  diagnosis.affected_pods = affected;
  return diagnosis;
}

std::string LastNonBlank(const std::vector<std::string>& lines) {
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->find_first_not_of(" \t\r") != std::string::npos) return *it;
  }
  return "";
}

// ---- rule 1: Job / JobSet gave up -------------------------------------------

std::string FirstContainerFailure(const std::vector<PodRef>& pods) {
  for (PodRef pod : pods) {
    for (const nlohmann::json* status : ContainerStatuses(*pod)) {
      for (const char* state : {"state", "lastState"}) {
        const nlohmann::json* terminated = FindPath(*status, {state, "terminated"});
        if (terminated == nullptr || IntAt(*terminated, {"exitCode"}) == 0) continue;
        return fmt::format("; pod {} container {} exited with code {} ({})", PodName(*pod),
                           StringAt(*status, {"name"}), IntAt(*terminated, {"exitCode"}),
                           StringAt(*terminated, {"reason"}, "Error"));
      }
    }
  }
  return "";
}

StallDiagnosis ControllerGaveUp(const StallEvidence& evidence, const std::vector<PodRef>& pods) {
  if (!evidence.controller) return {};
  const nlohmann::json& controller = *evidence.controller;
  std::string kind = StringAt(controller, {"kind"});
  if (kind != "Job" && kind != "JobSet") return {};
  const nlohmann::json* failed = FindCondition(controller, "Failed");
  if (!IsTrue(failed)) return {};
  std::string reason = StringAt(*failed, {"reason"});
  if (kind == "Job" && reason != "BackoffLimitExceeded") return {};
  StallDiagnosis d;
  d.cause = StallCause::kBackoffLimitExceeded;
  d.sentence = fmt::format("{} \"{}\" failed: {}: {}{}", ToLower(kind), StringAt(controller, {"metadata", "name"}),
                           reason, StringAt(*failed, {"message"}), FirstContainerFailure(pods));
  return d;
}

// ---- rule 2: Kueue ----------------------------------------------------------

StallDiagnosis KueueNotAdmitted(const StallEvidence& evidence) {
  if (!evidence.kueue_workload) return {};
  const nlohmann::json& workload = *evidence.kueue_workload;
  if (IsTrue(FindCondition(workload, "Admitted"))) return {};
  const nlohmann::json* quota = FindCondition(workload, "QuotaReserved");
  const nlohmann::json* admitted = FindCondition(workload, "Admitted");
  std::string message;
  if (IsFalse(quota)) {
    message = StringAt(*quota, {"message"});
  } else if (admitted != nullptr) {
    message = StringAt(*admitted, {"message"});
  }
  if (message.empty()) message = "no admission decision yet";
  StallDiagnosis d;
  d.cause = StallCause::kKueueNotAdmitted;
  d.sentence = fmt::format("Kueue has not admitted workload {} in LocalQueue {}: {}",
                           StringAt(workload, {"metadata", "name"}), StringAt(workload, {"spec", "queueName"}, "<none>"),
                           message);
  return d;
}

// ---- rule 3: PVC ------------------------------------------------------------

const nlohmann::json* FindPvc(const nlohmann::json& pvcs, std::string_view name) {
  for (const nlohmann::json& pvc : ItemsOf(pvcs)) {
    if (StringAt(pvc, {"metadata", "name"}) == name) return &pvc;
  }
  return nullptr;
}

bool IsScheduled(const nlohmann::json& pod) {
  return !StringAt(pod, {"spec", "nodeName"}).empty() || IsTrue(FindCondition(pod, "PodScheduled"));
}

std::optional<StallDiagnosis> PvcRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  if (IsScheduled(pod)) return std::nullopt;
  const nlohmann::json* volumes = FindPath(pod, {"spec", "volumes"});
  if (volumes == nullptr || !volumes->is_array()) return std::nullopt;
  const nlohmann::json* scheduled = FindCondition(pod, "PodScheduled");
  std::string scheduler_message = scheduled == nullptr ? "" : StringAt(*scheduled, {"message"});
  for (const nlohmann::json& volume : *volumes) {
    std::string claim = StringAt(volume, {"persistentVolumeClaim", "claimName"});
    if (claim.empty()) continue;
    StallDiagnosis d;
    d.cause = StallCause::kPvcPending;
    d.pod = PodName(pod);
    const nlohmann::json* pvc = FindPvc(evidence.pvcs, claim);
    if (pvc == nullptr) {
      // Only the scheduler can tell "missing" from "not listed to us".
      if (scheduler_message.find(fmt::format("persistentvolumeclaim \"{}\" not found", claim)) == std::string::npos) {
        continue;
      }
      d.sentence = fmt::format("{} needs PersistentVolumeClaim \"{}\", which does not exist", PodSubject(d.pod, affected),
                               claim);
      return d;
    }
    if (StringAt(*pvc, {"status", "phase"}) != "Pending") continue;
    std::vector<ObjectEvent> events = EventsAbout(evidence.events, "PersistentVolumeClaim", claim);
    // WaitForFirstConsumer is the claim waiting for this very pod to be
    // scheduled: a consequence, not the cause.
    if (!events.empty() && events.back().reason == "WaitForFirstConsumer") continue;
    d.sentence = fmt::format("{} waits for PersistentVolumeClaim \"{}\", which is Pending", PodSubject(d.pod, affected),
                             claim);
    if (!events.empty()) d.sentence += fmt::format(": {}: {}", events.back().reason, events.back().message);
    return d;
  }
  return std::nullopt;
}

// ---- rule 4: unschedulable --------------------------------------------------

std::optional<StallDiagnosis> UnschedulableRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  if (IsScheduled(pod) || IsTerminalPod(pod)) return std::nullopt;
  std::string message;
  const nlohmann::json* scheduled = FindCondition(pod, "PodScheduled");
  if (IsFalse(scheduled) && StringAt(*scheduled, {"reason"}) == "Unschedulable") {
    message = StringAt(*scheduled, {"message"});
  }
  if (message.empty()) {
    std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", PodName(pod));
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->reason == "FailedScheduling") {
        message = it->message;
        break;
      }
    }
  }
  if (message.empty()) return std::nullopt;
  StallDiagnosis d;
  d.cause = StallCause::kUnschedulable;
  d.pod = PodName(pod);
  d.sentence = fmt::format("{} cannot be scheduled: {}", PodSubject(d.pod, affected), message);
  return d;
}

// ---- rule 5: image pull -----------------------------------------------------

bool IsImagePullReason(std::string_view reason) {
  static const std::set<std::string, std::less<>> kReasons = {
      "ErrImagePull",      "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
      "RegistryUnavailable", "SignatureValidationFailed"};
  return kReasons.contains(reason);
}

std::optional<StallDiagnosis> ImagePullRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  for (const nlohmann::json* status : ContainerStatuses(pod)) {
    std::string reason = StringAt(*status, {"state", "waiting", "reason"});
    if (!IsImagePullReason(reason)) continue;
    std::string container = StringAt(*status, {"name"});
    std::string image;
    if (const nlohmann::json* spec = ContainerSpec(pod, container); spec != nullptr) image = StringAt(*spec, {"image"});
    if (image.empty()) image = StringAt(*status, {"image"});
    // The kubelet's "Failed to pull image ..." event has the registry's answer;
    // the waiting message of a back-off may not.
    std::string detail = StringAt(*status, {"state", "waiting", "message"});
    std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", PodName(pod));
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->reason == "Failed" && it->message.starts_with("Failed to pull image \"" + image + "\"")) {
        detail = it->message;
        break;
      }
    }
    StallDiagnosis d;
    d.cause = StallCause::kImagePullFailure;
    d.pod = PodName(pod);
    d.container = container;
    d.sentence = fmt::format("{} container {} cannot pull image \"{}\" ({})", PodSubject(d.pod, affected), container,
                             image, reason);
    if (!detail.empty()) d.sentence += ": " + detail;
    return d;
  }
  return std::nullopt;
}

// ---- rules 6 and 7: OOMKilled, crash loop -----------------------------------

std::string LogKey(const nlohmann::json& pod, std::string_view container) {
  return fmt::format("{}/{}", PodName(pod), container);
}

void AttachLogs(const StallEvidence& evidence, const nlohmann::json& pod, StallDiagnosis& d) {
  auto it = evidence.last_log_lines.find(LogKey(pod, d.container));
  if (it == evidence.last_log_lines.end()) return;
  d.log_lines = it->second;
  std::string last = LastNonBlank(d.log_lines);
  if (!last.empty()) d.sentence += fmt::format("; last log line: \"{}\"", last);
}

std::string Restarts(int64_t n) { return n == 1 ? "restarted 1 time" : fmt::format("restarted {} times", n); }

std::optional<StallDiagnosis> OomRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  for (const nlohmann::json* status : ContainerStatuses(pod)) {
    bool oom = StringAt(*status, {"state", "terminated", "reason"}) == "OOMKilled" ||
               StringAt(*status, {"lastState", "terminated", "reason"}) == "OOMKilled";
    if (!oom) continue;
    StallDiagnosis d;
    d.cause = StallCause::kOomKilled;
    d.pod = PodName(pod);
    d.container = StringAt(*status, {"name"});
    std::string limit;
    if (const nlohmann::json* spec = ContainerSpec(pod, d.container); spec != nullptr) {
      limit = StringAt(*spec, {"resources", "limits", "memory"});
    }
    std::string subject = affected <= 1 ? fmt::format("pod {}", d.pod) : PodSubject(d.pod, affected);
    d.sentence = fmt::format("container {} of {} was OOMKilled ({}), {}", d.container, subject,
                             limit.empty() ? "no memory limit; the node ran out of memory" : "memory limit " + limit,
                             Restarts(IntAt(*status, {"restartCount"})));
    AttachLogs(evidence, pod, d);
    return d;
  }
  return std::nullopt;
}

// The kubelet's "Killing" event when a liveness or startup probe restarted the
// container, and the probe's last failure message.
std::optional<std::pair<std::string, std::string>> ProbeKill(const StallEvidence& evidence, const nlohmann::json& pod,
                                                             std::string_view container) {
  std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", PodName(pod));
  std::string probe;
  for (const ObjectEvent& e : events) {
    if (e.reason != "Killing") continue;
    for (const char* kind : {"liveness", "startup"}) {
      if (e.message == fmt::format("Container {} failed {} probe, will be restarted", container, kind)) probe = kind;
    }
  }
  if (probe.empty()) return std::nullopt;
  std::string prefix = fmt::format("{}{} probe failed: ", static_cast<char>(std::toupper(probe[0])), probe.substr(1));
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->reason == "Unhealthy" && it->message.starts_with(prefix)) {
      return std::make_pair(probe, it->message.substr(prefix.size()));
    }
  }
  return std::make_pair(probe, std::string());
}

std::optional<StallDiagnosis> CrashRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  for (const nlohmann::json* status : ContainerStatuses(pod)) {
    std::string container = StringAt(*status, {"name"});
    bool looping = StringAt(*status, {"state", "waiting", "reason"}) == "CrashLoopBackOff";
    const nlohmann::json* terminated = FindPath(*status, {"state", "terminated"});
    bool failed = terminated != nullptr && IntAt(*terminated, {"exitCode"}) != 0;
    if (!looping && !failed) continue;
    StallDiagnosis d;
    d.pod = PodName(pod);
    d.container = container;
    std::string subject = affected <= 1 ? fmt::format("pod {}", d.pod) : PodSubject(d.pod, affected);
    int64_t restarts = IntAt(*status, {"restartCount"});
    if (auto kill = ProbeKill(evidence, pod, container)) {
      d.cause = StallCause::kProbeFailing;
      d.sentence = fmt::format("container {} of {} is restarted by its failing {} probe ({})", container, subject,
                               kill->first, Restarts(restarts));
      if (!kill->second.empty()) d.sentence += ": " + kill->second;
      return d;
    }
    d.cause = StallCause::kCrashLoop;
    if (looping) {
      const nlohmann::json* last = FindPath(*status, {"lastState", "terminated"});
      d.sentence = fmt::format("container {} of {} is crash-looping: {}", container, subject, Restarts(restarts));
      if (last != nullptr) {
        d.sentence += fmt::format(", last exit code {} ({})", IntAt(*last, {"exitCode"}),
                                  StringAt(*last, {"reason"}, "Error"));
      }
    } else {
      d.sentence = fmt::format("container {} of {} exited with code {} ({})", container, subject,
                               IntAt(*terminated, {"exitCode"}), StringAt(*terminated, {"reason"}, "Error"));
    }
    AttachLogs(evidence, pod, d);
    return d;
  }
  return std::nullopt;
}

// ---- rule 8: probes ---------------------------------------------------------

std::optional<StallDiagnosis> ProbeRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  // A Ready pod's old Unhealthy events are history, not a stall.
  if (IsTrue(FindCondition(pod, "Ready")) || IsTerminalPod(pod)) return std::nullopt;
  std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", PodName(pod));
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->reason != "Unhealthy") continue;
    for (const char* kind : {"Readiness", "Liveness", "Startup"}) {
      std::string prefix = fmt::format("{} probe failed: ", kind);
      if (!it->message.starts_with(prefix)) continue;
      StallDiagnosis d;
      d.cause = StallCause::kProbeFailing;
      d.pod = PodName(pod);
      d.sentence = fmt::format("{} {} probe is failing ({}): {}", PodSubject(d.pod, affected), ToLower(kind),
                               it->count == 1 ? std::string("seen once") : fmt::format("seen {} times", it->count),
                               it->message.substr(prefix.size()));
      return d;
    }
  }
  return std::nullopt;
}

// ---- rule 9: Deployment progress deadline ----------------------------------

StallDiagnosis ProgressDeadline(const StallEvidence& evidence) {
  if (!evidence.controller || StringAt(*evidence.controller, {"kind"}) != "Deployment") return {};
  const nlohmann::json* progressing = FindCondition(*evidence.controller, "Progressing");
  if (!IsFalse(progressing) || StringAt(*progressing, {"reason"}) != "ProgressDeadlineExceeded") return {};
  StallDiagnosis d;
  d.cause = StallCause::kProgressDeadlineExceeded;
  // kubectl rollout status says exactly this; the condition's message adds the ReplicaSet.
  d.sentence = fmt::format("deployment \"{}\" exceeded its progress deadline",
                           StringAt(*evidence.controller, {"metadata", "name"}));
  std::string message = StringAt(*progressing, {"message"});
  if (!message.empty()) d.sentence += ": " + message;
  return d;
}

}  // namespace

std::string_view StallCauseName(StallCause cause) {
  switch (cause) {
    case StallCause::kNone: return "None";
    case StallCause::kBackoffLimitExceeded: return "BackoffLimitExceeded";
    case StallCause::kKueueNotAdmitted: return "KueueNotAdmitted";
    case StallCause::kPvcPending: return "PVCPending";
    case StallCause::kUnschedulable: return "Unschedulable";
    case StallCause::kImagePullFailure: return "ImagePullFailure";
    case StallCause::kOomKilled: return "OOMKilled";
    case StallCause::kCrashLoop: return "CrashLoop";
    case StallCause::kProbeFailing: return "ProbeFailing";
    case StallCause::kProgressDeadlineExceeded: return "ProgressDeadlineExceeded";
  }
  return "None";
}

StallDiagnosis DiagnoseStall(const StallEvidence& evidence) {
  std::vector<PodRef> pods = SortedPods(evidence.pods);
  using PodRule = std::optional<StallDiagnosis> (*)(const StallEvidence&, const nlohmann::json&, int);
  auto over = [&](PodRule rule) {
    return OverPods(pods, [&](const nlohmann::json& pod, int affected) { return rule(evidence, pod, affected); });
  };
  std::vector<std::function<StallDiagnosis()>> rules = {
      [&] { return ControllerGaveUp(evidence, pods); },
      [&] { return KueueNotAdmitted(evidence); },
      [&] { return over(PvcRule); },
      [&] { return over(UnschedulableRule); },
      [&] { return over(ImagePullRule); },
      [&] { return over(OomRule); },
      [&] { return over(CrashRule); },
      [&] { return over(ProbeRule); },
      [&] { return ProgressDeadline(evidence); },
  };
  for (const auto& rule : rules) {
    StallDiagnosis d = rule();
    if (d.cause != StallCause::kNone) return d;
  }
  return {};
}

}  // namespace llm
