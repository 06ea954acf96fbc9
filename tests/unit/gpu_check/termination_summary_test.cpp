#include "termination_summary.h"

#include <doctest/doctest.h>

#include "evaluate_report.h"
#include "health.h"
#include "report_fixtures.h"
#include "thresholds.h"

namespace llm::gpu_check {
using testing::HbmTest;

namespace {

Report FailingReport() {
  Report r;
  r.node.node_name = "gpu-node-7";
  r.node.hostname = "pod-xyz";
  r.gpus = testing::H100s(4);
  TestResult inv;
  inv.name = "inventory";
  r.tests = {inv, HbmTest({2900, 2400, 2920, 2910})};
  EvaluateReport(r, BuiltinThresholds());
  return r;
}

}  // namespace

TEST_CASE("SummarizeReport carries the verdict, tests and worst medians") {
  const TerminationSummary s = SummarizeReport(FailingReport());
  CHECK(s.status == TestStatus::kFail);
  CHECK(s.exit_code == 1);
  CHECK(s.exit_reason == "below_floor");
  CHECK(s.reason == "hbm: gpu 1 hbm_copy: 2400.0 GB/s is below the floor of 2500.0 GB/s");
  CHECK(s.node == "gpu-node-7");
  CHECK(s.gpu_count == 4);
  CHECK(s.model == "H100-SXM");
  CHECK(s.tests.at("hbm") == TestStatus::kFail);
  CHECK(s.tests.at("inventory") == TestStatus::kPass);
  CHECK(s.worst.at("hbm_copy") == 2400);
  CHECK(s.suspect_gpus == std::vector<int>{1});
}

TEST_CASE("FormatTerminationSummary round-trips through ParseTerminationSummary") {
  const TerminationSummary s = SummarizeReport(FailingReport());
  const std::string text = FormatTerminationSummary(s);
  CHECK(text.size() <= kTerminationSummaryMaxBytes);
  auto parsed = ParseTerminationSummary(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->status == s.status);
  CHECK(parsed->exit_code == s.exit_code);
  CHECK(parsed->exit_reason == s.exit_reason);
  CHECK(parsed->reason == s.reason);
  CHECK(parsed->node == s.node);
  CHECK(parsed->gpu_count == 4);
  CHECK(parsed->model == "H100-SXM");
  CHECK(parsed->tests == s.tests);
  CHECK(parsed->worst == s.worst);
  CHECK(parsed->suspect_gpus == s.suspect_gpus);
  CHECK_FALSE(parsed->truncated);
}

TEST_CASE("FormatTerminationSummary shrinks to fit and says so") {
  TerminationSummary s;
  s.status = TestStatus::kFail;
  s.exit_code = 1;
  s.reason = std::string(6000, 'r') + "\xc3\xa9";  // ends in a 2-byte UTF-8 character
  for (int i = 0; i < 300; ++i) s.suspect_links.push_back({i % 8, (i + 1) % 8});
  for (int i = 0; i < 8; ++i) s.suspect_gpus.push_back(i);
  s.worst = {{"hbm_copy", 1000}};
  for (std::size_t limit : {std::size_t{4096}, std::size_t{1024}, std::size_t{600}}) {
    CAPTURE(limit);
    const std::string text = FormatTerminationSummary(s, limit);
    CHECK(text.size() <= limit);
    auto parsed = ParseTerminationSummary(text);
    REQUIRE(parsed.ok());
    CHECK(parsed->truncated);
    CHECK(parsed->worst.empty());
    CHECK(parsed->exit_code == 1);
    CHECK(parsed->reason.ends_with("..."));
  }
}

namespace {

/// An 8-GPU H200 node's run: HBM, PCIe, the P2P matrix and a health check.
Report DetailedReport() {
  Report r;
  r.node.node_name = "gpu-node-3";
  r.gpus = testing::H100s(8);
  for (GpuInfo& g : r.gpus) {
    g.name = "NVIDIA H200";
    g.pci_device_id = 0x2335;
  }
  TestResult pcie;
  pcie.name = "pcie";
  TestResult p2p;
  p2p.name = "p2p";
  for (int i = 0; i < 8; ++i) {
    pcie.series.push_back(testing::MakeSeries("h2d", i, {55.3}));
    pcie.series.push_back(testing::MakeSeries("d2h", i, {55.2}));
    for (int j = 0; j < 8; ++j) {
      if (i != j) p2p.series.push_back(testing::MakeSeries("p2p_unidir", i, {i == 2 && j == 5 ? 201.0 : 380.04}, j));
    }
  }
  TestResult health;
  health.name = "health";
  HealthSection h;
  for (int i = 0; i < 8; ++i) h.gpus.push_back(testing::HealthyH100(i));
  h.gpus[6].xids = {{79}};
  h.gpus[1].persistence_mode = false;
  health.health = h;
  r.tests = {testing::HbmTest({4100, 4090, 4101, 4099, 4102, 4098, 4100, 4097}), pcie, p2p, health};
  EvaluateReport(r, BuiltinThresholds());
  return r;
}

}  // namespace

TEST_CASE("SummarizeReport carries per-GPU figures, the P2P matrix, floors and health findings") {
  const TerminationSummary s = SummarizeReport(DetailedReport());
  CHECK(s.per_gpu.at("hbm_copy").size() == 8);
  CHECK(s.per_gpu.at("hbm_copy")[2] == 4101);
  CHECK(s.per_gpu.at("h2d")[7] == doctest::Approx(55.3));
  REQUIRE(s.p2p_unidir.size() == 8);
  CHECK_FALSE(s.p2p_unidir[3][3].has_value());
  CHECK(s.p2p_unidir[2][5] == 201.0);
  CHECK(s.p2p_unidir[5][2] == 380.0);  // one decimal
  CHECK(s.floors.at("hbm_copy") == 3700);
  CHECK(s.floors.at("p2p_unidir") == 335);
  CHECK(s.health_checked);
  CHECK(s.health_fail == std::vector<SummaryFinding>{{6, "xid"}});
  CHECK(s.health_warn == std::vector<SummaryFinding>{{1, "persistence_mode_off"}});

  const std::string text = FormatTerminationSummary(s);
  CHECK(text.size() <= kTerminationSummaryMaxBytes);
  auto parsed = ParseTerminationSummary(text);
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->truncated);
  CHECK(parsed->per_gpu == s.per_gpu);
  CHECK(parsed->p2p_unidir == s.p2p_unidir);
  CHECK(parsed->floors == s.floors);
  CHECK(parsed->health_checked);
  CHECK(parsed->health_fail == s.health_fail);
  CHECK(parsed->health_warn == s.health_warn);
}

