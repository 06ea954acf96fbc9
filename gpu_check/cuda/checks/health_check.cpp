// health: NVML's view of every GPU around the run (health_session.h). Runs
// last: it drives its own load window (HBM copy kernels and host-to-device
// copies on every GPU at once) while NVML is sampled, then reads the
// counters again and collects the XID events delivered during the run.
#include "check.h"

#include <chrono>

#include <fmt/format.h>

#include "cuda_status.h"
#include "device_resources.h"
#include "health_evaluation.h"
#include "kernels/copy_kernel.cuh"

namespace llm::gpu_check {

class HealthCheck : public Check {
 public:
  Result<TestResult> Run(CheckContext& ctx) override;
};

namespace {

using Clock = std::chrono::steady_clock;

/// How often NVML is sampled during the load window: fine enough to see a
/// slowdown of a few hundred milliseconds, coarse enough to cost nothing.
constexpr auto kSamplePeriod = std::chrono::milliseconds(50);
/// Work queued per round trip: about 50 ms on an H200, longer on slower GPUs.
constexpr int kKernelCopiesPerBatch = 200;
constexpr int kHostCopiesPerBatch = 10;

struct LoadBuffers {
  int device = 0;
  int sm_count = 0;
  DeviceBuffer src;
  DeviceBuffer dst;
  DeviceBuffer from_host;
  PinnedBuffer host;
  Stream kernels;
  Stream copies;
};

Result<std::vector<LoadBuffers>> AllocateLoad(const CheckContext& ctx) {
  std::vector<LoadBuffers> all(ctx.gpus.size());
  for (std::size_t i = 0; i < ctx.gpus.size(); ++i) {
    LoadBuffers& b = all[i];
    b.device = ctx.gpus[i].index;
    b.sm_count = ctx.gpus[i].sm_count;
    const std::string where = fmt::format("gpu {}", b.device);
    auto src = DeviceBuffer::Allocate(b.device, ctx.profile.hbm_bytes);
    if (!src.ok()) return src.failure().WithContext(where);
    auto dst = DeviceBuffer::Allocate(b.device, ctx.profile.hbm_bytes);
    if (!dst.ok()) return dst.failure().WithContext(where);
    auto from_host = DeviceBuffer::Allocate(b.device, ctx.profile.pcie_bytes);
    if (!from_host.ok()) return from_host.failure().WithContext(where);
    auto host = PinnedBuffer::Allocate(ctx.profile.pcie_bytes);
    if (!host.ok()) return host.failure().WithContext(where);
    GC_ASSIGN_OR_RETURN(b.kernels, Stream::Create(b.device));
    GC_ASSIGN_OR_RETURN(b.copies, Stream::Create(b.device));
    b.src = std::move(*src);
    b.dst = std::move(*dst);
    b.from_host = std::move(*from_host);
    b.host = std::move(*host);
  }
  return all;
}

/// Keeps every GPU's memory and PCIe link busy until `seconds` have passed.
Result<double> DriveLoad(std::vector<LoadBuffers>& load, double seconds, const CheckContext& ctx) {
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<cudaStream_t> streams;
  for (LoadBuffers& b : load) {
    streams.push_back(b.kernels.get());
    streams.push_back(b.copies.get());
  }
  while (Clock::now() < end) {
    for (LoadBuffers& b : load) {
      CUDA_CHECK(cudaSetDevice(b.device));
      for (int i = 0; i < kKernelCopiesPerBatch; ++i) {
        CUDA_CHECK(LaunchCopyKernel(b.dst.get(), b.src.get(), b.src.bytes(), b.sm_count, b.kernels.get()));
      }
      for (int i = 0; i < kHostCopiesPerBatch; ++i) {
        CUDA_CHECK(
            cudaMemcpyAsync(b.from_host.get(), b.host.get(), b.host.bytes(), cudaMemcpyHostToDevice, b.copies.get()));
      }
    }
    GC_RETURN_IF_ERROR(WaitForStreams(streams, ctx.deadline, "health load"));
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Opt(const std::optional<int>& v) { return v ? std::to_string(*v) : "?"; }

}  // namespace

Result<TestResult> HealthCheck::Run(CheckContext& ctx) {
  TestResult t;
  t.name = std::string(ctx.spec.key);
  if (ctx.health == nullptr) return Failure(ExitCode::kRuntimeError, "the health session was not started");
  if (ctx.health->skip_reason()) {
    t.status = TestStatus::kSkip;
    t.reason = *ctx.health->skip_reason();
    ctx.log << fmt::format("llm-gpu-check: health: skipped: {}\n", t.reason);
    return t;
  }
  if (ctx.health->failure()) return *ctx.health->failure();
  HealthMonitor& monitor = *ctx.health->monitor();

  GC_ASSIGN_OR_RETURN(auto load, AllocateLoad(ctx));
  monitor.BeginLoad(kSamplePeriod);
  auto loaded_s = DriveLoad(load, ctx.profile.health_load_s, ctx);
  monitor.EndLoad();
  if (!loaded_s.ok()) return loaded_s.failure();
  HealthSection section = monitor.Finish(*loaded_s);
  for (const GpuHealth& g : section.gpus) {
    ctx.log << fmt::format(
        "llm-gpu-check: health: gpu {}: PCIe Gen{} x{} under load (max Gen{} x{}), {} samples, max {} C, "
        "max {:.0f} W of {:.0f} W, clock reasons [{}], ECC uncorrectable {}, remap pending {}, {} NVLinks, {} XIDs\n",
        g.gpu, Opt(g.pcie_gen_under_load), Opt(g.pcie_width_under_load), Opt(g.pcie_max_gen), Opt(g.pcie_max_width),
        g.load_samples, Opt(g.temperature_max_c), g.power_max_w.value_or(0), g.power_limit_w.value_or(0),
        ClockEventReasonNames(g.clocks_event_reasons.value_or(0)),
        g.after.ecc_uncorrected_volatile ? std::to_string(*g.after.ecc_uncorrected_volatile) : "?",
        g.after.remap_pending ? (*g.after.remap_pending ? "yes" : "no") : "?", g.nvlinks.size(), g.xids.size());
  }
  t.health = std::move(section);
  return t;
}

const RegisterCheck<HealthCheck> kRegistered(CheckId::kHealth);

}  // namespace llm::gpu_check
