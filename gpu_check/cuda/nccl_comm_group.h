// NcclCommGroup: one NCCL communicator per local GPU, created non-blocking
// (ncclCommInitRankConfig with blocking = 0) and polled against a deadline,
// so a bootstrap that never completes (wrong NCCL_COMM_ID, a missing peer
// node) is a timeout, not a hang. Communicators are registered for the
// watchdog's abort while they live.
#pragma once

#include <memory>
#include <vector>

#include <cuda_runtime.h>
#include <nccl.h>

#include "comm_abort_registry.h"
#include "cuda_wait.h"
#include "status.h"

namespace llm::gpu_check {

class NcclCommGroup {
 public:
  /// Ranks first_rank .. first_rank + devices.size() - 1 of `nranks`, on `devices`.
  /// The unique id comes from ncclGetUniqueId, which uses NCCL_COMM_ID when it
  /// is set (multi-node: every node derives the same id from pod 0's address).
  static Result<std::unique_ptr<NcclCommGroup>> Init(const std::vector<int>& devices, int nranks, int first_rank,
                                                     Deadline deadline, CommAbortRegistry& registry);
  ~NcclCommGroup();
  NcclCommGroup(const NcclCommGroup&) = delete;
  NcclCommGroup& operator=(const NcclCommGroup&) = delete;

  const std::vector<ncclComm_t>& comms() const { return comms_; }

  /// Polls ncclCommGetAsyncError until no communicator is in progress.
  Status WaitReady(Deadline deadline, const char* what);
  /// Polls the streams to idle, checking the communicators for async errors meanwhile.
  Status WaitStreams(const std::vector<cudaStream_t>& streams, Deadline deadline, const char* what);
  /// Finalizes and destroys the communicators; on error or timeout they are aborted.
  Status Close(Deadline deadline);

 private:
  explicit NcclCommGroup(CommAbortRegistry& registry) : registry_(registry) {}
  void AbortAll();

  CommAbortRegistry& registry_;
  std::vector<ncclComm_t> comms_;
  std::vector<int> devices_;
};

}  // namespace llm::gpu_check
