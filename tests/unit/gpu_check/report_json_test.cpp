#include "report_json.h"

#include <doctest/doctest.h>

#include "evaluate_report.h"
#include "report_fixtures.h"

namespace llm::gpu_check {

TEST_CASE("ToJson writes the documented schema") {
  Report r;
  r.tool.version = "0.1.0";
  r.node.node_name = "n1";
  r.software.nccl = "2.28.9";
  r.software.nccl_env = {{"NCCL_DEBUG", "WARN"}};
  r.gpus = testing::H100s(2);
  r.config.profile = "quick";
  r.config.tests = {"hbm", "nccl"};
  r.lint = {{"memlock", "limited", false}};
  TestResult hbm = testing::HbmTest({2900.12345, 2400});
  TestResult nccl;
  nccl.name = "nccl";
  nccl.nccl_ranks = 2;
  nccl.nccl_algo = "Ring";
  nccl.nccl = {{1ULL << 30, false, 5000, 214.748, 214.748, 1.0, 0}};
  nccl.series = {testing::MakeSeries("nccl_busbw", -1, {214.7})};
  TestResult p2p;
  p2p.name = "p2p";
  p2p.series = {testing::MakeSeries("p2p_unidir", 0, {380}, 1)};
  r.tests = {hbm, nccl, p2p};
  EvaluateReport(r, BuiltinThresholds());
  const nlohmann::json j = ToJson(r);

  CHECK(j["schema_version"] == 1);
  CHECK(j["tool"]["name"] == "llm-gpu-check");
  CHECK(j["node"]["node_name"] == "n1");
  CHECK(j["software"]["env"]["NCCL_DEBUG"] == "WARN");
  CHECK(j["gpus"][1]["pci_device_id"] == "0x2330");
  CHECK(j["gpus"][1]["compute_capability"] == "9.0");
  CHECK(j["gpus"][0]["model"] == "H100-SXM");
  CHECK(j["config"]["tests"] == nlohmann::json::array({"hbm", "nccl"}));
  CHECK(j["lint"][0]["blocking"] == false);

  const auto& series = j["tests"][0]["series"][0];
  CHECK(series["metric"] == "hbm_copy");
  CHECK(series["median"] == 2900.123);  // rounded to 0.001
  CHECK(series["samples"].size() == 3);
  CHECK(series["floor"] == 2500.0);
  CHECK(series["status"] == "pass");
  CHECK_FALSE(series.contains("peer"));
  CHECK(j["tests"][0]["series"][1]["status"] == "fail");
  CHECK(j["tests"][0]["status"] == "fail");
  CHECK(j["tests"][0]["exit_code"] == 1);

  CHECK(j["tests"][1]["nccl"]["algo"] == "Ring");
  CHECK(j["tests"][1]["nccl"]["results"][0]["busbw_factor"] == 1.0);
  CHECK(j["tests"][1]["series"][0]["floor"].is_null());  // 2 ranks: the 8-rank floor does not apply
  CHECK(j["tests"][2]["series"][0]["peer"] == 1);

  CHECK(j["verdict"]["status"] == "fail");
  CHECK(j["verdict"]["exit_code"] == 1);
  CHECK(j["verdict"]["exit_reason"] == "below_floor");
  CHECK(j["verdict"]["suspect_gpus"] == nlohmann::json::array({1}));
  CHECK(j["partial"] == false);
}

}  // namespace llm::gpu_check
