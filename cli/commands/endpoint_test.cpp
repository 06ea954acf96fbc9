#include "commands/endpoint_test.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/access_review.h"
#include "kube/api_proxy.h"
#include "output/latency.h"
#include "output/table_printer.h"
#include "util/go_duration.h"
#include "util/sse_parser.h"
#include "workload/openai_api.h"

namespace llm {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using Instant = std::chrono::steady_clock::time_point;

constexpr std::string_view kApiVersion = "kubectl-llm.dev/v1alpha1";

/// Each stage's name (table, JSON) and exit code, in TestStage's order.
struct StageRow {
  TestStage stage;
  std::string_view name;
  int exit_code;
};
constexpr StageRow kStages[] = {
    {TestStage::kAccess, "access", kTestExitAccess},
    {TestStage::kEndpoints, "endpoints", kTestExitEndpoints},
    {TestStage::kHealth, "health", kTestExitHealth},
    {TestStage::kModels, "models", kTestExitModels},
    {TestStage::kCompletion, "completion", kTestExitCompletion},
    {TestStage::kStream, "stream", kTestExitStream},
};
static_assert(
    std::size(kStages) == static_cast<std::size_t>(TestStage::kStream) + 1 &&
        [] {
          for (std::size_t i = 0; i < std::size(kStages); ++i) {
            if (static_cast<std::size_t>(kStages[i].stage) != i) return false;
          }
          return true;
        }(),
    "kStages lists every TestStage, in the enum's order");

double Seconds(nanoseconds d) { return std::chrono::duration<double>(d).count(); }

struct Access {
  const char* verb;
  const char* group;
  const char* resource;
  const char* subresource;
  std::string Text() const {
    std::string out = fmt::format("{} {}", verb, resource);
    if (*subresource != '\0') out += fmt::format("/{}", subresource);
    if (*group != '\0') out += fmt::format(".{}", group);
    return out;
  }
};

/// The run: clock, deadline and client, shared by every stage.
class Run {
 public:
  Run(const EndpointTestOptions& options, kube::RestClient& client, Clock& clock)
      : options_(options), client_(client), clock_(clock), deadline_(clock.Monotonic() + options.timeout) {}

  Instant Now() const { return clock_.Monotonic(); }
  nanoseconds Since(Instant start) const { return Now() - start; }
  /// What is left of --timeout, at least 1 ms (a zero timeout means none to the transport).
  milliseconds Remaining() const {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Now());
    return std::max(left, milliseconds(1));
  }
  bool Expired() const { return Now() >= deadline_; }
  kube::RestClient& client() { return client_; }
  const EndpointTestOptions& options() const { return options_; }

 private:
  const EndpointTestOptions& options_;
  kube::RestClient& client_;
  Clock& clock_;
  Instant deadline_;
};

/// The sentence for an answer the backend gave with a status that is not 2xx.
std::string BackendFailure(const std::string& target, std::string_view request, const kube::HttpResponse& answer) {
  if (answer.status == 401) {
    return fmt::format(
        "{} answered {} with HTTP 401 Unauthorized: the engine requires an API key, and the API "
        "server removes the Authorization header from proxied requests, so this model cannot be "
        "tested through the API server (test it from inside the cluster or through a port-forward)",
        target, request);
  }
  const std::string message = EngineErrorMessage(answer.body);
  return fmt::format("{} answered {} with HTTP {}{}", target, request, answer.status,
                     message.empty() ? "" : ": " + message);
}

/// The sentence for a request the API server did not complete (its own refusal, a timeout, no connection).
std::string ProxyFailure(const Run& run, const std::string& target, std::string_view request, const Error& error) {
  if (error.kind() == ErrorKind::kTimeout || run.Expired()) {
    return fmt::format("{} did not answer {} within --timeout {}", target, request,
                       GoDurationString(run.options().timeout));
  }
  return fmt::format("the API server could not proxy {} to {}: {}", request, target, error.message());
}

/// Fails `check` with `sentence`; returns false so callers can `return Fail(...)`.
bool Fail(TestCheck& check, std::string sentence) {
  check.outcome = CheckOutcome::kFailed;
  check.failure = std::move(sentence);
  return false;
}

class Stages {
 public:
  Stages(Run& run, EndpointTestReport& report) : run_(run), report_(report) {}

