// hbm: device memory copy bandwidth of every GPU, all GPUs at once (a copy
// kernel, read + write bytes counted), with the copied data verified.
#include "check.h"

#include <fmt/format.h>

#include "copy_timer.h"
#include "cuda_status.h"
#include "device_counter.h"
#include "device_resources.h"
#include "kernels/copy_kernel.cuh"
#include "kernels/pattern_kernels.cuh"
#include "measure_retry.h"
#include "metrics.h"

namespace llm::gpu_check {

class HbmCheck : public Check {
 public:
  Result<TestResult> Run(CheckContext& ctx) override;
};

namespace {

struct GpuBuffers {
  int device = 0;
  int sm_count = 0;
  DeviceBuffer src;
  DeviceBuffer dst;
  DeviceCounter counter;
  Stream stream;
};

std::uint32_t SeedOf(int gpu) { return 0x4842'0000u + static_cast<std::uint32_t>(gpu); }

TimedCopy CopyOf(GpuBuffers& b) {
  TimedCopy c;
  c.device = b.device;
  c.stream = b.stream.get();
  const std::size_t bytes = b.src.bytes();
  void* dst = b.dst.get();
  const void* src = b.src.get();
  const int sms = b.sm_count;
  c.enqueue = [=](cudaStream_t s) { return LaunchCopyKernel(dst, src, bytes, sms, s); };
  c.bytes_per_copy = 2 * static_cast<std::uint64_t>(bytes);  // every byte is read once and written once
  return c;
}

/// Samples for the given GPUs measured together.
Result<std::vector<std::vector<double>>> Sample(std::vector<GpuBuffers*> gpus, CopyTimer& timer,
                                                const CheckContext& ctx) {
  std::vector<std::vector<double>> samples(gpus.size());
  std::vector<TimedCopy> copies;
  for (GpuBuffers* b : gpus) copies.push_back(CopyOf(*b));
  for (int s = 0; s < ctx.profile.samples; ++s) {
    GC_ASSIGN_OR_RETURN(auto gbps, timer.Measure(copies, ctx.profile.warmup, ctx.profile.iterations, ctx.deadline));
    for (std::size_t i = 0; i < gbps.size(); ++i) samples[i].push_back(gbps[i]);
  }
  return samples;
}

Result<std::uint64_t> Verify(GpuBuffers& b, const CheckContext& ctx) {
  GC_RETURN_IF_ERROR(b.counter.Reset(b.stream.get()));
  CUDA_CHECK(LaunchCountPatternMismatches(b.dst.as<std::uint32_t>(), b.dst.bytes() / 4, SeedOf(b.device),
                                          b.counter.device_ptr(), b.stream.get()));
  GC_RETURN_IF_ERROR(b.counter.ReadAsync(b.stream.get()));
  GC_RETURN_IF_ERROR(WaitForStreams({b.stream.get()}, ctx.deadline, "hbm verification"));
  return b.counter.value();
}

}  // namespace

Result<TestResult> HbmCheck::Run(CheckContext& ctx) {
  TestResult t;
  t.name = std::string(ctx.spec.key);
  std::vector<GpuBuffers> buffers(ctx.gpus.size());
  for (std::size_t i = 0; i < ctx.gpus.size(); ++i) {
    GpuBuffers& b = buffers[i];
    b.device = ctx.gpus[i].index;
    b.sm_count = ctx.gpus[i].sm_count;
    const std::string where = fmt::format("gpu {}", b.device);
    auto with = [&](const Failure& f) { return f.WithContext(where); };
    auto src = DeviceBuffer::Allocate(b.device, ctx.profile.hbm_bytes);
    if (!src.ok()) return with(src.failure());
    auto dst = DeviceBuffer::Allocate(b.device, ctx.profile.hbm_bytes);
    if (!dst.ok()) return with(dst.failure());
    auto counter = DeviceCounter::Create(b.device);
    if (!counter.ok()) return with(counter.failure());
    auto stream = Stream::Create(b.device);
    if (!stream.ok()) return with(stream.failure());
    b.src = std::move(*src);
    b.dst = std::move(*dst);
    b.counter = std::move(*counter);
    b.stream = std::move(*stream);
    CUDA_CHECK(LaunchFillPattern(b.src.as<std::uint32_t>(), b.src.bytes() / 4, SeedOf(b.device), b.stream.get()));
  }
  GC_ASSIGN_OR_RETURN(CopyTimer timer, CopyTimer::Create());

  std::vector<GpuBuffers*> all;
  for (GpuBuffers& b : buffers) all.push_back(&b);
  GC_ASSIGN_OR_RETURN(auto samples, Sample(all, timer, ctx));
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    Series s;
    s.metric = std::string(kMetricHbmCopy);
    s.gpu = buffers[i].device;
    s.samples = std::move(samples[i]);
    GC_ASSIGN_OR_RETURN(s.mismatches, Verify(buffers[i], ctx));
    ctx.store.AddSeries(t.name, s);
    t.series.push_back(std::move(s));
  }
  // A retry measures the GPU alone: its HBM does not depend on the others.
  GC_RETURN_IF_ERROR(
      RetryFailingSeries(t, ctx.evaluation, ctx.profile.max_retries, [&](const Series& previous) -> Result<Series> {
        GpuBuffers& b = buffers[static_cast<std::size_t>(previous.gpu)];
        GC_ASSIGN_OR_RETURN(auto again, Sample({&b}, timer, ctx));
        Series s = previous;
        s.samples = std::move(again[0]);
        GC_ASSIGN_OR_RETURN(s.mismatches, Verify(b, ctx));
        return s;
      }));
  for (const Series& s : t.series) {
    ctx.log << fmt::format("llm-gpu-check: hbm: gpu {} {:.1f} GB/s\n", s.gpu, Summarize(s.samples).median);
  }
  return t;
}

const RegisterCheck<HbmCheck> kRegistered(CheckId::kHbm);

}  // namespace llm::gpu_check
