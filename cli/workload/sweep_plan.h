// A hyperparameter sweep's trials, decided before anything is created:
// `--param` specs (a list of values is a grid axis; uniform, loguniform, int
// and choice are distributions, sampled with a seed), the trials they make
// (every combination of the grid, each with `--trials` samples of the
// distributions), and each trial's command with its `{param}` placeholders
// filled in. The same flags and seed always give the same trials, so running
// `sweep NAME` again finds the trials it made before.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace llm {

struct SweepParam {
  enum class Kind { kGrid, kUniform, kLogUniform, kInt, kChoice };
  std::string name;
  Kind kind = Kind::kGrid;
  std::vector<std::string> values;  ///< kGrid, kChoice
  double low = 0, high = 0;         ///< kUniform, kLogUniform, kInt (inclusive)
};

/// One trial's parameters, in the order of the --param flags.
using TrialParams = std::vector<std::pair<std::string, std::string>>;

/// The most trials one sweep makes.
inline constexpr int kMaxSweepTrials = 500;

/// "NAME=V1,V2,..." (grid), "NAME=uniform:LOW:HIGH", "NAME=loguniform:LOW:HIGH"
/// (0 < LOW), "NAME=int:LOW:HIGH", "NAME=choice:A|B|C". Errors name --param
/// and what it accepts.
Result<SweepParam> ParseSweepParam(std::string_view spec);

/// Every grid combination (the first --param varying slowest), each with
/// `samples` draws of the distributions from a generator seeded with `seed`.
/// Refuses duplicate names, more than kMaxSweepTrials trials, and samples > 1
/// when no parameter is a distribution.
Result<std::vector<TrialParams>> PlanTrials(const std::vector<SweepParam>& params, int samples, uint64_t seed);

/// The seed when --seed is not given: derived from the sweep's name, so a
/// rerun of the same sweep draws the same trials.
uint64_t DefaultSweepSeed(std::string_view sweep_name);

/// Checks that every `{name}` placeholder in `command` is a --param and that
/// every --param appears in it (a parameter the command never reads would
/// make trials that differ in nothing). `{NAME}` is a placeholder when NAME is
/// a letter or '_' followed by letters, digits or '_' and the brace follows no
/// '$' (the shell's ${VAR} is left alone).
Status CheckPlaceholders(const std::vector<std::string>& command, const std::vector<SweepParam>& params);

/// `command` with each placeholder replaced by the trial's value.
std::vector<std::string> FillPlaceholders(const std::vector<std::string>& command, const TrialParams& params);

/// "lr=0.001 wd=2.5e-05": a trial's parameters on one line.
std::string FormatTrialParams(const TrialParams& params);

}  // namespace llm
