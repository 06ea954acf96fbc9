// The NVML path of the health check, through the fake libnvidia-ml.so.1 the
// tests build: dlopen, symbol lookup, nvmlInit, the reader and the monitor,
// with fixtures of real readings (tests/testdata/gpu_check/nvml/*.json).
#include <chrono>
#include <thread>

#include <doctest/doctest.h>

#include "health_evaluation.h"
#include "health_monitor.h"
#include "nvml_health_reader.h"
#include "nvml_library.h"
#include "thresholds.h"
#include "unit/gpu_check/fake_nvml.h"

namespace llm::gpu_check {
namespace {

using testing::FixtureGpus;
using testing::NvmlFixture;
using testing::SetNvmlPhase;
using testing::UseNvmlFixture;
using testing::UseNvmlFixtureText;

/// Runs the monitor as the health check does: before, a load window, after.
HealthSection Monitor(NvmlLibrary& nvml, std::vector<MonitoredGpu> gpus, bool load = true) {
  NvmlHealthReader reader(nvml);
  HealthMonitor monitor(reader, std::move(gpus));
  REQUIRE(monitor.Begin().ok());
  if (load) {
    SetNvmlPhase("load");
    monitor.BeginLoad(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    monitor.EndLoad();
  }
  SetNvmlPhase("after");
  return monitor.Finish(0.04);
}

HealthRules RulesOf(const char* model) {
  for (const ModelThresholds& m : BuiltinThresholds().models) {
    if (m.model == model) return m.health;
  }
  FAIL("no model " << model);
  return {};
}

std::vector<std::string> RulesFor(const HealthSection& s, int gpu, FindingSeverity severity) {
  std::vector<std::string> rules;
  for (const HealthFinding& f : s.findings) {
    if (f.gpu == gpu && f.severity == severity) rules.push_back(f.rule);
  }
  return rules;
}

TEST_CASE("NvmlLibrary: a missing library is a reason to skip, not an error") {
  NvmlOpenResult r = NvmlLibrary::Open("/nonexistent/libnvidia-ml.so.1");
  CHECK(r.library == nullptr);
  CHECK_FALSE(r.broken);
  CHECK(r.reason.starts_with("NVML is not available: cannot load /nonexistent/libnvidia-ml.so.1: "));
}

TEST_CASE("NvmlLibrary: a driver without a needed function is a reason to skip that names it") {
  UseNvmlFixture(NvmlFixture("a100_sxm4_vm_healthy.json"));
  NvmlOpenResult r = NvmlLibrary::Open(LLM_FAKE_NVML_OLD);
  CHECK(r.library == nullptr);
  CHECK_FALSE(r.broken);
  CHECK(r.reason == std::string("NVML is not usable: ") + LLM_FAKE_NVML_OLD +
                        " lacks nvmlDeviceGetRemappedRows (the driver is too old)");
}

TEST_CASE("NvmlLibrary: nvmlInit failing (driver/library mismatch) makes NVML broken, with NVML's text") {
  UseNvmlFixtureText(R"({"init": 18, "gpus": []})");
  NvmlOpenResult r = NvmlLibrary::Open(LLM_FAKE_NVML);
  CHECK(r.library == nullptr);
  CHECK(r.broken);
  CHECK(r.reason == "nvmlInit_v2 failed: RM has detected an NVML/RM version mismatch. (18)");
}

TEST_CASE("NvmlHealthReader: an A100 VM's real readings, and what its NVML does not support") {
  UseNvmlFixture(NvmlFixture("a100_sxm4_vm_healthy.json"));
  NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
  REQUIRE(nvml.library != nullptr);
  const HealthSection s = Monitor(*nvml.library, {{0, "GPU-00000000-0000-0000-0000-0000000000a1"}});
  CHECK(s.driver_version == "570.148.08");
  CHECK(s.cuda_driver_version == "12.8");
  CHECK(s.xid_unavailable.empty());
  REQUIRE(s.gpus.size() == 1);
  const GpuHealth& g = s.gpus[0];
  CHECK(g.persistence_mode == true);
  CHECK(g.mig_mode == false);
  CHECK(g.ecc_enabled == true);
  CHECK(g.before.ecc_uncorrected_volatile == 0u);
  CHECK(g.after.remapped_rows_uncorrectable == 0u);
  CHECK(g.after.remap_pending == false);
  CHECK(g.after.pcie_replays == 0u);
  CHECK(g.pcie_max_gen == 4);
  CHECK(g.pcie_max_width == 16);
  CHECK(g.pcie_gen_under_load == 4);
  CHECK(g.pcie_width_under_load == 16);
  CHECK(g.load_samples >= 2);
  CHECK(g.clocks_event_reasons == 0u);  // idle clears under load
  CHECK(g.temperature_max_c == 47);
  CHECK(g.slowdown_temp_c == 89);
  CHECK(g.shutdown_temp_c == 92);
  CHECK(g.power_limit_w == doctest::Approx(400.0));
  CHECK(g.power_max_w == doctest::Approx(250.0));
  CHECK(g.nvlinks.empty());
  // Retired pages are the pre-Ampere mechanism; a one-GPU VM has no NVLink.
  CHECK(g.after.retired_pages_pending == std::nullopt);
  CHECK(g.unsupported == std::vector<std::string>{"nvlink: Not Supported (3)", "retired_pages: Not Supported (3)"});
}

TEST_CASE("health: a healthy H100 node and a healthy A100 have no finding at all") {
  SUBCASE("8x H100 SXM") {
    UseNvmlFixture(NvmlFixture("h100_hgx_healthy.json"));
    NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
    REQUIRE(nvml.library != nullptr);
    HealthSection s = Monitor(*nvml.library, FixtureGpus(8));
    CHECK(s.gpus[3].nvlinks.size() == 18);
    CHECK(s.gpus[3].nvlinks[17].after == NvlinkErrorCounts{});
    CHECK(s.gpus[2].after.pcie_replays == 174u);  // since reset, unchanged during the run
    EvaluateHealth(s, std::vector<HealthRules>(8, RulesOf("H100-SXM")), 8);
    CHECK(s.findings.empty());
  }
  SUBCASE("1x H200 in a VM, as this project's health check read it on the device") {
    UseNvmlFixture(NvmlFixture("h200_vm_device_run.json"));
    NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
    REQUIRE(nvml.library != nullptr);
    HealthSection s = Monitor(*nvml.library, {{0, "GPU-4a9af19d-2d48-d360-c6ac-7dde1e75eb3f"}});
    CHECK(s.driver_version == "580.159.04");
    CHECK(s.gpus[0].temperature_max_c == 46);
    CHECK(s.gpus[0].slowdown_temp_c == 89);
    CHECK(s.gpus[0].unsupported ==
          std::vector<std::string>{"nvlink: Not Supported (3)", "retired_pages: Not Supported (3)"});
    // One GPU: H200-SXM's 18 NVLinks are not expected of it.
    EvaluateHealth(s, {RulesOf("H200-SXM")}, 1);
    CHECK(s.findings.empty());
  }
  SUBCASE("1x A100 SXM4") {
    UseNvmlFixture(NvmlFixture("a100_sxm4_vm_healthy.json"));
    NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
    REQUIRE(nvml.library != nullptr);
    HealthSection s = Monitor(*nvml.library, {{0, "GPU-00000000-0000-0000-0000-0000000000a1"}});
    EvaluateHealth(s, {RulesOf("A100-SXM4")}, 1);
    CHECK(s.findings.empty());
  }
}

TEST_CASE("health: every rule trips on the faults fixture, on the GPU that carries the fault") {
  UseNvmlFixture(NvmlFixture("h100_hgx_faults.json"));
  NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
  REQUIRE(nvml.library != nullptr);
  HealthSection s = Monitor(*nvml.library, FixtureGpus(8));
  EvaluateHealth(s, std::vector<HealthRules>(8, RulesOf("H100-SXM")), 8);
  using V = std::vector<std::string>;
  CHECK(RulesFor(s, 0, FindingSeverity::kFail) == V{"retired_pages_pending"});
  CHECK(RulesFor(s, 1, FindingSeverity::kFail) == V{"row_remap_pending"});
  CHECK(RulesFor(s, 2, FindingSeverity::kFail) == V{"ecc_uncorrectable", "xid"});
  CHECK(RulesFor(s, 3, FindingSeverity::kFail) == V{"row_remap_failure", "xid"});
  CHECK(RulesFor(s, 4, FindingSeverity::kFail) == V{"pcie_link_downtrained", "pcie_replays"});
  CHECK(RulesFor(s, 5, FindingSeverity::kFail) == V{"nvlink_down", "nvlink_errors"});
  CHECK(RulesFor(s, 6, FindingSeverity::kFail) == V{"hw_slowdown", "temperature"});
  CHECK(RulesFor(s, 6, FindingSeverity::kWarn) == V{"sw_thermal_slowdown"});
  CHECK(RulesFor(s, 7, FindingSeverity::kFail) == V{"pcie_link_below_model"});
  CHECK(RulesFor(s, 7, FindingSeverity::kWarn) ==
        V{"ecc_uncorrectable_history", "power_limit_lowered", "persistence_mode_off", "mig_enabled"});
  for (int gpu : {0, 1, 2, 3, 4, 5}) CHECK(RulesFor(s, gpu, FindingSeverity::kWarn).empty());

  auto message = [&](int gpu, const char* rule) {
    for (const HealthFinding& f : s.findings) {
      if (f.gpu == gpu && f.rule == rule) return f.message;
    }
    return std::string("(none)");
  };
  CHECK(message(1, "row_remap_pending") ==
        "gpu 1: a row remap is pending (4 rows remapped for uncorrectable errors): reset the GPU");
  CHECK(message(2, "ecc_uncorrectable") ==
        "gpu 2: 2 uncorrectable ECC errors since the driver loaded (2 during this run)");
  CHECK(message(2, "xid") == "gpu 2: XID 48, 63 during the run");
  CHECK(message(4, "pcie_link_downtrained") == "gpu 4: PCIe link at Gen5 x8 under load, below its maximum of Gen5 x16");
  CHECK(message(4, "pcie_replays") == "gpu 4: 120 PCIe replays during the run (more than 80)");
  CHECK(message(5, "nvlink_down") == "gpu 5: 17 of 18 NVLinks active (down: 7)");
  CHECK(message(5, "nvlink_errors") == "gpu 5: NVLink 3 counted errors during the run: replay +25, recovery +1");
  CHECK(message(6, "hw_slowdown") == "gpu 6: clocks held down under load: HW slowdown, HW thermal slowdown");
  CHECK(message(6, "temperature") == "gpu 6: 88 C under load, at or above the slowdown temperature of 87 C");
  CHECK(message(7, "pcie_link_below_model") ==
        "gpu 7: the PCIe link can reach at most Gen4 x16 in this slot; this model needs Gen5 x16");
  CHECK(message(7, "power_limit_lowered") == "gpu 7: power limit 500 W, below the default of 700 W");
}

TEST_CASE("health: no reading under load leaves the link unjudged, and says so") {
  UseNvmlFixture(NvmlFixture("h100_hgx_faults.json"));
  NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
  REQUIRE(nvml.library != nullptr);
  HealthSection s = Monitor(*nvml.library, FixtureGpus(8), /*load=*/false);
  EvaluateHealth(s, std::vector<HealthRules>(8, RulesOf("H100-SXM")), 8);
  CHECK(RulesFor(s, 4, FindingSeverity::kWarn) == std::vector<std::string>{"pcie_link_not_loaded"});
  CHECK(RulesFor(s, 4, FindingSeverity::kFail) == std::vector<std::string>{"pcie_replays"});
}

TEST_CASE("health: XIDs that cannot be watched are a warning, not silence") {
  UseNvmlFixtureText(R"({"driver_version": "580.105.08", "event_set_create": 3,
                         "gpus": [{"uuid": "GPU-00000000-0000-0000-0000-000000000000"}]})");
  NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
  REQUIRE(nvml.library != nullptr);
  HealthSection s = Monitor(*nvml.library, FixtureGpus(1));
  CHECK(s.xid_unavailable == "nvmlEventSetCreate: Not Supported (3)");
  EvaluateHealth(s, {HealthRules{}}, 1);
  REQUIRE(!s.findings.empty());
  CHECK(s.findings[0].rule == "xid_unwatched");
  CHECK(s.findings[0].gpu == -1);
  CHECK(s.findings[0].severity == FindingSeverity::kWarn);
}

TEST_CASE("health: a GPU NVML does not know is an error naming it") {
  UseNvmlFixture(NvmlFixture("a100_sxm4_vm_healthy.json"));
  NvmlOpenResult nvml = NvmlLibrary::Open(LLM_FAKE_NVML);
  REQUIRE(nvml.library != nullptr);
  NvmlHealthReader reader(*nvml.library);
  HealthMonitor monitor(reader, {{0, "GPU-0000000f-0000-0000-0000-00000000000f"}});
  Status st = monitor.Begin();
  REQUIRE_FALSE(st.ok());
  CHECK(st.failure().message() ==
        "gpu 0 (GPU-0000000f-0000-0000-0000-00000000000f): nvmlDeviceGetHandleByUUID: Not Found (6)");
}

TEST_CASE("NvmlLibrary: an old driver's clock reasons are found under their old name") {
  // fake_nvml_old exports nvmlDeviceGetCurrentClocksThrottleReasons only; it
  // still lacks RemappedRows, so Open fails on that one, after the clocks.
  UseNvmlFixture(NvmlFixture("a100_sxm4_vm_healthy.json"));
  void* old = dlopen(LLM_FAKE_NVML_OLD, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(old != nullptr);
  CHECK(dlsym(old, "nvmlDeviceGetCurrentClocksEventReasons") == nullptr);
  CHECK(dlsym(old, "nvmlDeviceGetCurrentClocksThrottleReasons") != nullptr);
  dlclose(old);
  NvmlOpenResult r = NvmlLibrary::Open(LLM_FAKE_NVML_OLD);
  CHECK(r.reason.find("nvmlDeviceGetCurrentClocks") == std::string::npos);
}

}  // namespace
}  // namespace llm::gpu_check
