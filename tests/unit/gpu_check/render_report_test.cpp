#include "render_report.h"

#include <doctest/doctest.h>

#include "report_fixtures.h"

namespace llm::gpu_check {

TEST_CASE("RenderReport: a healthy 8-GPU H100 node passes") {
  Report r;
  r.node.node_name = "gpu-a";
  r.gpus = testing::H100s(8);
  TestResult inventory;
  inventory.name = "inventory";
  r.tests = {inventory, testing::HbmTest({2950, 2960, 2940, 2955, 2948, 2951, 2962, 2939})};
  const RenderedReport out = RenderReport(r);
  CHECK(out.exit_code == ExitCode::kPass);
  CHECK(out.document["verdict"]["status"] == "pass");
  auto summary = ParseTerminationSummary(out.termination_summary);
  REQUIRE(summary.ok());
  CHECK(summary->status == TestStatus::kPass);
  CHECK(summary->node == "gpu-a");
  CHECK(summary->gpu_count == 8);
  CHECK(summary->model == "H100-SXM");
}

TEST_CASE("RenderReport: one slow P2P link names the link and exits 1") {
  Report r;
  r.gpus = testing::H100s(2);
  TestResult p2p;
  p2p.name = "p2p";
  p2p.series = {testing::MakeSeries("p2p_unidir", 0, {385, 384, 386}, 1),
                testing::MakeSeries("p2p_unidir", 1, {190, 191, 189}, 0)};
  r.tests = {p2p};
  const RenderedReport out = RenderReport(r);
  CHECK(out.exit_code == ExitCode::kBelowFloor);
  auto summary = ParseTerminationSummary(out.termination_summary);
  REQUIRE(summary.ok());
  REQUIRE(summary->suspect_links.size() == 1);
  CHECK(summary->suspect_links[0] == SuspectLink{1, 0});
  CHECK(summary->reason == "p2p: gpu 1->0 p2p_unidir: 190.0 GB/s is below the floor of 330.0 GB/s");
  CHECK(out.document["tests"][0]["series"][1]["status"] == "fail");
}

TEST_CASE("RenderReport: a single-GPU node reports p2p and nccl as skipped, never passed") {
  Report r;
  r.gpus = testing::H100s(1);
  TestResult p2p;
  p2p.name = "p2p";
  p2p.status = TestStatus::kSkip;
  p2p.reason = "needs at least 2 GPUs on the node, found 1";
  TestResult nccl = p2p;
  nccl.name = "nccl";
  r.tests = {testing::HbmTest({2950}), p2p, nccl};
  const RenderedReport out = RenderReport(r);
  CHECK(out.exit_code == ExitCode::kPass);
  CHECK(out.document["tests"][1]["status"] == "skip");
  CHECK(out.document["tests"][1]["reason"] == "needs at least 2 GPUs on the node, found 1");
  auto summary = ParseTerminationSummary(out.termination_summary);
  REQUIRE(summary.ok());
  CHECK(summary->tests.at("p2p") == TestStatus::kSkip);
  CHECK(summary->tests.at("nccl") == TestStatus::kSkip);
}

}  // namespace llm::gpu_check
