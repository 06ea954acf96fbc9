#include "workload/stall_diagnosis.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/object_fields.h"
#include "util/strings.h"
#include "workload/container_stall_rules.h"
#include "workload/object_events.h"
#include "workload/pod_resources.h"

namespace llm {

// Why this order (most decisive first):
//  1. BackoffLimitExceeded: the controller has given up; the state is final and
//     nothing a later rule finds will change it (the pod-level detail is added).
//  2. Kueue not admitted: the job is suspended, so there are no pods whose
//     state could explain anything; the Workload's message is the whole story.
//  2b. Pods refused: the controller cannot create its pods at all (the API
//     server's admission refuses them: a tenant's ResourceQuota is used up, a
//     LimitRange maximum, Pod Security), so there are no pods either; the
//     refusal is quoted, a quota's numbers named.
//  2c. Scheduling gated: a pod with spec.schedulingGates is not even
//     considered by the scheduler (PodScheduled False, reason SchedulingGated)
//     until whatever added the gates removes them (Kueue's topology-aware
//     scheduling, a quota or provisioning admission, a team's own gate), so
//     nothing below can apply to it yet; the gates are named.
//  3. PVC pending before Unschedulable: an unbound claim makes the scheduler
//     report "unbound immediate PersistentVolumeClaims", which is a symptom; the
//     claim's own event is the cause.
//  4. Unschedulable: a pod that has no node cannot pull, start or crash. When
//     a node autoscaler's latest event about the pod says it will not add a
//     node (NotTriggerScaleUp, Karpenter's FailedScheduling), its reason is
//     added to the scheduler's.
//  4b. WaitingForScaleUp: an unschedulable pod whose node autoscaler's latest
//     event says a node is coming (cluster-autoscaler TriggeredScaleUp,
//     Karpenter Nominated). After rule 4: a pod nothing will place explains
//     more than one that waits for its node.
//  5. Image pull failure: the container cannot start, so it cannot crash.
//  6. OOMKilled before crash loop: an OOM kill is a crash loop with a known cause.
//  7. Crash loop (or a container that exited non-zero). Refined by its
//     evidence: a log showing Hugging Face refusing the model (gated repo,
//     missing or wrong token) names that; a kubelet kill for a failing
//     liveness/startup probe names the probe.
//  8. Probe failing: the container runs but never becomes Ready.
//  9. ProgressDeadlineExceeded: the Deployment's summary that something above
//     went wrong; used only when no pod-level evidence says what.
namespace {

using namespace stall;  // NOLINT: the rule helpers shared with container_stall_rules
using PodRef = const nlohmann::json*;

std::vector<PodRef> SortedPods(const nlohmann::json& pods) {
  std::vector<PodRef> out;
  for (const nlohmann::json& pod : ItemsOf(pods)) out.push_back(&pod);
  std::sort(out.begin(), out.end(), [](PodRef a, PodRef b) {
    return StringAt(*a, {"metadata", "name"}) < StringAt(*b, {"metadata", "name"});
  });
  return out;
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

// ---- rule 1: Job / JobSet gave up -------------------------------------------

std::string FirstContainerFailure(const std::vector<PodRef>& pods) {
  for (PodRef pod : pods) {
    for (const nlohmann::json* status : ContainerStatuses(*pod)) {
      for (const char* state : {"state", "lastState"}) {
        const nlohmann::json* terminated = FindPath(*status, {state, "terminated"});
        if (terminated == nullptr || IntAt(*terminated, {"exitCode"}) == 0) continue;
        return fmt::format("; pod {} container {} exited with code {} ({})", NameOf(*pod), StringAt(*status, {"name"}),
                           IntAt(*terminated, {"exitCode"}), StringAt(*terminated, {"reason"}, "Error"));
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
  d.sentence = fmt::format("{} \"{}\" failed: {}: {}{}", Lower(kind), StringAt(controller, {"metadata", "name"}),
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
  d.sentence =
      fmt::format("Kueue has not admitted workload {} in LocalQueue {}: {}", StringAt(workload, {"metadata", "name"}),
                  StringAt(workload, {"spec", "queueName"}, "<none>"), message);
  return d;
}

// ---- rule 2b: pods refused at admission -------------------------------------

// "pods "x" is forbidden: exceeded quota: NAME, requested: R, used: U, limited: L"
std::string RefusalSentence(std::string message) {
  constexpr std::string_view kErrorCreating = "Error creating: ";
  if (message.starts_with(kErrorCreating)) message.erase(0, kErrorCreating.size());
  const size_t quota = message.find("exceeded quota: ");
  if (quota != std::string::npos) {
    const std::string rest = message.substr(quota + std::string_view("exceeded quota: ").size());
    const size_t comma = rest.find(", requested: ");
    const size_t used = rest.find(", used: ");
    const size_t limited = rest.find(", limited: ");
    if (comma != std::string::npos && used != std::string::npos && limited != std::string::npos && comma < used &&
        used < limited) {
      return fmt::format("its pods are refused: ResourceQuota \"{}\" is used up (requested {}, used {}, limited {})",
                         rest.substr(0, comma), rest.substr(comma + 13, used - comma - 13),
                         rest.substr(used + 8, limited - used - 8), rest.substr(limited + 11));
    }
  }
  return "its pods are refused: " + message;
}

StallDiagnosis PodsRefused(const StallEvidence& evidence) {
  std::string message;
  if (evidence.controller) {
    const nlohmann::json* failure = FindCondition(*evidence.controller, "ReplicaFailure");
    if (IsTrue(failure) && StringAt(*failure, {"reason"}) == "FailedCreate") message = StringAt(*failure, {"message"});
  }
  if (message.empty()) {
    for (const nlohmann::json& event : ItemsOf(evidence.events)) {
      if (StringAt(event, {"reason"}) != "FailedCreate") continue;
      const std::string text = StringAt(event, {"message"}, StringAt(event, {"note"}));
      if (text.find("forbidden") != std::string::npos) message = text;  // the latest wins
    }
  }
  if (message.empty()) return {};
  StallDiagnosis d;
  d.cause = StallCause::kPodsRefused;
  d.sentence = RefusalSentence(message);
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
    d.pod = NameOf(pod);
    const nlohmann::json* pvc = FindPvc(evidence.pvcs, claim);
    if (pvc == nullptr) {
      // Only the scheduler can tell "missing" from "not listed to us".
      if (scheduler_message.find(fmt::format("persistentvolumeclaim \"{}\" not found", claim)) == std::string::npos) {
        continue;
      }
      d.sentence = fmt::format("{} needs PersistentVolumeClaim \"{}\", which does not exist",
                               PodSubject(d.pod, affected), claim);
      return d;
    }
    if (StringAt(*pvc, {"status", "phase"}) != "Pending") continue;
    std::vector<ObjectEvent> events = EventsAbout(evidence.events, "PersistentVolumeClaim", claim);
    // WaitForFirstConsumer is the claim waiting for this very pod to be
    // scheduled: a consequence, not the cause.
    if (!events.empty() && events.back().reason == "WaitForFirstConsumer") continue;
    d.sentence =
        fmt::format("{} waits for PersistentVolumeClaim \"{}\", which is Pending", PodSubject(d.pod, affected), claim);
    if (!events.empty()) d.sentence += fmt::format(": {}: {}", events.back().reason, events.back().message);
    return d;
  }
  return std::nullopt;
}

// ---- rule 2c: scheduling gates ----------------------------------------------

std::optional<StallDiagnosis> SchedulingGatedRule(const StallEvidence&, const nlohmann::json& pod, int affected) {
  if (IsScheduled(pod) || IsTerminalPod(pod)) return std::nullopt;
  std::vector<std::string> gates;
  for (const nlohmann::json& gate : ArrayAt(pod, {"spec", "schedulingGates"})) {
    gates.push_back(StringAt(gate, {"name"}));
  }
  if (gates.empty()) return std::nullopt;
  StallDiagnosis d;
  d.cause = StallCause::kSchedulingGated;
  d.pod = NameOf(pod);
  const bool one = gates.size() == 1;
  d.sentence = fmt::format(
      "{} is held back from the scheduler by scheduling gate{} {}: it is not placed until whatever added {} "
      "removes {}",
      PodSubject(d.pod, affected), one ? "" : "s", fmt::join(gates, ", "), one ? "it" : "them", one ? "it" : "them");
  return d;
}

// ---- rule 4: unschedulable --------------------------------------------------

// The node autoscalers' pod events (k8s.io/autoscaler cluster-autoscaler
// processors/status/eventing_scale_up_processor.go; sigs.k8s.io/karpenter
// pkg/controllers/provisioning/scheduling/events.go), reported as
// source.component "cluster-autoscaler" and "karpenter".
struct AutoscalerEvent {
  std::string_view source, reason;
  bool adding;           ///< a node is on its way
  std::string_view who;  ///< for the sentence
};
constexpr AutoscalerEvent kAutoscalerEvents[] = {
    {"cluster-autoscaler", "TriggeredScaleUp", true, "the cluster-autoscaler"},
    {"cluster-autoscaler", "NotTriggerScaleUp", false, "the cluster-autoscaler"},
    {"karpenter", "Nominated", true, "Karpenter"},
    {"karpenter", "FailedScheduling", false, "Karpenter"},
};

const AutoscalerEvent* AutoscalerEventOf(const ObjectEvent& event) {
  for (const AutoscalerEvent& known : kAutoscalerEvents) {
    if (event.source == known.source && event.reason == known.reason) return &known;
  }
  return nullptr;
}

// Why a pod has no node: kUnschedulable or kWaitingForScaleUp.
std::optional<StallDiagnosis> Unscheduled(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  if (IsScheduled(pod) || IsTerminalPod(pod)) return std::nullopt;
  std::string message;
  const nlohmann::json* scheduled = FindCondition(pod, "PodScheduled");
  if (IsFalse(scheduled) && StringAt(*scheduled, {"reason"}) == "Unschedulable") {
    message = StringAt(*scheduled, {"message"});
  }
  std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", NameOf(pod));
  const ObjectEvent* autoscaler = nullptr;  // the latest
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (AutoscalerEventOf(*it) != nullptr) {
      autoscaler = &*it;
      break;
    }
  }
  if (message.empty()) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->reason == "FailedScheduling" && AutoscalerEventOf(*it) == nullptr) {
        message = it->message;
        break;
      }
    }
  }
  if (message.empty() && autoscaler == nullptr) return std::nullopt;
  StallDiagnosis d;
  d.pod = NameOf(pod);
  const AutoscalerEvent* known = autoscaler == nullptr ? nullptr : AutoscalerEventOf(*autoscaler);
  if (known != nullptr && known->adding) {
    d.cause = StallCause::kWaitingForScaleUp;
    d.sentence = fmt::format("{} waits for a new node: {} is adding one ({})", PodSubject(d.pod, affected), known->who,
                             autoscaler->message);
    if (!message.empty()) d.sentence += "; until it joins, the scheduler says: " + message;
    return d;
  }
  if (message.empty()) return std::nullopt;  // an autoscaler's refusal alone is not the scheduler's verdict
  d.cause = StallCause::kUnschedulable;
  d.sentence = fmt::format("{} cannot be scheduled: {}", PodSubject(d.pod, affected), message);
  if (known != nullptr) d.sentence += fmt::format("; {} adds no node ({})", known->who, autoscaler->message);
  return d;
}

std::optional<StallDiagnosis> UnschedulableRule(const StallEvidence& evidence, const nlohmann::json& pod,
                                                int affected) {
  auto d = Unscheduled(evidence, pod, affected);
  if (d && d->cause == StallCause::kUnschedulable) return d;
  return std::nullopt;
}

std::optional<StallDiagnosis> ScaleUpRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  auto d = Unscheduled(evidence, pod, affected);
  if (d && d->cause == StallCause::kWaitingForScaleUp) return d;
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
    case StallCause::kNone:
      return "None";
    case StallCause::kBackoffLimitExceeded:
      return "BackoffLimitExceeded";
    case StallCause::kKueueNotAdmitted:
      return "KueueNotAdmitted";
    case StallCause::kPodsRefused:
      return "PodsRefused";
    case StallCause::kSchedulingGated:
      return "SchedulingGated";
    case StallCause::kPvcPending:
      return "PVCPending";
    case StallCause::kWaitingForScaleUp:
      return "WaitingForScaleUp";
    case StallCause::kUnschedulable:
      return "Unschedulable";
    case StallCause::kImagePullFailure:
      return "ImagePullFailure";
    case StallCause::kOomKilled:
      return "OOMKilled";
    case StallCause::kHuggingFaceAccessDenied:
      return "HuggingFaceAccessDenied";
    case StallCause::kCrashLoop:
      return "CrashLoop";
    case StallCause::kProbeFailing:
      return "ProbeFailing";
    case StallCause::kProgressDeadlineExceeded:
      return "ProgressDeadlineExceeded";
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
      [&] { return PodsRefused(evidence); },
      [&] { return over(SchedulingGatedRule); },
      [&] { return over(PvcRule); },
      [&] { return over(UnschedulableRule); },
      [&] { return over(ScaleUpRule); },
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