#include "profile.h"

namespace llm::gpu_check {
namespace {

constexpr std::uint64_t kMiB = 1ULL << 20;
constexpr std::uint64_t kGiB = 1ULL << 30;

std::map<CheckId, double> PhaseDeadlinesOf(double PhaseDeadlines::*profile_column) {
  std::map<CheckId, double> seconds;
  for (const CheckSpec& s : AllChecks()) seconds[s.id] = s.deadline.*profile_column;
  return seconds;
}

}  // namespace

Result<Profile> GetProfile(std::string_view name) {
  Profile p;
  if (name == "quick") {
    // nvbandwidth defaults to 512 MiB buffers; 256 MiB is already on the
    // plateau for PCIe and NVLink copies and halves the time.
    p.name = "quick";
    p.hbm_bytes = 512 * kMiB;
    p.pcie_bytes = 256 * kMiB;
    p.p2p_bytes = 256 * kMiB;
    p.nccl_bytes = {64 * kMiB, 256 * kMiB, 1 * kGiB};
    p.warmup = 2;
    p.iterations = 4;
    p.samples = 5;
    p.nccl_samples = 3;
    p.phase_deadline_s = PhaseDeadlinesOf(&PhaseDeadlines::quick_s);
    p.nccl_init_deadline_s = 20;
    p.health_load_s = 2;
  } else if (name == "full") {
    p.name = "full";
    p.hbm_bytes = 1 * kGiB;
    p.pcie_bytes = 512 * kMiB;
    p.p2p_bytes = 512 * kMiB;
    p.nccl_bytes = {64 * kMiB, 256 * kMiB, 1 * kGiB, 4 * kGiB, 8 * kGiB};
    p.warmup = 3;
    p.iterations = 8;
    p.samples = 10;
    p.nccl_samples = 5;
    p.phase_deadline_s = PhaseDeadlinesOf(&PhaseDeadlines::full_s);
    p.nccl_init_deadline_s = 60;
    p.health_load_s = 5;
  } else {
    return Failure(ExitCode::kUsage,
                   "--profile: \"" + std::string(name) + "\" is not a profile; accepted: quick, full");
  }
  return p;
}

double Profile::WorstCaseSeconds() const {
  double total = 0;
  for (const auto& [id, seconds] : phase_deadline_s) total += seconds;
  return total;
}

}  // namespace llm::gpu_check
