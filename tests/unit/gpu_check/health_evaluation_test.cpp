// The health rules on hand-made readings: each rule's boundary, and how a
// health section decides the test's status, exit code, reason and suspects.
#include "health_evaluation.h"

#include <doctest/doctest.h>

#include "evaluate_report.h"
#include "report_fixtures.h"
#include "thresholds.h"

namespace llm::gpu_check {
namespace {

/// A GPU with nothing to report: Gen5 x16 under load, ECC on, no errors.
GpuHealth Healthy(int gpu) {
  GpuHealth g;
  g.gpu = gpu;
  g.persistence_mode = true;
  g.mig_mode = false;
  g.ecc_enabled = true;
  g.before.ecc_uncorrected_volatile = g.after.ecc_uncorrected_volatile = 0;
  g.before.pcie_replays = g.after.pcie_replays = 10;
  g.pcie_max_gen = 5;
  g.pcie_max_width = 16;
  g.pcie_gen_under_load = 5;
  g.pcie_width_under_load = 16;
  g.load_samples = 40;
  g.clocks_event_reasons = 0;
  g.temperature_max_c = 60;
  g.slowdown_temp_c = 89;
  g.power_limit_w = g.default_power_limit_w = 700;
  for (int l = 0; l < 18; ++l) g.nvlinks.push_back({l, true, NvlinkErrorCounts{}, NvlinkErrorCounts{}});
  return g;
}

HealthRules H100Rules() {
  HealthRules r;
  r.pcie_min_gen = 5;
  r.pcie_min_width = 16;
  r.nvlink_min_active = 18;
  return r;
}

std::vector<std::string> Rules(const GpuHealth& g, int gpu_count = 8, HealthRules rules = H100Rules()) {
  HealthSection s;
  s.gpus = {g};
  EvaluateHealth(s, std::vector<HealthRules>(8, rules), gpu_count);
  std::vector<std::string> out;
  for (const HealthFinding& f : s.findings) out.push_back(std::string(FindingSeverityName(f.severity)) + ":" + f.rule);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("health rules: a healthy GPU has no finding") { CHECK(Rules(Healthy(0)).empty()); }

TEST_CASE("health rules: temperature warns within the margin and fails at the slowdown temperature") {
  GpuHealth g = Healthy(0);
  g.temperature_max_c = 83;
  CHECK(Rules(g).empty());
  g.temperature_max_c = 84;
  CHECK(Rules(g) == V{"warn:temperature"});
  g.temperature_max_c = 89;
  CHECK(Rules(g) == V{"fail:temperature"});
  g.slowdown_temp_c.reset();  // NVML without thresholds: nothing to judge against
  CHECK(Rules(g).empty());
}

TEST_CASE("health rules: PCIe replays warn up to pcie_replays_max and fail above") {
  GpuHealth g = Healthy(0);
  g.after.pcie_replays = 90;  // +80
  CHECK(Rules(g) == V{"warn:pcie_replays"});
  g.after.pcie_replays = 91;  // +81
  CHECK(Rules(g) == V{"fail:pcie_replays"});
  g.after.pcie_replays = 3;  // the counter went back (a reset): no delta to judge
  CHECK(Rules(g).empty());
}

TEST_CASE("health rules: the PCIe link") {
  GpuHealth g = Healthy(0);
  g.pcie_gen_under_load = 4;
  CHECK(Rules(g) == V{"fail:pcie_link_downtrained"});
  g = Healthy(0);
  g.pcie_max_width = g.pcie_width_under_load = 8;  // an x8 slot, working at x8
  CHECK(Rules(g) == V{"fail:pcie_link_below_model"});
  HealthRules no_model_link = H100Rules();
  no_model_link.pcie_min_width.reset();
  CHECK(Rules(g, 8, no_model_link).empty());
  g = Healthy(0);
  g.load_samples = 0;
  CHECK(Rules(g) == V{"warn:pcie_link_not_loaded"});
}

TEST_CASE("health rules: NVLinks are judged on nodes of two or more GPUs only") {
  GpuHealth g = Healthy(0);
  g.nvlinks[4].active = false;
  CHECK(Rules(g, 1).empty());
  CHECK(Rules(g, 2) == V{"fail:nvlink_down"});
  HealthRules pcie_card = H100Rules();
  pcie_card.nvlink_min_active = 0;
  CHECK(Rules(g, 8, pcie_card).empty());
  g.nvlinks[4].active = true;
  g.nvlinks[9].after = NvlinkErrorCounts{0, 0, 3, 0};
  CHECK(Rules(g, 8) == V{"fail:nvlink_errors"});
  HealthRules tolerant = H100Rules();
  tolerant.nvlink_error_delta_max = 3;
  CHECK(Rules(g, 8, tolerant).empty());
}

TEST_CASE("health rules: memory") {
  GpuHealth g = Healthy(0);
  g.after.ecc_uncorrected_aggregate = 4;
  CHECK(Rules(g) == V{"warn:ecc_uncorrectable_history"});
  g.after.ecc_uncorrected_volatile = 1;
  CHECK(Rules(g) == V{"fail:ecc_uncorrectable"});
  g = Healthy(0);
  g.ecc_enabled = false;
  CHECK(Rules(g) == V{"warn:ecc_disabled"});
  g = Healthy(0);
  g.after.remap_pending = true;
  g.after.remap_failure = true;
  CHECK(Rules(g) == V{"fail:row_remap_pending", "fail:row_remap_failure"});
  g = Healthy(0);
  g.after.retired_pages_pending = true;
  CHECK(Rules(g) == V{"fail:retired_pages_pending"});
}

TEST_CASE("health rules: clocks, power, modes and XIDs") {
  GpuHealth g = Healthy(0);
  g.clocks_event_reasons = 0x4;  // SW power cap: normal at the power limit
  CHECK(Rules(g).empty());
  g.clocks_event_reasons = 0x80;
  CHECK(Rules(g) == V{"fail:hw_slowdown"});
  g.clocks_event_reasons = 0x20;
  CHECK(Rules(g) == V{"warn:sw_thermal_slowdown"});
  g = Healthy(0);
  g.power_limit_w = 699.5;  // within a watt of the default: rounding, not a lowered limit
  CHECK(Rules(g).empty());
  g.power_limit_w = 600;
  CHECK(Rules(g) == V{"warn:power_limit_lowered"});
  g = Healthy(0);
  g.persistence_mode = false;
  g.mig_mode = true;
  CHECK(Rules(g) == V{"warn:persistence_mode_off", "warn:mig_enabled"});
  g = Healthy(0);
  g.xids = {{79}};
  CHECK(Rules(g) == V{"fail:xid"});
}

TEST_CASE("ClockEventReasonNames names each bit") {
  CHECK(ClockEventReasonNames(0) == "");
  CHECK(ClockEventReasonNames(0x1 | 0x8 | 0x40 | 0x80) ==
        "idle, HW slowdown, HW thermal slowdown, HW power brake slowdown");
}

TEST_CASE("EvaluateReport: health findings fail the test with the most severe code and name the GPUs") {
  Report r;
  r.gpus = testing::H100s(8);
  TestResult health;
  health.name = "health";
  HealthSection s;
  for (int i = 0; i < 8; ++i) s.gpus.push_back(Healthy(i));
  s.gpus[0].persistence_mode = false;            // warning only
  s.gpus[3].pcie_width_under_load = 8;           // topology (3)
  s.gpus[5].after.ecc_uncorrected_volatile = 2;  // corruption (2)
  health.health = s;
  r.tests = {health};
  EvaluateReport(r, BuiltinThresholds());
  const TestResult& t = r.tests[0];
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.code == ExitCode::kCorruption);
  CHECK(t.reason == "gpu 5: 2 uncorrectable ECC errors since the driver loaded (2 during this run)");
  CHECK(r.verdict.exit_code == ExitCode::kCorruption);
  CHECK(r.verdict.suspect_gpus == std::vector<int>{3, 5});
  CHECK(r.verdict.reason == "health: gpu 5: 2 uncorrectable ECC errors since the driver loaded (2 during this run)");

  // Warnings alone leave the node passing.
  r.tests[0].health->gpus[3] = Healthy(3);
  r.tests[0].health->gpus[5] = Healthy(5);
  r.tests[0].status = TestStatus::kPass;
  r.tests[0].code = ExitCode::kPass;
  EvaluateReport(r, BuiltinThresholds());
  CHECK(r.tests[0].status == TestStatus::kPass);
  CHECK(r.verdict.status == TestStatus::kPass);
  REQUIRE(r.tests[0].health->findings.size() == 1);
  CHECK(r.tests[0].health->findings[0].rule == "persistence_mode_off");
}

TEST_CASE("EvaluateReport: each GPU is judged by its own model's health rules") {
  Report r;
  r.gpus = testing::H100s(2);
  r.gpus[1].name = "NVIDIA A100-SXM4-80GB";
  r.gpus[1].pci_device_id = 0x20b2;
  TestResult health;
  health.name = "health";
  HealthSection s;
  s.gpus = {Healthy(0), Healthy(1)};
  for (GpuHealth& g : s.gpus) g.pcie_max_gen = g.pcie_gen_under_load = 4;  // Gen4: fine for an A100 only
  health.health = s;
  r.tests = {health};
  EvaluateReport(r, BuiltinThresholds());
  REQUIRE(r.tests[0].health->findings.size() == 1);
  CHECK(r.tests[0].health->findings[0].gpu == 0);
  CHECK(r.tests[0].health->findings[0].rule == "pcie_link_below_model");
}

}  // namespace llm::gpu_check