  /// Runs `body` as stage `stage` unless an earlier one failed.
  template <class Body>
  void Stage(TestStage stage, Body&& body) {
    TestStageResult result{stage, CheckOutcome::kSkipped, nanoseconds(0), {}};
    if (report_.exit_code == 0) {
      const Instant start = run_.Now();
      body(result.checks);
      result.duration = run_.Since(start);
      result.outcome = CheckOutcome::kPassed;
      for (const TestCheck& check : result.checks) {
        if (check.outcome == CheckOutcome::kFailed || check.over_budget) {
          result.outcome = CheckOutcome::kFailed;
          report_.exit_code = check.outcome == CheckOutcome::kFailed ? TestStageExitCode(stage) : kTestExitTtftBudget;
          report_.message = check.failure;
          break;
        }
      }
    }
    report_.stages.push_back(std::move(result));
  }

 private:
  Run& run_;
  EndpointTestReport& report_;
};

// --- access

void CheckAccess(Run& run, const std::string& ns, std::vector<TestCheck>& checks, Result<void>& error) {
  std::vector<Access> needs = {
      {"get", "", "services", "proxy"}, {"create", "", "services", "proxy"}, {"get", "", "pods", "proxy"}};
  if (run.options().per_pod) needs.push_back({"create", "", "pods", "proxy"});
  needs.push_back({"list", "discovery.k8s.io", "endpointslices", ""});
  TestCheck check;
  check.target = "namespace/" + ns;
  const Instant start = run.Now();
  std::vector<std::string> allowed, denied;
  std::vector<kube::AccessQuestion> questions;
  for (const Access& need : needs) questions.push_back({need.verb, need.group, need.resource, need.subresource, ns});
  auto answers = kube::AskAccessAll(run.client(), questions);
  if (!answers.ok()) {
    error = answers.error().WithContext("asking the API server what you may do (SelfSubjectAccessReview)");
    return;
  }
  for (size_t i = 0; i < needs.size(); ++i) ((*answers)[i].allowed ? allowed : denied).push_back(needs[i].Text());
  check.duration = run.Since(start);
  const auto join = [](const std::vector<std::string>& items) { return fmt::format("{}", fmt::join(items, ", ")); };
  if (denied.empty()) {
    check.detail = "may " + join(allowed);
  } else {
    check.detail = "may not " + join(denied);
    Fail(check, fmt::format("you may not {} in namespace \"{}\": kubectl llm test reaches the model only through "
                            "the API server's proxy and needs get and create on services/proxy and pods/proxy, and "
                            "list on endpointslices.discovery.k8s.io (ask for a Role granting them)",
                            join(denied), ns));
  }
  checks.push_back(std::move(check));
}

// --- endpoints

void CheckEndpoints(const ServedEndpoint& served, std::vector<TestCheck>& checks) {
  TestCheck summary;
  summary.target = "service/" + served.service;
  std::vector<std::string> unready;
  int ready = 0;
  for (const ServingPod& pod : served.pods) {
    if (pod.has_endpoint && pod.ready) {
      ++ready;
      continue;
    }
    const std::string phase = pod.phase.empty() ? "gone" : pod.phase;
    unready.push_back(pod.has_endpoint ? fmt::format("{} is not ready ({})", pod.name, phase)
                                       : fmt::format("{} has no endpoint ({})", pod.name, phase));
  }
  summary.detail = fmt::format("{}/{} ready", ready, served.desired);
  if (served.desired == 0) {
    Fail(summary, fmt::format("{} is scaled to 0 replicas: nothing serves the model", served.name));
  } else if (ready == 0) {
    Fail(summary, fmt::format("service/{} has no ready endpoint{}", served.service,
                              unready.empty() ? ": the workload has no serving pod" : ": pod " + unready.front()));
  } else if (ready < served.desired) {
    Fail(summary, fmt::format("only {} of {} serving pods are ready endpoints of service/{}{}", ready, served.desired,
                              served.service, unready.empty() ? "" : ": pod " + unready.front()));
  }
  checks.push_back(std::move(summary));
}

/// The pods the later stages talk to: ready endpoints with an address.
std::vector<const ServingPod*> ReadyPods(const ServedEndpoint& served) {
  std::vector<const ServingPod*> out;
  for (const ServingPod& pod : served.pods) {
    if (pod.has_endpoint && pod.ready) out.push_back(&pod);
  }
  return out;
}

// --- health, models, completion, stream: one check per target

