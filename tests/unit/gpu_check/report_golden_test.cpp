// The JSON document and the termination summary of a fixed run (health
// section included), compared
// with files in tests/testdata/gpu_check/. They pin schema_version 1 (a change
// of field names or shape fails here first) and serve validate-nodes' tests
// as examples of what a self-test pod writes.
// LLM_UPDATE_GOLDEN=1 rewrites the files after an intended change.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "render_report.h"
#include "report_fixtures.h"

namespace llm::gpu_check {
namespace {

Report FixtureRun() {
  Report r;
  r.tool.version = "0.1.0";
  r.tool.git = "0123456789ab";
  r.node = {"check-0-abcde", "gpu-node-7", "check-0-abcde", "llm-system"};
  r.software = {"12.8", "13.0", "2.28.9", {{"NCCL_SOCKET_IFNAME", "eth0"}}};
  r.gpus = testing::H100s(2);
  r.config.profile = "quick";
  r.config.tests = {"inventory", "hbm", "pcie", "p2p", "nccl", "health"};
  r.config.expect_gpus = 2;
  r.config.thresholds_source = "builtin";
  r.lint = {{"memlock", "RLIMIT_MEMLOCK is 65536 bytes; InfiniBand/RoCE transports need it unlimited", false}};
  r.started_at = "2026-11-28T12:00:00Z";
  r.finished_at = "2026-11-28T12:00:31Z";

  TestResult inventory;
  inventory.name = "inventory";
  inventory.duration_s = 2.5;
  inventory.peer_access = {{1, 1}, {1, 1}};
  TestResult hbm = testing::HbmTest({2950, 2960});
  hbm.duration_s = 1.25;
  TestResult pcie;
  pcie.name = "pcie";
  pcie.duration_s = 4.5;
  pcie.series = {testing::MakeSeries("h2d", 0, {53.1, 53.2, 53.0}), testing::MakeSeries("h2d", 1, {40.5, 40.1, 40.3}),
                 testing::MakeSeries("d2h", 0, {54.0}), testing::MakeSeries("d2h", 1, {54.2})};
  pcie.series[1].attempts = 3;  // retried twice, still slow: an x8 link
  TestResult p2p;
  p2p.name = "p2p";
  p2p.duration_s = 0.75;
  p2p.series = {testing::MakeSeries("p2p_unidir", 0, {380}, 1), testing::MakeSeries("p2p_unidir", 1, {381}, 0)};
  TestResult nccl;
  nccl.name = "nccl";
  nccl.duration_s = 9.5;
  nccl.nccl_ranks = 2;
  nccl.nccl_algo = "RING";
  nccl.nccl = {{1ULL << 30, false, 3500.0, 306.783, 306.783, 1.0, 0},
               {1ULL << 30, true, 3490.0, 307.663, 307.663, 1.0, 0}};
  nccl.series = {testing::MakeSeries("nccl_busbw", -1, {306.5, 306.8, 307.0})};
  TestResult health = testing::HealthTest(2);
  health.duration_s = 2.25;
  health.health->gpus[1].persistence_mode = false;  // a warning: the node's verdict is the PCIe link's
  health.health->gpus[1].unsupported = {"retired_pages: Not Supported (3)"};
  r.tests = {inventory, hbm, pcie, p2p, nccl, health};
  return r;
}

std::string ReadOrEmpty(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void CompareOrUpdate(const std::string& path, const std::string& actual) {
  if (std::getenv("LLM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << actual;
  }
  const std::string expected = ReadOrEmpty(path);
  CAPTURE(path);
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("golden: JSON document and termination summary of a run with a slow PCIe link") {
  const RenderedReport out = RenderReport(FixtureRun());
  CHECK(out.exit_code == ExitCode::kBelowFloor);
  CompareOrUpdate(std::string(LLM_TESTDATA_DIR) + "/gpu_check/report.json", out.document.dump(2) + "\n");
  CompareOrUpdate(std::string(LLM_TESTDATA_DIR) + "/gpu_check/termination_summary.json",
                  out.termination_summary + "\n");
}

}  // namespace llm::gpu_check