TEST_CASE("FormatTerminationSummary drops the pictures' detail before anything a verdict needs") {
  TerminationSummary s = SummarizeReport(DetailedReport());
  const std::size_t full = FormatTerminationSummary(s).size();
  // Just too small for the P2P matrix: it goes, the per-GPU figures stay.
  auto parsed = ParseTerminationSummary(FormatTerminationSummary(s, full - 1));
  REQUIRE(parsed.ok());
  CHECK(parsed->truncated);
  CHECK(parsed->p2p_unidir.empty());
  CHECK_FALSE(parsed->per_gpu.empty());
  CHECK_FALSE(parsed->worst.empty());
  // Smaller than the summary without any picture: the warnings go too, the
  // worst figures and the failing finding stay. ("truncated":true is one
  // byte shorter than false, hence the 2.)
  TerminationSummary no_pictures = s;
  no_pictures.p2p_unidir.clear();
  no_pictures.per_gpu.clear();
  no_pictures.floors.clear();
  parsed = ParseTerminationSummary(FormatTerminationSummary(s, FormatTerminationSummary(no_pictures).size() - 2));
  REQUIRE(parsed.ok());
  CHECK(parsed->per_gpu.empty());
  CHECK(parsed->floors.empty());
  CHECK(parsed->health_warn.empty());
  CHECK_FALSE(parsed->worst.empty());
  CHECK(parsed->health_fail == std::vector<SummaryFinding>{{6, "xid"}});
}

TEST_CASE("ParseTerminationSummary rejects what it cannot trust") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"exit 1", "termination summary: not a JSON object"},
      {R"({"status":"pass","exit_code":0})",
       "termination summary: field schema_version is missing or has the wrong type"},
      {R"({"schema_version":2,"status":"pass","exit_code":0})",
       "termination summary: schema_version 2 is not supported (want 1)"},
      {R"({"schema_version":1,"status":"great","exit_code":0})",
       "termination summary: status \"great\" is not a test status"},
      {R"({"schema_version":1,"status":"pass"})",
       "termination summary: field exit_code is missing or has the wrong type"},
      {R"({"schema_version":1,"status":"pass","exit_code":0,"tests":{"hbm":1}})",
       "termination summary: tests.hbm is not a test status"},
      {R"({"schema_version":1,"status":"fail","exit_code":1,"suspect_links":[[1]]})",
       "termination summary: suspect_links must hold [gpu, peer] pairs"},
      {R"({"schema_version":1,"status":"fail","exit_code":1,"health":{"fail":[["xid",1]]}})",
       "termination summary: health.fail must hold [gpu, rule] pairs"},
      {R"({"schema_version":1,"status":"pass","exit_code":0,"per_gpu":{"h2d":[1,"x"]}})",
       "termination summary: per_gpu.h2d must be an array of numbers or nulls"},
      {R"({"schema_version":1,"status":"pass","exit_code":0,"p2p_unidir":[[null,1],2]})",
       "termination summary: p2p_unidir must be an array of numbers or nulls"},
      // Optional fields of another type threw out of the parser (found by
      // tests/fuzz/termination_summary_fuzzer.cpp, corpus/termination_summary/finding-*).
      {R"({"schema_version":1,"status":"pass","exit_code":0,"node":5})",
       "termination summary: field node must be a string"},
      {R"({"schema_version":1,"status":"fail","exit_code":1,"reason":["x"]})",
       "termination summary: field reason must be a string"},
      {R"({"schema_version":1,"status":"pass","exit_code":0,"gpu_count":"8"})",
       "termination summary: field gpu_count must be an integer"},
      {R"({"schema_version":1,"status":"pass","exit_code":0,"partial":1})",
       "termination summary: field partial must be a boolean"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto r = ParseTerminationSummary(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure().message() == c.message);
  }
}

TEST_CASE("ParseTerminationSummary ignores fields it does not know") {
  auto r = ParseTerminationSummary(R"({"schema_version":1,"status":"pass","exit_code":0,"future":{"x":1}})");
  REQUIRE(r.ok());
  CHECK(r->status == TestStatus::kPass);
}

}  // namespace llm::gpu_check
