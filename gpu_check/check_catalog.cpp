#include "check_catalog.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

// Deadlines: the quick ones add up to 180 s, the longest a wedged quick run
// can take (profile_test.cpp holds that bound); full measures longer.
constexpr std::array kChecks = {
    CheckSpec{CheckId::kInventory,
              "inventory",
              "GPU count vs --expect-gpus, names, UUIDs, PCI ids, memory, compute capability, versions, "
              "peer-access matrix, pod environment lint",
              1,
              false,
              // Creating 8 CUDA contexts takes seconds.
              {.quick_s = 30, .full_s = 60}},
    CheckSpec{CheckId::kHbm,
              "hbm",
              "device memory copy bandwidth per GPU, all GPUs at once",
              1,
              false,
              {.quick_s = 20, .full_s = 60}},
    CheckSpec{CheckId::kPcie,
              "pcie",
              "pinned host<->device bandwidth per GPU alone, then all GPUs at once, host memory on the GPU's NUMA "
              "node",
              1,
              false,
              // Each GPU alone, then all together.
              {.quick_s = 30, .full_s = 120}},
    CheckSpec{CheckId::kP2p,
              "p2p",
              "copy-engine bandwidth for every ordered GPU pair, unidirectional and bidirectional",
              2,
              true,
              // 56 pairs x 2 directions on 8 GPUs.
              {.quick_s = 40, .full_s = 180}},
    CheckSpec{CheckId::kNccl,
              "nccl",
              "NCCL all-reduce bus bandwidth, in-place and out-of-place, with an exact correctness check",
              2,
              false,
              // Includes NCCL's init (profile.h: nccl_init_deadline_s).
              {.quick_s = 45, .full_s = 240}},
    // Last, so that its "after" readings and XID collection cover every test.
    CheckSpec{CheckId::kHealth,
              "health",
              "NVML health: ECC and row remapping, PCIe link under load, NVLink state and errors, clock event "
              "reasons, temperature and power, XID events during the run",
              1,
              false,
              // Its load window (profile.h: health_load_s) and two NVML reads.
              {.quick_s = 15, .full_s = 40}},
};

}  // namespace

std::span<const CheckSpec> AllChecks() { return kChecks; }

const CheckSpec& GetCheckSpec(CheckId id) {
  return *std::find_if(kChecks.begin(), kChecks.end(), [id](const CheckSpec& s) { return s.id == id; });
}

Status VerifyCheckRegistrations(std::span<const CheckId> registered) {
  for (const CheckSpec& s : kChecks) {
    const auto times = std::count(registered.begin(), registered.end(), s.id);
    if (times == 0) {
      return Failure(ExitCode::kRuntimeError, fmt::format("check \"{}\" has a catalog row but no class registers it "
                                                          "(a RegisterCheck in its file under gpu_check/cuda/checks/)",
                                                          s.key));
    }
    if (times > 1) {
      return Failure(ExitCode::kRuntimeError, fmt::format("check \"{}\" is registered {} times", s.key, times));
    }
  }
  for (CheckId id : registered) {
    if (std::none_of(kChecks.begin(), kChecks.end(), [id](const CheckSpec& s) { return s.id == id; })) {
      return Failure(ExitCode::kRuntimeError,
                     fmt::format("a class is registered as CheckId {}, which has no row in gpu_check/check_catalog.cpp",
                                 static_cast<int>(id)));
    }
  }
  return OkStatus();
}

Result<std::vector<CheckId>> ParseTestSelection(std::string_view text) {
  std::vector<std::string_view> keys;
  for (const CheckSpec& s : kChecks) keys.push_back(s.key);
  auto usage = [&](const std::string& what) {
    return Failure(ExitCode::kUsage, fmt::format("--tests: {}; accepted: all or a comma-separated list of {}", what,
                                                 fmt::join(keys, ", ")));
  };
  if (text == "all") {
    std::vector<CheckId> all;
    for (const CheckSpec& s : kChecks) all.push_back(s.id);
    return all;
  }
  std::vector<bool> chosen(kChecks.size(), false);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view key = text.substr(start, comma - start);
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    if (key.empty()) return usage("empty test name");
    auto it = std::find_if(kChecks.begin(), kChecks.end(), [&](const CheckSpec& s) { return s.key == key; });
    if (it == kChecks.end()) return usage(fmt::format("unknown test \"{}\"", key));
    chosen[static_cast<std::size_t>(it - kChecks.begin())] = true;
    start = comma + 1;
  }
  std::vector<CheckId> ids;
  for (std::size_t i = 0; i < kChecks.size(); ++i) {
    if (chosen[i]) ids.push_back(kChecks[i].id);
  }
  return ids;
}

std::optional<std::string> SkipReason(const CheckSpec& spec, const Topology& topology) {
  if (topology.gpu_count < 1) return std::string("no GPU is visible");
  // The nccl test also runs across nodes, where one GPU per node still makes a pair.
  const bool multi_node_nccl = spec.id == CheckId::kNccl && topology.world_size > 1;
  if (!multi_node_nccl && topology.gpu_count < spec.min_gpus_single_node) {
    return fmt::format("needs at least {} GPUs on the node, found {}", spec.min_gpus_single_node, topology.gpu_count);
  }
  if (spec.needs_peer_access && !topology.any_peer_access) {
    return std::string("no GPU pair supports peer access");
  }
  return std::nullopt;
}

std::optional<std::string> GpuCountMismatch(int found, int expected) {
  if (expected <= 0 || found == expected) return std::nullopt;
  return fmt::format("found {} GPUs, expected {}", found, expected);
}

std::string FormatCheckList() {
  std::string out;
  for (const CheckSpec& s : kChecks) out += fmt::format("{:<10} {}\n", s.key, s.description);
  return out;
}

}  // namespace llm::gpu_check
