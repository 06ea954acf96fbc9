#include "thresholds.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("BuiltinThresholds: models by PCI device id and by name") {
  const ThresholdTable t = BuiltinThresholds();
  struct Case {
    const char* name;
    std::uint32_t pci;
    const char* want;  // nullptr: no model
  };
  const Case cases[] = {
      {"NVIDIA A100-SXM4-80GB", 0x20b2, "A100-SXM4"},
      {"NVIDIA A100-SXM4-40GB", 0, "A100-SXM4"},
      {"NVIDIA A100 80GB PCIe", 0, "A100-PCIE"},
      {"NVIDIA H100 80GB HBM3", 0x2330, "H100-SXM"},
      {"NVIDIA H100 80GB HBM3", 0, "H100-SXM"},
      {"some renamed board", 0x2330, "H100-SXM"},
      {"NVIDIA H100 NVL", 0, "H100-NVL"},
      {"NVIDIA H100 PCIe", 0x2331, "H100-PCIE"},
      {"NVIDIA H200", 0x2335, "H200-SXM"},
      {"NVIDIA H200 NVL", 0, "H200-NVL"},
      {"NVIDIA B200", 0x2901, "B200"},
      {"nvidia h100 80gb hbm3", 0, "H100-SXM"},
      {"NVIDIA L4", 0x27b8, nullptr},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const ModelThresholds* m = t.Match(c.name, c.pci);
    if (c.want == nullptr) {
      CHECK(m == nullptr);
    } else {
      REQUIRE(m != nullptr);
      CHECK(m->model == c.want);
    }
  }
  CHECK(t.outlier_ratio == doctest::Approx(0.85));
  CHECK(t.Match("NVIDIA H100 80GB HBM3", 0)->floors.at("hbm_copy") == 2500);
}

TEST_CASE("ApplyThresholdOverrides merges, removes and adds models") {
  auto r = ApplyThresholdOverrides(BuiltinThresholds(), R"({
    "outlier_ratio": 0.8,
    "models": {
      "H100-SXM": {"floors": {"hbm_copy": 2400, "nccl_busbw_nvls": null}},
      "L40S": {"pci_device_ids": ["0x26b9"], "name_patterns": ["L40S"], "floors": {"h2d": 20}}
    }})");
  REQUIRE(r.ok());
  CHECK(r->outlier_ratio == doctest::Approx(0.8));
  const ModelThresholds* h100 = r->Match("NVIDIA H100 80GB HBM3", 0x2330);
  REQUIRE(h100 != nullptr);
  CHECK(h100->floors.at("hbm_copy") == 2400);
  CHECK(h100->floors.at("h2d") == 45);  // untouched fields stay
  CHECK_FALSE(h100->floors.contains("nccl_busbw_nvls"));
  const ModelThresholds* l40s = r->Match("whatever", 0x26b9);
  REQUIRE(l40s != nullptr);
  CHECK(l40s->model == "L40S");
  CHECK(r->Match("NVIDIA L40S", 0)->floors.at("h2d") == 20);
}

TEST_CASE("ApplyThresholdOverrides rejects bad files with the field named") {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {"{", "--thresholds: not valid JSON"},
      {"[]", "--thresholds: the document must be a JSON object"},
      {R"({"outlier_ratio": 2})", "--thresholds: outlier_ratio: must be a number in (0, 1]"},
      {R"({"ratio": 1})", "--thresholds: ratio: unknown field; accepted: outlier_ratio, models"},
      {R"({"models": {"H100-SXM": {"floors": {"hbm": 1}}}})",
       "--thresholds: models.H100-SXM.floors.hbm: unknown metric; accepted: hbm_copy, h2d, d2h, "
       "h2d_concurrent, d2h_concurrent, p2p_unidir, p2p_bidir, nccl_busbw, nccl_busbw_nvls"},
      {R"({"models": {"H100-SXM": {"floors": {"h2d": "fast"}}}})",
       "--thresholds: models.H100-SXM.floors.h2d: must be a non-negative number of GB/s or null"},
      {R"({"models": {"X": {"floors": {"h2d": 1}}}})",
       "--thresholds: models.X: a new model needs pci_device_ids or name_patterns"},
      {R"({"models": {"X": {"pci_device_ids": ["zz"]}}})",
       "--thresholds: models.X.pci_device_ids: a PCI device id is a hex string such as \"0x2330\""},
      {R"({"models": {"X": {"colour": 1}}})",
       "--thresholds: models.X.colour: unknown field; accepted: floors, health, pci_device_ids, name_patterns, "
       "nccl_floor_ranks"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    auto r = ApplyThresholdOverrides(BuiltinThresholds(), c.json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure().code() == ExitCode::kUsage);
    CHECK(r.failure().message() == c.message);
  }
}

}  // namespace llm::gpu_check

