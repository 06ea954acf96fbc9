// p2p: copy-engine bandwidth of every ordered GPU pair with peer access,
// unidirectional (one copy) and bidirectional (both directions at once, each
// direction reported), with the received data verified.
#include "check.h"

#include <unistd.h>

#include <fmt/format.h>

#include "copy_timer.h"
#include "cuda_status.h"
#include "device_counter.h"
#include "device_resources.h"
#include "kernels/pattern_kernels.cuh"
#include "measure_retry.h"
#include "metrics.h"
#include "p2p_heatmap.h"

namespace llm::gpu_check {

class P2pCheck : public Check {
 public:
  Result<TestResult> Run(CheckContext& ctx) override;
};

namespace {

struct GpuBuffers {
  int device = 0;
  DeviceBuffer src;  // PatternWord(i, SeedOf(device))
  DeviceBuffer dst;  // receives from one peer at a time
  DeviceCounter counter;
  Stream stream;
};

std::uint32_t SeedOf(int gpu) { return 0x5032'0000u + static_cast<std::uint32_t>(gpu); }

TimedCopy CopyOf(GpuBuffers& from, GpuBuffers& to) {
  TimedCopy c;
  c.device = from.device;
  c.stream = from.stream.get();
  const std::size_t bytes = from.src.bytes();
  void* dst = to.dst.get();
  const void* src = from.src.get();
  const int dst_dev = to.device;
  const int src_dev = from.device;
  // Issued on the source GPU: its copy engine writes into the peer's memory.
  c.enqueue = [=](cudaStream_t s) { return cudaMemcpyPeerAsync(dst, dst_dev, src, src_dev, bytes, s); };
  c.bytes_per_copy = bytes;
  return c;
}

/// Words in `to.dst` that are not what `from` sent.
Result<std::uint64_t> Verify(GpuBuffers& from, GpuBuffers& to, const CheckContext& ctx) {
  GC_RETURN_IF_ERROR(to.counter.Reset(to.stream.get()));
  CUDA_CHECK(LaunchCountPatternMismatches(to.dst.as<std::uint32_t>(), to.dst.bytes() / 4, SeedOf(from.device),
                                          to.counter.device_ptr(), to.stream.get()));
  GC_RETURN_IF_ERROR(to.counter.ReadAsync(to.stream.get()));
  GC_RETURN_IF_ERROR(WaitForStreams({to.stream.get()}, ctx.deadline, "p2p verification"));
  return to.counter.value();
}

Result<Series> Unidirectional(GpuBuffers& from, GpuBuffers& to, CopyTimer& timer, const CheckContext& ctx) {
  Series s;
  s.metric = std::string(kMetricP2pUnidir);
  s.gpu = from.device;
  s.peer = to.device;
  const std::vector<TimedCopy> copies = {CopyOf(from, to)};
  for (int i = 0; i < ctx.profile.samples; ++i) {
    GC_ASSIGN_OR_RETURN(auto gbps, timer.Measure(copies, ctx.profile.warmup, ctx.profile.iterations, ctx.deadline));
    s.samples.push_back(gbps[0]);
  }
  GC_ASSIGN_OR_RETURN(s.mismatches, Verify(from, to, ctx));
  return s;
}

/// Both directions at once; the series of a->b and of b->a.
Result<std::pair<Series, Series>> Bidirectional(GpuBuffers& a, GpuBuffers& b, CopyTimer& timer,
                                                const CheckContext& ctx) {
  std::pair<Series, Series> out;
  out.first.metric = out.second.metric = std::string(kMetricP2pBidir);
  out.first.gpu = out.second.peer = a.device;
  out.first.peer = out.second.gpu = b.device;
  const std::vector<TimedCopy> copies = {CopyOf(a, b), CopyOf(b, a)};
  for (int i = 0; i < ctx.profile.samples; ++i) {
    GC_ASSIGN_OR_RETURN(auto gbps, timer.Measure(copies, ctx.profile.warmup, ctx.profile.iterations, ctx.deadline));
    out.first.samples.push_back(gbps[0]);
    out.second.samples.push_back(gbps[1]);
  }
  GC_ASSIGN_OR_RETURN(out.first.mismatches, Verify(a, b, ctx));
  GC_ASSIGN_OR_RETURN(out.second.mismatches, Verify(b, a, ctx));
  return out;
}

Status EnablePeer(int device, int peer) {
  CUDA_CHECK(cudaSetDevice(device));
  const cudaError_t e = cudaDeviceEnablePeerAccess(peer, 0);
  if (e == cudaErrorPeerAccessAlreadyEnabled) {
    (void)cudaGetLastError();  // clear the sticky-free "already enabled" error
    return OkStatus();
  }
  CUDA_CHECK(e);
  return OkStatus();
}

}  // namespace

Result<TestResult> P2pCheck::Run(CheckContext& ctx) {
  TestResult t;
  t.name = std::string(ctx.spec.key);
  const std::size_t n = ctx.gpus.size();
  auto can = [&](std::size_t i, std::size_t j) { return ctx.peer_access[i][j] != 0; };
  std::vector<GpuBuffers> buffers(n);
  for (std::size_t i = 0; i < n; ++i) {
    GpuBuffers& b = buffers[i];
    b.device = ctx.gpus[i].index;
    GC_ASSIGN_OR_RETURN(b.src, DeviceBuffer::Allocate(b.device, ctx.profile.p2p_bytes));
    GC_ASSIGN_OR_RETURN(b.dst, DeviceBuffer::Allocate(b.device, ctx.profile.p2p_bytes));
    GC_ASSIGN_OR_RETURN(b.counter, DeviceCounter::Create(b.device));
    GC_ASSIGN_OR_RETURN(b.stream, Stream::Create(b.device));
    CUDA_CHECK(LaunchFillPattern(b.src.as<std::uint32_t>(), b.src.bytes() / 4, SeedOf(b.device), b.stream.get()));
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j && can(i, j)) {
        auto st = EnablePeer(b.device, ctx.gpus[j].index);
        if (!st.ok()) return st.failure().WithContext(fmt::format("enabling peer access {}->{}", i, j));
      }
    }
  }
  std::vector<cudaStream_t> streams;
  for (GpuBuffers& b : buffers) streams.push_back(b.stream.get());
  GC_RETURN_IF_ERROR(WaitForStreams(streams, ctx.deadline, "p2p fill"));
  GC_ASSIGN_OR_RETURN(CopyTimer timer, CopyTimer::Create());

  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !can(i, j)) continue;
      auto s = Unidirectional(buffers[i], buffers[j], timer, ctx);
      if (!s.ok()) return s.failure().WithContext(fmt::format("{}->{}", i, j));
      ctx.store.AddSeries(t.name, *s);
      t.series.push_back(std::move(*s));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (!can(i, j) || !can(j, i)) continue;
      auto pair = Bidirectional(buffers[i], buffers[j], timer, ctx);
      if (!pair.ok()) return pair.failure().WithContext(fmt::format("{}<->{}", i, j));
      ctx.store.AddSeries(t.name, pair->first);
      ctx.store.AddSeries(t.name, pair->second);
      t.series.push_back(std::move(pair->first));
      t.series.push_back(std::move(pair->second));
    }
  }
  GC_RETURN_IF_ERROR(
      RetryFailingSeries(t, ctx.evaluation, ctx.profile.max_retries, [&](const Series& previous) -> Result<Series> {
        GpuBuffers& from = buffers[static_cast<std::size_t>(previous.gpu)];
        GpuBuffers& to = buffers[static_cast<std::size_t>(previous.peer)];
        if (previous.metric == kMetricP2pUnidir) return Unidirectional(from, to, timer, ctx);
        GC_ASSIGN_OR_RETURN(auto pair, Bidirectional(from, to, timer, ctx));
        return pair.first;
      }));
  for (const Series& s : t.series) {
    ctx.log << fmt::format("llm-gpu-check: p2p: {}->{} {} {:.1f} GB/s\n", s.gpu, s.peer, s.metric,
                           Summarize(s.samples).median);
  }
  // The matrix as people read it, judged (floors filled in) on a copy.
  TestResult judged = t;
  EvaluateTest(judged, ctx.evaluation);
  ctx.log << FormatP2pHeatmap(judged, static_cast<int>(n), ChooseColorMode(isatty(STDERR_FILENO) == 1, ProcessEnv()),
                              ctx.evaluation.outlier_ratio);
  return t;
}

const RegisterCheck<P2pCheck> kRegistered(CheckId::kP2p);

}  // namespace llm::gpu_check
