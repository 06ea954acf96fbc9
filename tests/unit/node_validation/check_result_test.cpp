#include "node_validation/check_result.h"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "termination_summary.h"

namespace llm {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/node_validation/" + name);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A message as llm-gpu-check writes it, through gpu_check's own writer.
std::string Message(gpu_check::TestStatus status, int exit_code, std::string reason, bool partial = false) {
  gpu_check::TerminationSummary s;
  s.status = status;
  s.exit_code = exit_code;
  s.reason = std::move(reason);
  s.gpu_count = 8;
  s.model = "H100-SXM-80GB";
  s.worst = {{"hbm_copy", 2400.04}, {"h2d", 50.0}, {"d2h", 52.5}, {"p2p_unidir", 371.2}, {"nccl_busbw", 365.49}};
  s.suspect_gpus = {3};
  s.partial = partial;
  return gpu_check::FormatTerminationSummary(s);
}

nlohmann::json Terminated(int exit_code, const std::string& message, const std::string& reason = "Error") {
  return {{"exitCode", exit_code},
          {"reason", reason},
          {"message", message},
          {"startedAt", "2026-11-28T12:00:00Z"},
          {"finishedAt", "2026-11-28T12:01:13Z"}};
}

}  // namespace

TEST_CASE("ReadCheckResult: a passing summary (fixture in the writer's exact format)") {
  const CheckOutcome o = ReadCheckResult(Terminated(0, Fixture("termination-message-pass.json"), "Completed"));
  CHECK(o.verdict == Verdict::kPass);
  CHECK(o.reason.empty());
  CHECK(o.exit_code == 0);
  CHECK(o.model == "H100-SXM-80GB");
  CHECK(o.gpu_count == 8);
  CHECK(o.bandwidth.hbm == doctest::Approx(2874.44));
  CHECK(o.bandwidth.h2d == doctest::Approx(51.96));
  CHECK(o.bandwidth.d2h == doctest::Approx(53.21));
  CHECK(o.bandwidth.p2p_min == doctest::Approx(372.08));
  CHECK(o.bandwidth.allreduce_busbw == doctest::Approx(478.25));  // the NVLS figure when that is all there is
  REQUIRE(o.started_at.has_value());
  REQUIRE(o.finished_at.has_value());
  CHECK(*o.finished_at - *o.started_at == std::chrono::seconds(73));
}

TEST_CASE("ReadCheckResult: verdict rules, with exact reasons") {
  using gpu_check::TestStatus;
  struct Case {
    const char* name;
    nlohmann::json terminated;
    Verdict verdict;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"pass", Terminated(0, Message(TestStatus::kPass, 0, "")), Verdict::kPass, ""},
      {"below floor", Terminated(1, Message(TestStatus::kFail, 1, "hbm: gpu 3 median 2400.0 GB/s below floor 2500.0")),
       Verdict::kFail, "hbm: gpu 3 median 2400.0 GB/s below floor 2500.0"},
      {"corruption", Terminated(2, Message(TestStatus::kFail, 2, "")), Verdict::kFail,
       "self-test failed (exit code 2)"},
      {"cuda error", Terminated(5, Message(TestStatus::kFail, 5, "nccl: unhandled cuda error")), Verdict::kFail,
       "nccl: unhandled cuda error"},
      {"exit code wins over a passing summary", Terminated(3, Message(TestStatus::kPass, 0, "")), Verdict::kFail,
       "self-test failed (exit code 3)"},
      {"usage", Terminated(64, Message(TestStatus::kFail, 64, "unknown flag --fast")), Verdict::kError,
       "self-test usage error (exit code 64): unknown flag --fast"},
      {"no message", Terminated(1, ""), Verdict::kError, "pod ended without a result (exit code 1)"},
      {"logs instead of a summary (FallbackToLogsOnError)", Terminated(139, "Segmentation fault (core dumped)\n"),
       Verdict::kError, "pod ended without a result (exit code 139)"},
      {"OOMKilled", Terminated(137, "", "OOMKilled"), Verdict::kError,
       "pod ended without a result (exit code 137, OOMKilled)"},
      {"exit 0 and no summary", Terminated(0, "", "Completed"), Verdict::kError,
       "pod ended without a result (exit code 0)"},
      {"partial summary", Terminated(0, Message(TestStatus::kPass, 0, "", /*partial=*/true)), Verdict::kError,
       "self-test stopped before it finished (exit code 0)"},
      {"killed after a passing summary", Terminated(143, Message(TestStatus::kPass, 0, "")), Verdict::kError,
       "self-test stopped before it finished (exit code 143)"},
      {"unknown schema", Terminated(0, R"({"schema_version":99,"status":"pass","exit_code":0})"), Verdict::kError,
       "pod ended without a result (exit code 0)"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const CheckOutcome o = ReadCheckResult(c.terminated);
    CHECK(VerdictName(o.verdict) == VerdictName(c.verdict));
    CHECK(o.reason == c.reason);
  }
}

