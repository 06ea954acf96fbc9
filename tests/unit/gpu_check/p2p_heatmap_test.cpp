#include "p2p_heatmap.h"

#include <doctest/doctest.h>

#include "evaluate_report.h"
#include "report_fixtures.h"
#include "thresholds.h"

namespace llm::gpu_check {
namespace {

TestResult ThreeGpus() {
  TestResult t;
  t.name = "p2p";
  t.series = {testing::MakeSeries("p2p_unidir", 0, {380}, 1),
              testing::MakeSeries("p2p_unidir", 1, {379.5}, 0),
              testing::MakeSeries("p2p_unidir", 0, {350}, 2),
              testing::MakeSeries("p2p_unidir", 2, {200}, 0),
              testing::MakeSeries("p2p_unidir", 1, {381}, 2),
              testing::MakeSeries("p2p_bidir", 1, {300}, 2)};  // bidirectional series are not drawn
  return t;                                                    // 2->1 not measured
}

}  // namespace

TEST_CASE("FormatP2pHeatmap: plain numbers, diagonal and unmeasured pairs marked") {
  CHECK(FormatP2pHeatmap(ThreeGpus(), 3, ColorMode::kPlain) ==
        "p2p_unidir GB/s (row: from GPU, column: to GPU)\n"
        "         gpu0    gpu1    gpu2\n"
        " gpu0       -   380.0   350.0\n"
        " gpu1   379.5       -   381.0\n"
        " gpu2   200.0     n/a       -\n"
        "best pair 381.0 GB/s; pairs below 85% of it fail as outliers\n");
}

TEST_CASE("FormatP2pHeatmap: colours by fraction of the best pair, red below the floor") {
  TestResult t = ThreeGpus();
  const std::string out = FormatP2pHeatmap(t, 3, ColorMode::kAnsi);
  const std::string green = "\x1b[30;48;5;114m";
  const std::string yellow = "\x1b[30;48;5;221m";
  const std::string red = "\x1b[30;48;5;203m";
  CHECK(out.find(green + "   380.0\x1b[0m") != std::string::npos);
  CHECK(out.find(yellow + "   350.0\x1b[0m") != std::string::npos);  // 92% of the best
  CHECK(out.find(red + "   200.0\x1b[0m") != std::string::npos);     // 52%
  // With an H100 floor of 330 GB/s, 350 is above it and stays yellow; a floor above 380 turns it red.
  t.series[0].floor = 400;
  CHECK(FormatP2pHeatmap(t, 3, ColorMode::kAnsi).find(red + "   380.0") != std::string::npos);
}

TEST_CASE("FormatP2pHeatmap: nothing to draw without p2p_unidir series") {
  TestResult t;
  t.name = "p2p";
  CHECK(FormatP2pHeatmap(t, 1, ColorMode::kAnsi).empty());
}

TEST_CASE("ChooseColorMode: a terminal, unless NO_COLOR or TERM=dumb") {
  CHECK(ChooseColorMode(true, MapEnv({})) == ColorMode::kAnsi);
  CHECK(ChooseColorMode(false, MapEnv({})) == ColorMode::kPlain);
  CHECK(ChooseColorMode(true, MapEnv({{"NO_COLOR", ""}})) == ColorMode::kAnsi);  // empty: no effect
  CHECK(ChooseColorMode(true, MapEnv({{"NO_COLOR", "1"}})) == ColorMode::kPlain);
  CHECK(ChooseColorMode(true, MapEnv({{"TERM", "dumb"}})) == ColorMode::kPlain);
}

}  // namespace llm::gpu_check