namespace llm::gpu_check {

TEST_CASE("BuiltinThresholds: health rules per model") {
  const ThresholdTable t = BuiltinThresholds();
  const HealthRules& h200 = t.Match("NVIDIA H200", 0x2335)->health;
  CHECK(h200.pcie_min_gen == 5);
  CHECK(h200.pcie_min_width == 16);
  CHECK(h200.nvlink_min_active == 18);
  CHECK(t.Match("NVIDIA A100-SXM4-80GB", 0x20b2)->health.pcie_min_gen == 4);
  CHECK(t.Match("NVIDIA A100-SXM4-80GB", 0x20b2)->health.nvlink_min_active == 12);
  CHECK(t.Match("NVIDIA H100 PCIe", 0x2331)->health.nvlink_min_active == 0);
  // Calibrated on an H200 (gpu_check/README.md, "Calibration").
  CHECK(t.Match("NVIDIA H200", 0x2335)->floors.at("hbm_copy") == 3700);
  CHECK(t.Match("NVIDIA H200", 0x2335)->floors.at("h2d") == 48);
}

TEST_CASE("ApplyThresholdOverrides: health rules merge field by field, null removes the link minimum") {
  auto r = ApplyThresholdOverrides(BuiltinThresholds(),
                                   R"({"models": {"H200-SXM": {"health": {"pcie_min_gen": null, "nvlink_min_active": 16,
                                            "pcie_replays_max": 0, "temperature_margin_c": 10,
                                            "nvlink_error_delta_max": 5}}}})");
  REQUIRE(r.ok());
  const HealthRules& h = r->Match("NVIDIA H200", 0x2335)->health;
  CHECK_FALSE(h.pcie_min_gen.has_value());
  CHECK(h.pcie_min_width == 16);
  CHECK(h.nvlink_min_active == 16);
  CHECK(h.pcie_replays_max == 0u);
  CHECK(h.temperature_margin_c == 10);
  CHECK(h.nvlink_error_delta_max == 5u);
}

TEST_CASE("ApplyThresholdOverrides: bad health rules are named") {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {R"({"models": {"H200-SXM": {"health": 5}}})",
       "--thresholds: models.H200-SXM.health: must be an object of rule settings"},
      {R"({"models": {"H200-SXM": {"health": {"pcie_min_gen": 9}}}})",
       "--thresholds: models.H200-SXM.health.pcie_min_gen: must be an integer from 1 to 7"},
      {R"({"models": {"H200-SXM": {"health": {"nvlink_min_active": -1}}}})",
       "--thresholds: models.H200-SXM.health.nvlink_min_active: must be an integer from 0 to 18"},
      {R"({"models": {"H200-SXM": {"health": {"ecc": 1}}}})",
       "--thresholds: models.H200-SXM.health.ecc: unknown field; accepted: pcie_min_gen, pcie_min_width, "
       "nvlink_min_active, nvlink_error_delta_max, pcie_replays_max, temperature_margin_c"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    auto r = ApplyThresholdOverrides(BuiltinThresholds(), c.json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure().message() == c.message);
  }
}

}  // namespace llm::gpu_check
