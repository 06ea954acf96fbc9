#include "nccl_comm_group.h"

#include <thread>

#include <fmt/format.h>

#include "cuda_status.h"

namespace llm::gpu_check {

Result<std::unique_ptr<NcclCommGroup>> NcclCommGroup::Init(const std::vector<int>& devices, int nranks, int first_rank,
                                                           Deadline deadline, CommAbortRegistry& registry) {
  std::unique_ptr<NcclCommGroup> group(new NcclCommGroup(registry));
  group->devices_ = devices;
  group->comms_.assign(devices.size(), nullptr);
  ncclUniqueId id;
  NCCL_CHECK(ncclGetUniqueId(&id));
  ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
  config.blocking = 0;
  NCCL_CHECK(ncclGroupStart());
  for (std::size_t i = 0; i < devices.size(); ++i) {
    CUDA_CHECK(cudaSetDevice(devices[i]));
    NCCL_CHECK(ncclCommInitRankConfig(&group->comms_[i], nranks, id, first_rank + static_cast<int>(i), &config));
  }
  NCCL_CHECK(ncclGroupEnd());
  for (ncclComm_t c : group->comms_) {
    if (c != nullptr) registry.Add(c);
  }
  GC_RETURN_IF_ERROR(group->WaitReady(deadline, "NCCL communicator initialisation"));
  return group;
}

NcclCommGroup::~NcclCommGroup() { AbortAll(); }

void NcclCommGroup::AbortAll() {
  for (ncclComm_t& c : comms_) {
    if (c == nullptr) continue;
    registry_.Remove(c);
    ncclCommAbort(c);
    c = nullptr;
  }
}

Status NcclCommGroup::WaitReady(Deadline deadline, const char* what) {
  while (true) {
    bool in_progress = false;
    for (ncclComm_t c : comms_) {
      if (c == nullptr) continue;
      ncclResult_t state = ncclSuccess;
      NCCL_CHECK(ncclCommGetAsyncError(c, &state));
      if (state == ncclInProgress) {
        in_progress = true;
      } else if (state != ncclSuccess) {
        return NcclFailure(state, what, __FILE__, __LINE__);
      }
    }
    if (!in_progress) return OkStatus();
    if (std::chrono::steady_clock::now() > deadline) {
      return Failure(ExitCode::kTimeout, fmt::format("{}: still in progress at the deadline", what));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Status NcclCommGroup::WaitStreams(const std::vector<cudaStream_t>& streams, Deadline deadline, const char* what) {
  std::vector<bool> done(streams.size(), false);
  std::size_t remaining = streams.size();
  while (remaining > 0) {
    for (std::size_t i = 0; i < streams.size(); ++i) {
      if (done[i]) continue;
      const cudaError_t e = cudaStreamQuery(streams[i]);
      if (e == cudaSuccess) {
        done[i] = true;
        --remaining;
      } else if (e != cudaErrorNotReady) {
        return CudaFailure(e, what, __FILE__, __LINE__);
      }
    }
    if (remaining == 0) break;
    // A peer that died leaves the collective waiting forever; NCCL reports it here.
    for (ncclComm_t c : comms_) {
      ncclResult_t state = ncclSuccess;
      NCCL_CHECK(ncclCommGetAsyncError(c, &state));
      if (state != ncclSuccess && state != ncclInProgress) return NcclFailure(state, what, __FILE__, __LINE__);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Failure(ExitCode::kTimeout, fmt::format("{}: {} of {} GPUs did not finish before the deadline", what,
                                                     remaining, streams.size()));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return OkStatus();
}

Status NcclCommGroup::Close(Deadline deadline) {
  // Non-blocking finalize returns ncclInProgress; start all, then wait for
  // all, since each local rank's finalize may need the others' progress.
  for (ncclComm_t c : comms_) NCCL_CHECK(ncclCommFinalize(c));
  GC_RETURN_IF_ERROR(WaitReady(deadline, "NCCL communicator finalisation"));
  for (ncclComm_t& c : comms_) {
    registry_.Remove(c);
    NCCL_CHECK(ncclCommDestroy(c));
    c = nullptr;
  }
  return OkStatus();
}

}  // namespace llm::gpu_check