bool CheckHealth(Run& run, const ServeEngine& engine, const kube::ProxyTarget& target, TestCheck& check) {
  const std::string request = fmt::format("GET {}", engine.health_check_path);
  auto answer = kube::ProxyGet(run.client(), target, engine.health_check_path, run.Remaining());
  if (!answer.ok()) return Fail(check, ProxyFailure(run, check.target, request, answer.error()));
  check.http_status = answer->status;
  check.detail = fmt::format("{} {}", request, answer->status);
  if (answer->status < 200 || answer->status > 299) return Fail(check, BackendFailure(check.target, request, *answer));
  return true;
}

bool CheckModels(Run& run, const std::string& expected, const kube::ProxyTarget& target, TestCheck& check) {
  constexpr std::string_view kRequest = "GET /v1/models";
  auto answer = kube::ProxyGet(run.client(), target, "/v1/models", run.Remaining());
  if (!answer.ok()) return Fail(check, ProxyFailure(run, check.target, kRequest, answer.error()));
  check.http_status = answer->status;
  if (answer->status != 200) return Fail(check, BackendFailure(check.target, kRequest, *answer));
  auto ids = ModelIds(answer->body);
  if (!ids.ok()) return Fail(check, fmt::format("{} answered {}: {}", check.target, kRequest, ids.error().message()));
  std::string listed;
  for (const std::string& id : *ids) listed += (listed.empty() ? "'" : ", '") + id + "'";
  check.detail = listed.empty() ? "no model" : listed;
  if (std::find(ids->begin(), ids->end(), expected) == ids->end()) {
    return Fail(check, fmt::format("{} serves {} at /v1/models, not '{}' (the workload's served model name; --model "
                                   "sets another)",
                                   check.target, listed.empty() ? "no model" : listed, expected));
  }
  return true;
}

bool CheckCompletion(Run& run, const std::string& model, const kube::ProxyTarget& target, TestCheck& check) {
  constexpr std::string_view kRequest = "a completion (POST /v1/completions)";
  const int max_tokens = run.options().max_tokens;
  const std::string body = CompletionRequestBody(model, run.options().prompt, max_tokens, false).dump();
  auto answer = kube::ProxyPost(run.client(), target, "/v1/completions", body, run.Remaining());
  if (!answer.ok()) return Fail(check, ProxyFailure(run, check.target, kRequest, answer.error()));
  check.http_status = answer->status;
  if (answer->status != 200) return Fail(check, BackendFailure(check.target, kRequest, *answer));
  auto completion = ReadCompletion(answer->body, max_tokens);
  if (!completion.ok()) {
    return Fail(check, fmt::format("{} answered {}, but {}", check.target, kRequest, completion.error().message()));
  }
  check.tokens = completion->completion_tokens;
  check.detail =
      fmt::format("{} token{}", completion->completion_tokens, completion->completion_tokens == 1 ? "" : "s");
  return true;
}

bool CheckStream(Run& run, const std::string& model, const kube::ProxyTarget& target, TestCheck& check) {
  constexpr std::string_view kRequest = "a streamed completion";
  const int max_tokens = std::max(run.options().max_tokens, kStreamMinTokens);
  const std::string body = CompletionRequestBody(model, run.options().prompt, max_tokens, true).dump();
  SseParser parser;
  std::optional<Instant> first, last;
  int text_chunks = 0;
  bool done = false;
  std::optional<int64_t> usage_tokens;
  std::optional<std::string> stream_error;
  std::string malformed;
  const Instant sent = run.Now();
  auto on_event = [&](const SseEvent& event) {
    auto chunk = ReadStreamChunk(event.data);
    if (!chunk.ok()) {
      malformed = chunk.error().message();
      return false;
    }
    if (chunk->error) {
      stream_error = chunk->error;
      return false;
    }
    if (chunk->done) {
      done = true;
      return false;
    }
    if (chunk->completion_tokens) usage_tokens = chunk->completion_tokens;
    if (!chunk->text.empty()) {
      const Instant now = run.Now();
      if (!first) first = now;
      last = now;
      ++text_chunks;
    }
    return true;
  };
  auto answer = kube::ProxyPostStream(run.client(), target, "/v1/completions", body, run.Remaining(),
                                      [&](std::string_view piece) { return parser.Feed(piece, on_event); });
  if (!answer.ok()) return Fail(check, ProxyFailure(run, check.target, kRequest, answer.error()));
  check.http_status = answer->status;
  if (answer->status != 200) return Fail(check, BackendFailure(check.target, kRequest, *answer));
  if (!done && !stream_error && malformed.empty()) parser.Finish(on_event);
  if (!malformed.empty()) return Fail(check, fmt::format("{} streamed {}", check.target, malformed));
  if (stream_error) {
    return Fail(check, fmt::format("{} sent an error in the middle of {}: {}", check.target, kRequest, *stream_error));
  }
  if (!first) return Fail(check, fmt::format("{} streamed no token in {}", check.target, kRequest));
  if (!done) return Fail(check, fmt::format("{} ended {} without its [DONE] marker", check.target, kRequest));
  check.tokens = usage_tokens.value_or(text_chunks);
  check.ttft_seconds = Seconds(*first - sent);
  if (text_chunks > 1) check.itl_seconds = Seconds(*last - *first) / (text_chunks - 1);
  check.detail = fmt::format("{} tokens, TTFT {}", *check.tokens, FormatLatency(*check.ttft_seconds));
  if (check.itl_seconds) check.detail += fmt::format(", ITL {}", FormatLatency(*check.itl_seconds));
  const auto& budget = run.options().ttft_budget;
  if (budget && *first - sent > *budget) {
    check.over_budget = true;
    check.failure = fmt::format(
        "{} took {} to the first token, over --ttft-budget {} (measured through the API "
        "server's proxy, which flushes streams on an interval: an upper bound)",
        check.target, FormatLatency(*check.ttft_seconds), GoDurationString(*budget));
  }
  return true;
}

