// nccl: all-reduce bus bandwidth over every local GPU (and every node in a
// multi-node run), out-of-place and in-place, over a size sweep; the largest
// size is judged. Each size is followed by an exact correctness check, and
// the algorithm NCCL chose is read from its log.
#include "check.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "bandwidth.h"
#include "cuda_status.h"
#include "device_counter.h"
#include "device_resources.h"
#include "kernels/all_reduce_check.cuh"
#include "measure_retry.h"
#include "metrics.h"
#include "nccl_algo_log.h"
#include "nccl_comm_group.h"

namespace llm::gpu_check {

class NcclCheck : public Check {
 public:
  Result<TestResult> Run(CheckContext& ctx) override;
};

namespace {

constexpr std::uint64_t kGiB = 1ULL << 30;

struct GpuBuffers {
  int device = 0;
  int rank = 0;
  DeviceBuffer send;
  DeviceBuffer recv;
  DeviceCounter counter;
  Stream stream;
};

class AllReduceRunner {
 public:
  AllReduceRunner(NcclCommGroup& group, std::vector<GpuBuffers>& gpus, const CheckContext& ctx)
      : group_(group), gpus_(gpus), ctx_(ctx) {
    for (GpuBuffers& g : gpus_) streams_.push_back(g.stream.get());
  }

  /// Queues one all-reduce of `count` floats on every local GPU.
  Status Launch(std::size_t count, bool in_place) {
    NCCL_CHECK(ncclGroupStart());
    for (std::size_t i = 0; i < gpus_.size(); ++i) {
      GpuBuffers& g = gpus_[i];
      const void* in = in_place ? g.recv.get() : g.send.get();
      NCCL_CHECK(ncclAllReduce(in, g.recv.get(), count, ncclFloat, ncclSum, group_.comms()[i], g.stream.get()));
    }
    const ncclResult_t r = ncclGroupEnd();
    if (r == ncclInProgress) return group_.WaitReady(ctx_.deadline, "all_reduce enqueue");
    NCCL_CHECK(r);
    return OkStatus();
  }

  /// Seconds per all-reduce: wall clock over `iterations` ops, as nccl-tests times them.
  Result<double> Time(std::size_t count, bool in_place, int iterations) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) GC_RETURN_IF_ERROR(Launch(count, in_place));
    GC_RETURN_IF_ERROR(group_.WaitStreams(streams_, ctx_.deadline, "all_reduce"));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return elapsed.count() / iterations;
  }

  Status Warmup(std::size_t count, bool in_place, int iterations) {
    for (int i = 0; i < iterations; ++i) GC_RETURN_IF_ERROR(Launch(count, in_place));
    return group_.WaitStreams(streams_, ctx_.deadline, "all_reduce warm-up");
  }

  /// One untimed all-reduce of exact inputs; elements of the result that differ.
  Result<std::uint64_t> CountWrong(std::size_t count, bool in_place, int nranks) {
    for (GpuBuffers& g : gpus_) {
      CUDA_CHECK(cudaSetDevice(g.device));
      float* input = in_place ? g.recv.as<float>() : g.send.as<float>();
      CUDA_CHECK(LaunchFillAllReduceInput(input, count, g.rank, g.stream.get()));
    }
    GC_RETURN_IF_ERROR(Launch(count, in_place));
    for (GpuBuffers& g : gpus_) {
      GC_RETURN_IF_ERROR(g.counter.Reset(g.stream.get()));
      CUDA_CHECK(LaunchCountAllReduceErrors(g.recv.as<float>(), count, nranks, g.counter.device_ptr(), g.stream.get()));
      GC_RETURN_IF_ERROR(g.counter.ReadAsync(g.stream.get()));
    }
    GC_RETURN_IF_ERROR(group_.WaitStreams(streams_, ctx_.deadline, "all_reduce check"));
    std::uint64_t total = 0;
    for (const GpuBuffers& g : gpus_) total += g.counter.value();
    return total;
  }

 private:
  NcclCommGroup& group_;
  std::vector<GpuBuffers>& gpus_;
  const CheckContext& ctx_;
  std::vector<cudaStream_t> streams_;
};

/// nccl-tests' memory rule: the largest size is at most (free - 1 GiB) / 3.
Result<std::vector<std::uint64_t>> SizesThatFit(const std::vector<GpuInfo>& gpus, std::vector<std::uint64_t> sizes) {
  std::uint64_t limit = UINT64_MAX;
  for (const GpuInfo& g : gpus) {
    CUDA_CHECK(cudaSetDevice(g.index));
    std::size_t free_bytes = 0;
    std::size_t total = 0;
    CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total));
    limit = std::min<std::uint64_t>(limit, free_bytes > kGiB ? (free_bytes - kGiB) / 3 : 0);
  }
  sizes.erase(std::remove_if(sizes.begin(), sizes.end(), [&](std::uint64_t b) { return b > limit; }), sizes.end());
  if (sizes.empty()) {
    return Failure(ExitCode::kRuntimeError,
                   fmt::format("not enough free GPU memory for the smallest size (limit {} MiB)", limit >> 20));
  }
  return sizes;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

