// Options of llm-gpu-check and their parsing (CLI11). Parsing is host code so
// every usage error (exit 64) is unit-tested without a GPU.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check_catalog.h"
#include "status.h"

namespace llm::gpu_check {

struct Options {
  std::vector<CheckId> tests;  ///< selected, in run order
  bool list = false;           ///< --list: print the registry and exit 0
  bool help = false;           ///< --help: print help_text and exit 0
  bool version = false;
  std::string help_text;
  int expect_gpus = 0;  ///< 0: any count
  std::string profile = "quick";
  std::string thresholds_path;
  std::string json_path;
  std::string termination_log_path = "/dev/termination-log";
  double timeout_s = 0;  ///< overall; 0: the profile's phase deadlines added up
  std::optional<int> world_size;
  std::optional<int> rank;
};

/// Parses argv (without the program name). Bad flags, values or test names
/// are a Failure with ExitCode::kUsage whose message names the flag.
Result<Options> ParseOptions(const std::vector<std::string>& args);

}  // namespace llm::gpu_check
