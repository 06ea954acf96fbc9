#include "profile.h"

namespace llm::gpu_check {
namespace {

constexpr std::uint64_t kMiB = 1ULL << 20;
constexpr std::uint64_t kGiB = 1ULL << 30;

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
    p.phase_deadline_s[0] = 30;   // inventory: creating 8 CUDA contexts takes seconds
    p.phase_deadline_s[1] = 20;   // hbm
    p.phase_deadline_s[2] = 30;   // pcie: alone then together
    p.phase_deadline_s[3] = 40;   // p2p: 56 pairs x 2 directions on 8 GPUs
    p.phase_deadline_s[4] = 45;   // nccl including init
    p.phase_deadline_s[5] = 15;   // health: a 2 s load window and two NVML reads
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
    p.phase_deadline_s[0] = 60;
    p.phase_deadline_s[1] = 60;
    p.phase_deadline_s[2] = 120;
    p.phase_deadline_s[3] = 180;
    p.phase_deadline_s[4] = 240;
    p.phase_deadline_s[5] = 40;
    p.nccl_init_deadline_s = 60;
    p.health_load_s = 5;
  } else {
    return Failure(ExitCode::kUsage, "--profile: \"" + std::string(name) + "\" is not a profile; accepted: quick, full");
  }
  return p;
}

}  // namespace llm::gpu_check