Result<TestResult> NcclCheck::Run(CheckContext& ctx) {
  TestResult t;
  t.name = std::string(ctx.spec.key);
  const int local = static_cast<int>(ctx.gpus.size());
  const int nranks = local * ctx.multi_node.world_size;
  const int first_rank = local * ctx.multi_node.rank;
  const double factor = AllReduceBusFactor(nranks);
  t.nccl_ranks = nranks;

  GC_ASSIGN_OR_RETURN(const std::vector<std::uint64_t> sizes, SizesThatFit(ctx.gpus, ctx.profile.nccl_bytes));
  if (sizes.back() != ctx.profile.nccl_bytes.back()) {
    ctx.log << fmt::format("llm-gpu-check: nccl: judging {} MiB, the largest size that fits\n", sizes.back() >> 20);
  }
  std::vector<GpuBuffers> gpus(ctx.gpus.size());
  std::vector<int> devices;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    GpuBuffers& g = gpus[i];
    g.device = ctx.gpus[i].index;
    g.rank = first_rank + static_cast<int>(i);
    devices.push_back(g.device);
    GC_ASSIGN_OR_RETURN(g.send, DeviceBuffer::Allocate(g.device, sizes.back()));
    GC_ASSIGN_OR_RETURN(g.recv, DeviceBuffer::Allocate(g.device, sizes.back()));
    GC_ASSIGN_OR_RETURN(g.counter, DeviceCounter::Create(g.device));
    GC_ASSIGN_OR_RETURN(g.stream, Stream::Create(g.device));
  }

  // Across nodes the earlier tests end at different times, so the bootstrap
  // waits for the slowest node for as long as the phase allows.
  const Deadline init_deadline =
      ctx.multi_node.world_size > 1
          ? ctx.deadline
          : std::min(ctx.deadline, std::chrono::steady_clock::now() +
                                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                           std::chrono::duration<double>(ctx.profile.nccl_init_deadline_s)));
  auto group = NcclCommGroup::Init(devices, nranks, first_rank, init_deadline, ctx.comms);
  if (!group.ok()) {
    return group.failure().WithContext(fmt::format("{} ranks, this node's first rank {}", nranks, first_rank));
  }
  AllReduceRunner runner(**group, gpus, ctx);

  const std::uint64_t judged = sizes.back();
  std::vector<double> judged_busbw;
  for (std::uint64_t bytes : sizes) {
    const std::size_t count = bytes / sizeof(float);
    for (bool in_place : {false, true}) {
      GC_RETURN_IF_ERROR(runner.Warmup(count, in_place, ctx.profile.warmup));
      std::vector<double> seconds;
      for (int s = 0; s < ctx.profile.nccl_samples; ++s) {
        GC_ASSIGN_OR_RETURN(double sec, runner.Time(count, in_place, ctx.profile.iterations));
        seconds.push_back(sec);
        if (bytes == judged && !in_place) judged_busbw.push_back(GbPerSecond(bytes, sec) * factor);
      }
      NcclPoint p;
      p.bytes = bytes;
      p.in_place = in_place;
      const double median = Median(seconds);
      p.time_us = median * 1e6;
      p.algbw = GbPerSecond(bytes, median);
      p.bus_factor = factor;
      p.busbw = p.algbw * factor;
      GC_ASSIGN_OR_RETURN(p.wrong, runner.CountWrong(count, in_place, nranks));
      ctx.log << fmt::format("llm-gpu-check: nccl: {:>11} B {:<12} {:9.1f} us algbw {:7.1f} busbw {:7.1f} wrong {}\n",
                             bytes, in_place ? "in-place" : "out-of-place", p.time_us, p.algbw, p.busbw, p.wrong);
      t.nccl.push_back(p);
    }
  }
  if (!ctx.nccl_debug_file.empty()) t.nccl_algo = ParseNcclAlgo(ReadFile(ctx.nccl_debug_file), judged);
  Series s;
  s.metric = std::string(IsNvlsAlgo(t.nccl_algo) ? kMetricNcclBusbwNvls : kMetricNcclBusbw);
  s.gpu = -1;
  s.samples = judged_busbw;
  s.attempts = 1;
  ctx.store.AddSeries(t.name, s);
  t.series.push_back(std::move(s));

  // The all-reduce is one collective over every rank; in a multi-node run
  // re-measuring on one node alone would wait for peers that have moved on.
  if (ctx.multi_node.world_size == 1) {
    GC_RETURN_IF_ERROR(
        RetryFailingSeries(t, ctx.evaluation, ctx.profile.max_retries, [&](const Series& previous) -> Result<Series> {
          Series again = previous;
          again.samples.clear();
          const std::size_t count = judged / sizeof(float);
          GC_RETURN_IF_ERROR(runner.Warmup(count, false, ctx.profile.warmup));
          for (int i = 0; i < ctx.profile.nccl_samples; ++i) {
            GC_ASSIGN_OR_RETURN(double sec, runner.Time(count, false, ctx.profile.iterations));
            again.samples.push_back(GbPerSecond(judged, sec) * factor);
          }
          return again;
        }));
  }
  GC_RETURN_IF_ERROR((*group)->Close(ctx.deadline));
  return t;
}

const RegisterCheck<NcclCheck> kRegistered(CheckId::kNccl);

}  // namespace llm::gpu_check
