#include "commands/elastic_scale_wait.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/url_query.h"
#include "workload/elastic_training.h"
#include "workload/log_prefix.h"
#include "workload/progress_printer.h"
#include "workload/rendezvous_rounds.h"
#include "workload/stall_diagnosis.h"

namespace llm {
namespace {

using nlohmann::json;

/// A pod's completion index (Indexed Job, and a JobSet's child Jobs); -1 when it has none.
int64_t IndexOf(const json& pod) {
  const std::string text = AnnotationOf(pod, kJobCompletionIndexLabel);  // also a label, but only since 1.28
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(text);
}

bool Ready(const json& pod) {
  const json* condition = FindCondition(pod, "Ready");
  return condition != nullptr && StringAt(*condition, {"status"}) == "True";
}

bool Deleting(const json& pod) { return FindPath(pod, {"metadata", "deletionTimestamp"}) != nullptr; }

/// Causes that waiting will not end: the new pods are not placed or not run.
bool Decisive(StallCause cause) {
  switch (cause) {
    case StallCause::kBackoffLimitExceeded:
    case StallCause::kKueueNotAdmitted:
    case StallCause::kPodsRefused:
    case StallCause::kUnschedulable:
    case StallCause::kImagePullFailure:
    case StallCause::kOomKilled:
    case StallCause::kHuggingFaceAccessDenied:
    case StallCause::kCrashLoop:
      return true;
    default:
      return false;
  }
}

/// Where the job stands after one look.
struct Look {
  json pods = json::array();  ///< every pod of the instance
  int64_t running = 0;        ///< pods of index < K, Ready and not deleting
  int64_t wanted_pods = 0;    ///< pods of index < K, not deleting
  int64_t above = 0;          ///< pods of index >= K still there (finished ones aside)
  bool unplaced = false;      ///< a pod of index < K the scheduler or an admission check did not place
  std::optional<json> index0;
};

Look Observe(const json& pod_list, int64_t nodes) {
  Look look;
  for (const json& pod : ItemsOf(pod_list)) {
    look.pods.push_back(pod);
    const int64_t index = IndexOf(pod);
    // A finished pod (a failed one the Job replaced) holds no node and stays listed.
    const std::string phase = StringAt(pod, {"status", "phase"});
    if (index < 0 || phase == "Succeeded" || phase == "Failed") continue;
    if (index >= nodes) {
      ++look.above;
      continue;
    }
    if (Deleting(pod)) continue;
    ++look.wanted_pods;
    if (index == 0) look.index0 = pod;
    if (Ready(pod)) {
      ++look.running;
    } else if (StringAt(pod, {"spec", "nodeName"}).empty()) {
      const json* scheduled = FindCondition(pod, "PodScheduled");
      if ((scheduled != nullptr && StringAt(*scheduled, {"status"}) == "False") ||
          !ArrayAt(pod, {"spec", "schedulingGates"}).empty()) {
        look.unplaced = true;
      }
    }
  }
  return look;
}

}  // namespace

Status WaitForElasticScale(kube::RestClient& client, Clock& clock, const ElasticScaleWaitRequest& request,
                           Terminal& terminal, WaitFailure& failure) {
  failure = WaitFailure::kNone;
  LineProgressPrinter printer(terminal);
  const std::string& what = request.what;
  const auto start = clock.Monotonic();
  const auto deadline = start + request.timeout;
  // Pods hold back a pod the API server refused for a moment (quota) or one
  // the scheduler has not tried yet: the verdicts are read once each pod had
  // that moment.
  const auto grace = std::chrono::seconds(3);
  size_t rounds_shown = 0;
  std::set<std::string> said;
  kube::ListOptions by_instance;
  by_instance.label_selector = "app.kubernetes.io/instance=" + request.instance;
  for (;;) {
    LLM_ASSIGN_OR_RETURN(json job, client.Get(request.job));
    LLM_ASSIGN_OR_RETURN(json pod_list, client.List(kube::core::Pods(request.job.ns), by_instance));
    const Look look = Observe(pod_list, request.nodes);
    auto events = client.List(kube::core::Events(request.job.ns), {});
    printer.Update(PodsProgress(look.pods, events.ok() ? (*events)["items"] : json::array()));

    // Rounds index 0's agent logged since the scale began.
    if (look.index0 && !StringAt(*look.index0, {"spec", "nodeName"}).empty()) {
      const auto since = std::chrono::duration_cast<std::chrono::seconds>(clock.Monotonic() - start).count() + 2;
      kube::HttpRequest log_request;
      log_request.path = kube::core::PodLog(request.job.ns, NameOf(*look.index0)).Path() +
                         kube::EncodeQuery({{"container", "trainer"}, {"sinceSeconds", std::to_string(since)}});
      if (auto body = client.Do(std::move(log_request)); body.ok()) {
        const std::vector<RendezvousRound> rounds = ParseRendezvousRounds(body->body);
        for (; rounds_shown < rounds.size(); ++rounds_shown) {
          const RendezvousRound& round = rounds[rounds_shown];
          terminal.Write(request.max_restarts >= 0 ? DescribeRendezvousRound(round, request.max_restarts) + "\n"
                                                   : fmt::format("rendezvous round: {} nodes (restart {})\n",
                                                                 round.group_world_size, round.restart_count));
        }
      }
    }

    const std::optional<ElasticJob> state = ReadElasticJob(job);
    if (state && state->finished) {
      failure = WaitFailure::kFailed;
      const json* failed = FindCondition(job, "Failed");
      return Error(
          ErrorKind::kServer,
          failed != nullptr && StringAt(*failed, {"status"}) == "True"
              ? fmt::format("{} failed: {}: {}", what, StringAt(*failed, {"reason"}), StringAt(*failed, {"message"}))
              : fmt::format("{} finished before it reached {} nodes", what, request.nodes));
    }
    if (look.running >= request.nodes && look.above == 0) {
      terminal.Write(fmt::format("{}: {} nodes running{}\n", what, request.nodes,
                                 state ? " (--nodes " + FormatNodeRange(state->bounds) + ")" : ""));
      return Ok();
    }

    const bool past_grace = clock.Monotonic() - start >= grace;
    const bool timed_out = clock.Monotonic() >= deadline;
    if ((past_grace && (look.unplaced || look.wanted_pods < request.nodes)) || timed_out) {
      auto evidence = GatherStallEvidence(client, request.job, request.instance, pod_list);
      const StallDiagnosis diagnosis = evidence.ok() ? DiagnoseStall(*evidence) : StallDiagnosis{};
      if (Decisive(diagnosis.cause)) {
        failure = WaitFailure::kFailed;
        return Error(ErrorKind::kServer,
                     fmt::format("{} cannot reach {} nodes: {}; it goes on with the {} running (a new pod joins the "
                                 "rendezvous once it runs)",
                                 what, request.nodes, diagnosis.sentence, look.running));
      }
      if (!diagnosis.sentence.empty() && said.insert(diagnosis.sentence).second) {
        terminal.Write(diagnosis.sentence + "\n");  // a node on its way, a claim binding: waited for
      }
      if (timed_out) {
        failure = WaitFailure::kTimedOut;
        return Error(ErrorKind::kTimeout,
                     fmt::format("timed out after {}s waiting for {} to run {} nodes: {}", request.timeout.count(),
                                 what, request.nodes,
                                 diagnosis.sentence.empty() ? fmt::format("{} running, {} above index {} not yet gone",
                                                                          look.running, look.above, request.nodes - 1)
                                                            : diagnosis.sentence));
      }
    }
    clock.SleepFor(std::min<std::chrono::nanoseconds>(request.poll, deadline - clock.Monotonic()));
  }
}

}  // namespace llm
