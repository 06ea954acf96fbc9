#include "workload/container_stall_rules.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "util/strings.h"
#include "workload/object_events.h"
#include "workload/pod_resources.h"

namespace llm::stall {

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

namespace {

std::string LastNonBlank(const std::vector<std::string>& lines) {
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->find_first_not_of(" \t\r") != std::string::npos) return *it;
  }
  return "";
}

bool IsImagePullReason(std::string_view reason) {
  static const std::set<std::string, std::less<>> kReasons = {"ErrImagePull",        "ImagePullBackOff",
                                                              "InvalidImageName",    "ErrImageNeverPull",
                                                              "RegistryUnavailable", "SignatureValidationFailed"};
  return kReasons.contains(reason);
}

}  // namespace

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
    std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", NameOf(pod));
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->reason == "Failed" && it->message.starts_with("Failed to pull image \"" + image + "\"")) {
        detail = it->message;
        break;
      }
    }
    StallDiagnosis d;
    d.cause = StallCause::kImagePullFailure;
    d.pod = NameOf(pod);
    d.container = container;
    d.sentence = fmt::format("{} container {} cannot pull image \"{}\" ({})", PodSubject(d.pod, affected), container,
                             image, reason);
    if (!detail.empty()) d.sentence += ": " + detail;
    return d;
  }
  return std::nullopt;
}

namespace {

std::string LogKey(const nlohmann::json& pod, std::string_view container) {
  return fmt::format("{}/{}", NameOf(pod), container);
}

void AttachLogs(const StallEvidence& evidence, const nlohmann::json& pod, StallDiagnosis& d) {
  auto it = evidence.last_log_lines.find(LogKey(pod, d.container));
  if (it == evidence.last_log_lines.end()) return;
  d.log_lines = it->second;
  std::string last = LastNonBlank(d.log_lines);
  if (!last.empty()) d.sentence += fmt::format("; last log line: \"{}\"", last);
}

std::string Restarts(int64_t n) { return n == 1 ? "restarted 1 time" : fmt::format("restarted {} times", n); }

}  // namespace

std::optional<StallDiagnosis> OomRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  for (const nlohmann::json* status : ContainerStatuses(pod)) {
    bool oom = StringAt(*status, {"state", "terminated", "reason"}) == "OOMKilled" ||
               StringAt(*status, {"lastState", "terminated", "reason"}) == "OOMKilled";
    if (!oom) continue;
    StallDiagnosis d;
    d.cause = StallCause::kOomKilled;
    d.pod = NameOf(pod);
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
namespace {

std::optional<std::pair<std::string, std::string>> ProbeKill(const StallEvidence& evidence, const nlohmann::json& pod,
                                                             std::string_view container) {
  std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", NameOf(pod));
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

// The line of a crashed container's log that says Hugging Face refused the
// model download (huggingface_hub's GatedRepoError, or a 401/403 from
// huggingface.co), preferring the line that explains it ("Access to model ...").
std::optional<std::string> HuggingFaceRefusal(const std::vector<std::string>& lines) {
  bool refused = false;
  for (const std::string& line : lines) {
    bool http_refusal =
        line.find("huggingface.co") != std::string::npos &&
        (line.find("401 Client Error") != std::string::npos || line.find("403 Client Error") != std::string::npos);
    if (line.find("GatedRepoError") != std::string::npos || http_refusal) refused = true;
  }
  if (!refused) return std::nullopt;
  for (const std::string& line : lines) {
    if (line.find("Access to model") != std::string::npos) return line;
  }
  for (const std::string& line : lines) {
    if (line.find("GatedRepoError") != std::string::npos || line.find("Client Error") != std::string::npos) return line;
  }
  return std::nullopt;
}

}  // namespace

std::optional<StallDiagnosis> CrashRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  for (const nlohmann::json* status : ContainerStatuses(pod)) {
    std::string container = StringAt(*status, {"name"});
    bool looping = StringAt(*status, {"state", "waiting", "reason"}) == "CrashLoopBackOff";
    const nlohmann::json* terminated = FindPath(*status, {"state", "terminated"});
    bool failed = terminated != nullptr && IntAt(*terminated, {"exitCode"}) != 0;
    if (!looping && !failed) continue;
    StallDiagnosis d;
    d.pod = NameOf(pod);
    d.container = container;
    std::string subject = affected <= 1 ? fmt::format("pod {}", d.pod) : PodSubject(d.pod, affected);
    int64_t restarts = IntAt(*status, {"restartCount"});
    if (auto logs = evidence.last_log_lines.find(LogKey(pod, container)); logs != evidence.last_log_lines.end()) {
      if (auto refusal = HuggingFaceRefusal(logs->second)) {
        d.cause = StallCause::kHuggingFaceAccessDenied;
        d.log_lines = logs->second;
        d.sentence = fmt::format(
            "container {} of {} cannot download its model from Hugging Face ({}): \"{}\"; check that the token "
            "Secret (--hf-token-secret) holds a token with access to the model",
            container, subject, Restarts(restarts), *refusal);
        return d;
      }
    }
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
        d.sentence +=
            fmt::format(", last exit code {} ({})", IntAt(*last, {"exitCode"}), StringAt(*last, {"reason"}, "Error"));
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

std::optional<StallDiagnosis> ProbeRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected) {
  // A Ready pod's old Unhealthy events are history, not a stall.
  if (IsTrue(FindCondition(pod, "Ready")) || IsTerminalPod(pod)) return std::nullopt;
  std::vector<ObjectEvent> events = EventsAbout(evidence.events, "Pod", NameOf(pod));
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->reason != "Unhealthy") continue;
    for (const char* kind : {"Readiness", "Liveness", "Startup"}) {
      std::string prefix = fmt::format("{} probe failed: ", kind);
      if (!it->message.starts_with(prefix)) continue;
      StallDiagnosis d;
      d.cause = StallCause::kProbeFailing;
      d.pod = NameOf(pod);
      d.sentence = fmt::format("{} {} probe is failing ({}): {}", PodSubject(d.pod, affected), Lower(kind),
                               it->count == 1 ? std::string("seen once") : fmt::format("seen {} times", it->count),
                               it->message.substr(prefix.size()));
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace llm::stall
