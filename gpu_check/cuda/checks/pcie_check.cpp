// pcie: pinned host<->device copy bandwidth per GPU, first each GPU alone,
// then all GPUs at once (shared PCIe switches and root ports show up only
// then), with each GPU's host buffer on its own NUMA node, data verified.
#include "check.h"

#include <future>

#include <fmt/format.h>

#include "copy_timer.h"
#include "cpu_affinity.h"
#include "cuda_status.h"
#include "device_counter.h"
#include "device_resources.h"
#include "kernels/pattern.cuh"
#include "kernels/pattern_kernels.cuh"
#include "measure_retry.h"
#include "metrics.h"

namespace llm::gpu_check {

class PcieCheck : public Check {
 public:
  Result<TestResult> Run(CheckContext& ctx) override;
};

namespace {

enum class Direction { kHostToDevice, kDeviceToHost };

struct GpuBuffers {
  int device = 0;
  PinnedBuffer host;
  DeviceBuffer dev;
  DeviceCounter counter;
  Stream stream;
};

std::uint32_t HostSeed(int gpu) { return 0x5043'0000u + static_cast<std::uint32_t>(gpu); }
std::uint32_t DeviceSeed(int gpu) { return 0x5044'0000u + static_cast<std::uint32_t>(gpu); }

void FillHost(std::uint32_t* words, std::size_t count, std::uint32_t seed) {
  for (std::size_t i = 0; i < count; ++i) words[i] = PatternWord(i, seed);
}

std::uint64_t CountHostMismatches(const std::uint32_t* words, std::size_t count, std::uint32_t seed) {
  std::uint64_t wrong = 0;
  for (std::size_t i = 0; i < count; ++i) wrong += words[i] != PatternWord(i, seed) ? 1 : 0;
  return wrong;
}

TimedCopy CopyOf(GpuBuffers& b, Direction d) {
  TimedCopy c;
  c.device = b.device;
  c.stream = b.stream.get();
  const std::size_t bytes = b.dev.bytes();
  void* host = b.host.get();
  void* dev = b.dev.get();
  if (d == Direction::kHostToDevice) {
    c.enqueue = [=](cudaStream_t s) { return cudaMemcpyAsync(dev, host, bytes, cudaMemcpyHostToDevice, s); };
  } else {
    c.enqueue = [=](cudaStream_t s) { return cudaMemcpyAsync(host, dev, bytes, cudaMemcpyDeviceToHost, s); };
  }
  c.bytes_per_copy = bytes;
  return c;
}

/// Prepares the source side of a direction: the host buffer holds HostSeed
/// for H2D, the device buffer DeviceSeed for D2H.
Status Prepare(GpuBuffers& b, Direction d, const CheckContext& ctx) {
  if (d == Direction::kHostToDevice) {
    FillHost(b.host.as<std::uint32_t>(), b.host.bytes() / 4, HostSeed(b.device));
    return OkStatus();
  }
  CUDA_CHECK(cudaSetDevice(b.device));
  CUDA_CHECK(LaunchFillPattern(b.dev.as<std::uint32_t>(), b.dev.bytes() / 4, DeviceSeed(b.device), b.stream.get()));
  return WaitForStreams({b.stream.get()}, ctx.deadline, "pcie fill");
}

/// Words at the destination that differ from the source's pattern.
Result<std::uint64_t> Verify(GpuBuffers& b, Direction d, const CheckContext& ctx) {
  if (d == Direction::kDeviceToHost) {
    return CountHostMismatches(b.host.as<std::uint32_t>(), b.host.bytes() / 4, DeviceSeed(b.device));
  }
  GC_RETURN_IF_ERROR(b.counter.Reset(b.stream.get()));
  CUDA_CHECK(LaunchCountPatternMismatches(b.dev.as<std::uint32_t>(), b.dev.bytes() / 4, HostSeed(b.device),
                                          b.counter.device_ptr(), b.stream.get()));
  GC_RETURN_IF_ERROR(b.counter.ReadAsync(b.stream.get()));
  GC_RETURN_IF_ERROR(WaitForStreams({b.stream.get()}, ctx.deadline, "pcie verification"));
  return b.counter.value();
}

/// Measures `gpus` together in one direction and returns a series per GPU.
Result<std::vector<Series>> Measure(std::vector<GpuBuffers*> gpus, Direction d, std::string_view metric,
                                    CopyTimer& timer, const CheckContext& ctx) {
  std::vector<TimedCopy> copies;
  for (GpuBuffers* b : gpus) {
    GC_RETURN_IF_ERROR(Prepare(*b, d, ctx));
    copies.push_back(CopyOf(*b, d));
  }
  std::vector<Series> series(gpus.size());
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    series[i].metric = std::string(metric);
    series[i].gpu = gpus[i]->device;
  }
  for (int s = 0; s < ctx.profile.samples; ++s) {
    GC_ASSIGN_OR_RETURN(auto gbps, timer.Measure(copies, ctx.profile.warmup, ctx.profile.iterations, ctx.deadline));
    for (std::size_t i = 0; i < gbps.size(); ++i) series[i].samples.push_back(gbps[i]);
  }
  if (d == Direction::kDeviceToHost && gpus.size() > 1) {
    // Host-side verification of several GPUs' buffers in parallel.
    std::vector<std::future<std::uint64_t>> counts;
    for (GpuBuffers* b : gpus) {
      counts.push_back(std::async(std::launch::async, [b] {
        return CountHostMismatches(b->host.as<std::uint32_t>(), b->host.bytes() / 4, DeviceSeed(b->device));
      }));
    }
    for (std::size_t i = 0; i < gpus.size(); ++i) series[i].mismatches = counts[i].get();
  } else {
    for (std::size_t i = 0; i < gpus.size(); ++i) {
      GC_ASSIGN_OR_RETURN(series[i].mismatches, Verify(*gpus[i], d, ctx));
    }
  }
  return series;
}

}  // namespace

Result<TestResult> PcieCheck::Run(CheckContext& ctx) {
  TestResult t;
  t.name = std::string(ctx.spec.key);
  std::vector<GpuBuffers> buffers(ctx.gpus.size());
  for (std::size_t i = 0; i < ctx.gpus.size(); ++i) {
    GpuBuffers& b = buffers[i];
    const GpuInfo& gpu = ctx.gpus[i];
    b.device = gpu.index;
    std::vector<int> cpus;
    if (gpu.numa_node >= 0) {
      if (auto node_cpus = ctx.sysfs.CpusOfNumaNode(gpu.numa_node); node_cpus.ok()) cpus = *node_cpus;
    }
    {
      ScopedCpuAffinity affinity(cpus);
      if (!cpus.empty() && !affinity.bound()) {
        ctx.log << fmt::format(
            "llm-gpu-check: pcie: gpu {}: cannot run on NUMA node {} (cpuset); "
            "host memory may be remote\n",
            b.device, gpu.numa_node);
      }
      auto host = PinnedBuffer::Allocate(ctx.profile.pcie_bytes);
      if (!host.ok()) return host.failure().WithContext(fmt::format("gpu {}", b.device));
      b.host = std::move(*host);
      // First touch while bound, so the pages land on the GPU's node.
      FillHost(b.host.as<std::uint32_t>(), b.host.bytes() / 4, HostSeed(b.device));
    }
    auto dev = DeviceBuffer::Allocate(b.device, ctx.profile.pcie_bytes);
    if (!dev.ok()) return dev.failure().WithContext(fmt::format("gpu {}", b.device));
    b.dev = std::move(*dev);
    GC_ASSIGN_OR_RETURN(b.counter, DeviceCounter::Create(b.device));
    GC_ASSIGN_OR_RETURN(b.stream, Stream::Create(b.device));
  }
  GC_ASSIGN_OR_RETURN(CopyTimer timer, CopyTimer::Create());

  struct Phase {
    Direction direction;
    std::string_view metric;
    bool together;
  };
  const Phase phases[] = {{Direction::kHostToDevice, kMetricH2d, false},
                          {Direction::kDeviceToHost, kMetricD2h, false},
                          {Direction::kHostToDevice, kMetricH2dConcurrent, true},
                          {Direction::kDeviceToHost, kMetricD2hConcurrent, true}};
  for (const Phase& phase : phases) {
    if (phase.together) {
      std::vector<GpuBuffers*> all;
      for (GpuBuffers& b : buffers) all.push_back(&b);
      GC_ASSIGN_OR_RETURN(auto series, Measure(all, phase.direction, phase.metric, timer, ctx));
      for (Series& s : series) {
        ctx.store.AddSeries(t.name, s);
        t.series.push_back(std::move(s));
      }
    } else {
      for (GpuBuffers& b : buffers) {
        GC_ASSIGN_OR_RETURN(auto series, Measure({&b}, phase.direction, phase.metric, timer, ctx));
        ctx.store.AddSeries(t.name, series[0]);
        t.series.push_back(std::move(series[0]));
      }
    }
  }
  GC_RETURN_IF_ERROR(
      RetryFailingSeries(t, ctx.evaluation, ctx.profile.max_retries, [&](const Series& previous) -> Result<Series> {
        const Phase* phase = nullptr;
        for (const Phase& p : phases) {
          if (p.metric == previous.metric) phase = &p;
        }
        if (phase == nullptr) return Failure(ExitCode::kRuntimeError, "no phase measures " + previous.metric);
        std::vector<GpuBuffers*> gpus;
        if (phase->together) {
          for (GpuBuffers& b : buffers) gpus.push_back(&b);
        } else {
          gpus.push_back(&buffers[static_cast<std::size_t>(previous.gpu)]);
        }
        GC_ASSIGN_OR_RETURN(auto series, Measure(gpus, phase->direction, phase->metric, timer, ctx));
        for (Series& s : series) {
          if (s.gpu == previous.gpu) return s;
        }
        return previous;
      }));
  for (const Series& s : t.series) {
    ctx.log << fmt::format("llm-gpu-check: pcie: gpu {} {} {:.1f} GB/s\n", s.gpu, s.metric,
                           Summarize(s.samples).median);
  }
  return t;
}

const RegisterCheck<PcieCheck> kRegistered(CheckId::kPcie);

}  // namespace llm::gpu_check
