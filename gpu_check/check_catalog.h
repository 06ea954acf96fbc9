// The test registry's data: one row per test case (key, description, what it
// needs, its phase deadline in each profile). It drives --list, --tests
// parsing, the skip decisions and the deadlines; the CUDA side's classes
// register themselves under their CheckId (cuda/check.h), and llm-gpu-check
// refuses to start when a row has no class (VerifyCheckRegistrations).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace llm::gpu_check {

enum class CheckId { kInventory, kHbm, kPcie, kP2p, kNccl, kHealth };

/// How long a check's phase may take in each profile (profile.h) before it is
/// cut short: the in-thread polling ends it at this, the watchdog a little later.
struct PhaseDeadlines {
  double quick_s;
  double full_s;
};

struct CheckSpec {
  CheckId id;
  std::string_view key;          ///< the name used by --tests and in the JSON document
  std::string_view description;  ///< one line for --list
  int min_gpus_single_node;      ///< fewer local GPUs (and one node) -> skipped
  bool needs_peer_access;        ///< skipped when no GPU pair can access each other
  PhaseDeadlines deadline;
};

/// Every test, in the order they run.
std::span<const CheckSpec> AllChecks();
const CheckSpec& GetCheckSpec(CheckId id);

/// Checks the CUDA side's registrations (one CheckId per registered class)
/// against the rows: each row registered exactly once, nothing registered
/// without a row. A failure names the check and is a build defect, so it is a
/// runtime error that llm-gpu-check reports before doing anything else.
Status VerifyCheckRegistrations(std::span<const CheckId> registered);

/// Parses --tests: "all" or a comma-separated list of keys; the result is in
/// run order without duplicates. Unknown keys are a usage error that lists the
/// accepted ones.
Result<std::vector<CheckId>> ParseTestSelection(std::string_view text);

/// What Filter() sees about the machine.
struct Topology {
  int gpu_count = 0;
  int world_size = 1;  ///< nodes in the nccl test
  bool any_peer_access = false;
};

/// Why the check cannot run on this machine (a skip, never a pass), or nullopt.
std::optional<std::string> SkipReason(const CheckSpec& spec, const Topology& topology);

/// "found 1 GPUs, expected 2" when --expect-gpus (`expected` > 0) is not met,
/// else nullopt. The inventory test judges this; when --tests leaves the
/// inventory out the count is still judged, so --expect-gpus always holds.
std::optional<std::string> GpuCountMismatch(int found, int expected);

/// The --list text: one "key  description" line per test.
std::string FormatCheckList();

}  // namespace llm::gpu_check