TEST_CASE("ReadCheckResult: figures and suspects come through a failing summary") {
  const CheckOutcome o = ReadCheckResult(Terminated(1, Message(gpu_check::TestStatus::kFail, 1, "hbm low")));
  CHECK(o.bandwidth.hbm == doctest::Approx(2400.04));
  CHECK(o.bandwidth.allreduce_busbw == doctest::Approx(365.49));
  CHECK(o.suspect_gpus == std::vector<int>{3});
}

}  // namespace llm

namespace llm {

// gpu_check's golden termination summary is the writer's real output for a
// fixed run (kept current by its golden test): reading it here ties the two.
TEST_CASE("ReadCheckResult: reads gpu_check's golden termination summary") {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/gpu_check/termination_summary.json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const CheckOutcome o = ReadCheckResult({{"exitCode", 1}, {"reason", "Error"}, {"message", text.str()}});
  CHECK(o.verdict == Verdict::kFail);
  CHECK(o.reason == "pcie: gpu 1 h2d: 40.3 GB/s is below the floor of 45.0 GB/s");
  CHECK(o.model == "H100-SXM");
  CHECK(o.gpu_count == 2);
  CHECK(o.suspect_gpus == std::vector<int>{1});
  CHECK(o.bandwidth.hbm == doctest::Approx(2950.0));
  CHECK(o.bandwidth.h2d == doctest::Approx(40.3));
  CHECK(o.bandwidth.d2h == doctest::Approx(54.0));
  CHECK(o.bandwidth.p2p_min == doctest::Approx(380.0));
  CHECK(o.bandwidth.allreduce_busbw == doctest::Approx(306.8));
}

}  // namespace llm

namespace llm {

TEST_CASE("ReadCheckResult: a failing health check fails the node like a failing bandwidth check") {
  gpu_check::TerminationSummary s;
  s.status = gpu_check::TestStatus::kFail;
  s.exit_code = 2;
  s.exit_reason = "corruption";
  s.reason = "health: gpu 5: 2 uncorrectable ECC errors since the driver loaded (2 during this run)";
  s.gpu_count = 8;
  s.model = "H200-SXM";
  s.tests = {{"health", gpu_check::TestStatus::kFail}, {"hbm", gpu_check::TestStatus::kPass}};
  s.suspect_gpus = {5};
  s.health_checked = true;
  s.health_fail = {{5, "ecc_uncorrectable"}};
  s.health_warn = {{1, "persistence_mode_off"}};
  s.per_gpu = {{"hbm_copy", {4100.0, 4098.5}}, {"h2d", {55.3, std::nullopt}}};
  s.p2p_unidir = {{std::nullopt, 380.0}, {379.5, std::nullopt}};
  s.floors = {{"hbm_copy", 3700}, {"h2d", 48}, {"p2p_unidir", 335}};
  const nlohmann::json terminated = {{"exitCode", 2},
                                     {"reason", "Error"},
                                     {"message", gpu_check::FormatTerminationSummary(s)},
                                     {"startedAt", "2026-11-28T12:00:00Z"},
                                     {"finishedAt", "2026-11-28T12:01:13Z"}};
  const CheckOutcome out = ReadCheckResult(terminated);
  CHECK(out.verdict == Verdict::kFail);
  CHECK(out.reason == "health: gpu 5: 2 uncorrectable ECC errors since the driver loaded (2 during this run)");
  CHECK(out.suspect_gpus == std::vector<int>{5});
  CHECK(out.health == HealthNotes{true, {{5, "ecc_uncorrectable"}}, {{1, "persistence_mode_off"}}});
  CHECK(out.detail.hbm == std::vector<std::optional<double>>{4100.0, 4098.5});
  CHECK(out.detail.h2d == std::vector<std::optional<double>>{55.3, std::nullopt});
  CHECK(out.detail.d2h.empty());
  CHECK(out.detail.p2p[1][0] == 379.5);
  CHECK(out.detail.floors == std::map<std::string, double>{{"hbm", 3700}, {"h2d", 48}, {"p2pMin", 335}});
}

TEST_CASE("ReadCheckResult: an older summary without a health section reads as not checked") {
  const CheckOutcome out = ReadCheckResult({{"exitCode", 0}, {"message", Fixture("termination-message-pass.json")}});
  CHECK(out.verdict == Verdict::kPass);
  CHECK_FALSE(out.health.checked);
  CHECK(out.detail.empty());
}

}  // namespace llm
