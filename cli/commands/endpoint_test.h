// The stages of `kubectl llm test NAME`, run entirely through the API
// server's proxy (no port-forward, no pod of ours, no image pull), in order:
//   access      may the caller use services/proxy and pods/proxy (and list
//               EndpointSlices)? SelfSubjectAccessReviews, before anything else;
//   endpoints   the Service's ready endpoints (EndpointSlices) cover every
//               serving pod the workload asks for;
//   health      each ready pod's deepest health path (the engine table's);
//   models      GET /v1/models lists the served model id;
//   completion  a greedy completion of --max-tokens: one choice, its usage;
//   stream      a streamed completion: time to first token, an upper bound
//               since the API server flushes proxied streams on an interval,
//               and the mean gap between tokens as they arrived (a flush can
//               hold back the first tokens, so it may read shorter than the
//               engine's; it is not a bound); then --ttft-budget.
// models, completion and stream go through the Service, and first to each
// ready pod with --per-pod (so a bad replica is named). The first stage that
// fails ends the run with its own exit code; later stages are skipped.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/served_endpoint.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm {

enum class TestStage { kAccess, kEndpoints, kHealth, kModels, kCompletion, kStream };

/// Exit codes of `kubectl llm test` (README "Exit codes"): 0 passed, 1 an
/// error before any stage ran, 2 usage, then one per failed stage.
inline constexpr int kTestExitAccess = 3;
inline constexpr int kTestExitEndpoints = 4;
inline constexpr int kTestExitHealth = 5;
inline constexpr int kTestExitModels = 6;
inline constexpr int kTestExitCompletion = 7;
inline constexpr int kTestExitStream = 8;
inline constexpr int kTestExitTtftBudget = 9;

/// "access", "endpoints", "health", "models", "completion", "stream".
std::string_view TestStageName(TestStage stage);
int TestStageExitCode(TestStage stage);

/// The streamed completion asks for at least this many tokens, so there are
/// gaps between tokens to measure.
inline constexpr int kStreamMinTokens = 16;

struct EndpointTestOptions {
  std::string name{};
  bool per_pod = false;
  std::string prompt = "Hello";
  int max_tokens = 1;
  std::optional<std::chrono::milliseconds> ttft_budget{};
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  std::string model{};  ///< --model: the id /v1/models must list ("" = the workload's served name)
};

enum class CheckOutcome { kPassed, kFailed, kSkipped };

/// One request (or one look) of a stage, against one target.
struct TestCheck {
  std::string target;  ///< "pod/chat-7d9f-x2kq4", "service/chat", "namespace/team-a"
  CheckOutcome outcome = CheckOutcome::kPassed;
  std::chrono::nanoseconds duration{0};
  std::string detail;                  ///< what it saw, for the table: "GET /health 200", "2/2 ready"
  std::optional<int> http_status;      ///< the backend's answer, when one came
  std::optional<double> ttft_seconds;  ///< stream: first token (upper bound)
  std::optional<double> itl_seconds;   ///< stream: mean gap between tokens as they arrived (not a bound)
  std::optional<int64_t> tokens;       ///< completion and stream: completion tokens
  std::string failure;                 ///< one sentence naming the target, the stage and what it answered
  bool over_budget = false;            ///< stream: passed, but its TTFT is over --ttft-budget
};

struct TestStageResult {
  TestStage stage;
  CheckOutcome outcome = CheckOutcome::kSkipped;
  std::chrono::nanoseconds duration{0};
  std::vector<TestCheck> checks;
};

struct EndpointTestReport {
  std::string name{};
  std::string ns;
  std::string engine;   ///< "" when the run ended before the workload was read
  std::string model{};  ///< the id expected at /v1/models
  std::string service;
  int port = 0;
  EndpointTestOptions options;
  std::vector<TestStageResult> stages;  ///< every stage, in order; skipped ones after a failure
  std::chrono::nanoseconds duration{0};
  int exit_code = 0;
  std::string message;  ///< the first failure's sentence ("" when passed)

  bool passed() const { return exit_code == 0; }
};

/// Runs the stages. An Error only when the run cannot start (no such
/// workload, a workload that serves no model, a failed API call while reading
/// it); what the model answers is in the report.
Result<EndpointTestReport> RunEndpointTest(const EndpointTestOptions& options, kube::RestClient& client,
                                           kube::RestMapper& mapper, const std::string& ns, Clock& clock);

/// The report as the `kubectl-llm.dev/v1alpha1` EndpointTest object -o json|yaml prints.
nlohmann::ordered_json EndpointTestJson(const EndpointTestReport& report);

/// The table: one line per check (STAGE TARGET RESULT TIME DETAIL), then the
/// note that stream timings are upper bounds when a stream ran.
std::string EndpointTestTable(const EndpointTestReport& report);

}  // namespace llm