std::string_view OutcomeName(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kPassed:
      return "passed";
    case CheckOutcome::kFailed:
      return "failed";
    case CheckOutcome::kSkipped:
      return "skipped";
  }
  return "";
}

}  // namespace

std::string_view TestStageName(TestStage stage) { return kStages[static_cast<int>(stage)].name; }

int TestStageExitCode(TestStage stage) { return kStages[static_cast<int>(stage)].exit_code; }

Result<EndpointTestReport> RunEndpointTest(const EndpointTestOptions& options, kube::RestClient& client,
                                           kube::RestMapper& mapper, const std::string& ns, Clock& clock) {
  Run run(options, client, clock);
  const Instant start = run.Now();
  EndpointTestReport report;
  report.name = options.name;
  report.ns = ns;
  report.options = options;
  Stages stages(run, report);

  Status access_error;
  stages.Stage(TestStage::kAccess, [&](std::vector<TestCheck>& checks) { CheckAccess(run, ns, checks, access_error); });
  if (!access_error.ok()) return access_error.error();

  std::optional<ServedEndpoint> served;
  if (report.exit_code == 0) {
    LLM_ASSIGN_OR_RETURN(ServedEndpoint resolved, ResolveServedEndpoint(client, mapper, ns, options.name));
    served = std::move(resolved);
    report.engine = std::string(served->engine->name);
    report.model = options.model.empty() ? served->served_model : options.model;
    report.service = served->service;
    report.port = served->service_port;
  }
  stages.Stage(TestStage::kEndpoints, [&](std::vector<TestCheck>& checks) { CheckEndpoints(*served, checks); });

  const std::vector<const ServingPod*> pods = served ? ReadyPods(*served) : std::vector<const ServingPod*>();
  auto pod_target = [&](const ServingPod& pod) {
    return kube::ProxyTarget{kube::ProxyTarget::Kind::kPod, ns, pod.name, pod.port};
  };
  const kube::ProxyTarget service_target{kube::ProxyTarget::Kind::kService, ns, report.service, report.port};
  // Every target of a stage is asked, so all bad replicas are named, not just the first.
  auto each_target = [&](bool pods_too, bool service_too, auto check_one) {
    return [&, pods_too, service_too, check_one](std::vector<TestCheck>& checks) {
      std::vector<kube::ProxyTarget> targets;
      if (pods_too) {
        for (const ServingPod* pod : pods) targets.push_back(pod_target(*pod));
      }
      if (service_too) targets.push_back(service_target);
      for (const kube::ProxyTarget& target : targets) {
        TestCheck check;
        check.target = target.Describe();
        const Instant began = run.Now();
        check_one(target, check);
        check.duration = run.Since(began);
        checks.push_back(std::move(check));
      }
    };
  };
  const ServeEngine* engine = served ? served->engine : nullptr;
  stages.Stage(TestStage::kHealth, each_target(true, false, [&](const kube::ProxyTarget& t, TestCheck& c) {
                 CheckHealth(run, *engine, t, c);
               }));
  stages.Stage(TestStage::kModels, each_target(options.per_pod, true, [&](const kube::ProxyTarget& t, TestCheck& c) {
                 CheckModels(run, report.model, t, c);
               }));
  stages.Stage(TestStage::kCompletion,
               each_target(options.per_pod, true, [&](const kube::ProxyTarget& t, TestCheck& c) {
                 CheckCompletion(run, report.model, t, c);
               }));
  stages.Stage(TestStage::kStream, each_target(options.per_pod, true, [&](const kube::ProxyTarget& t, TestCheck& c) {
                 CheckStream(run, report.model, t, c);
               }));
  report.duration = run.Since(start);
  return report;
}

