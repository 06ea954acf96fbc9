// The P2P matrix on a terminal: the unidirectional medians, row = source GPU,
// column = destination, each cell coloured by its fraction of the node's best
// pair (and red below its floor), so one slow link stands out at a glance.
// Plain numbers, same layout, when stderr is not a terminal or NO_COLOR is set.
#pragma once

#include <string>

#include "env_lookup.h"
#include "report.h"

namespace llm::gpu_check {

enum class ColorMode { kPlain, kAnsi };

/// Colour only on a terminal, and never with NO_COLOR set to a non-empty
/// value (no-color.org) or TERM=dumb.
ColorMode ChooseColorMode(bool is_terminal, const EnvLookup& env);

/// The matrix of `test`'s p2p_unidir series for `gpu_count` GPUs, with a
/// legend; "" when the test has no such series. The diagonal is "-", a pair
/// that was not measured (no peer access) "n/a". A cell is green at 95% or
/// more of the best pair, yellow from the outlier ratio (85%), red below it
/// or below the series' floor.
std::string FormatP2pHeatmap(const TestResult& test, int gpu_count, ColorMode mode, double outlier_ratio = 0.85);

}  // namespace llm::gpu_check