nlohmann::ordered_json EndpointTestJson(const EndpointTestReport& report) {
  nlohmann::ordered_json stages = nlohmann::ordered_json::array();
  std::optional<std::string> failed_stage;
  for (const TestStageResult& stage : report.stages) {
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const TestCheck& check : stage.checks) {
      nlohmann::ordered_json c = {{"target", check.target},
                                  {"result", std::string(check.over_budget ? "failed" : OutcomeName(check.outcome))},
                                  {"durationSeconds", Seconds(check.duration)},
                                  {"detail", check.detail}};
      if (check.http_status) c["httpStatus"] = *check.http_status;
      if (check.tokens) c["completionTokens"] = *check.tokens;
      if (check.ttft_seconds) c["timeToFirstTokenSeconds"] = *check.ttft_seconds;
      if (check.itl_seconds) c["interTokenLatencySeconds"] = *check.itl_seconds;
      if (check.ttft_seconds) c["timeToFirstTokenIsUpperBound"] = true;
      if (!check.failure.empty()) c["message"] = check.failure;
      checks.push_back(std::move(c));
    }
    if (stage.outcome == CheckOutcome::kFailed && !failed_stage) failed_stage = std::string(TestStageName(stage.stage));
    stages.push_back({{"name", std::string(TestStageName(stage.stage))},
                      {"result", std::string(OutcomeName(stage.outcome))},
                      {"durationSeconds", Seconds(stage.duration)},
                      {"checks", std::move(checks)}});
  }
  nlohmann::ordered_json spec = {{"engine", report.engine},
                                 {"model", report.model},
                                 {"service", report.service},
                                 {"port", report.port},
                                 {"perPod", report.options.per_pod},
                                 {"prompt", report.options.prompt},
                                 {"maxTokens", report.options.max_tokens},
                                 {"streamMaxTokens", std::max(report.options.max_tokens, kStreamMinTokens)},
                                 {"timeoutSeconds", Seconds(report.options.timeout)}};
  spec["ttftBudgetSeconds"] = report.options.ttft_budget ? nlohmann::ordered_json(Seconds(*report.options.ttft_budget))
                                                         : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json status = {{"passed", report.passed()},
                                   {"exitCode", report.exit_code},
                                   {"failedStage", failed_stage ? nlohmann::ordered_json(*failed_stage) : nullptr},
                                   {"message", report.message},
                                   {"durationSeconds", Seconds(report.duration)},
                                   {"stages", std::move(stages)}};
  return {{"apiVersion", std::string(kApiVersion)},
          {"kind", "EndpointTest"},
          {"metadata", {{"name", report.name}, {"namespace", report.ns}}},
          {"spec", std::move(spec)},
          {"status", std::move(status)}};
}

std::string EndpointTestTable(const EndpointTestReport& report) {
  Table table({{"STAGE"}, {"TARGET"}, {"RESULT"}, {"TIME"}, {"DETAIL"}});
  bool streamed = false;
  for (const TestStageResult& stage : report.stages) {
    if (stage.outcome == CheckOutcome::kSkipped) {
      table.AddRow({std::string(TestStageName(stage.stage)), "", "skipped", "", ""});
      continue;
    }
    for (const TestCheck& check : stage.checks) {
      streamed |= check.ttft_seconds.has_value();
      const std::string result = check.over_budget ? "failed" : std::string(OutcomeName(check.outcome));
      std::string detail = check.detail;
      if (check.outcome == CheckOutcome::kFailed && detail.empty()) detail = "see below";
      table.AddRow({std::string(TestStageName(stage.stage)), check.target, result,
                    FormatLatency(Seconds(check.duration)), detail});
    }
  }
  std::string out = table.Render(false);
  if (streamed) {
    out +=
        "TTFT is an upper bound: the API server's proxy flushes streamed answers on an interval (which can also "
        "bunch tokens, so ITL, the mean gap as they arrived, may read shorter or longer than the engine's).\n";
  }
  return out;
}

}  // namespace llm
