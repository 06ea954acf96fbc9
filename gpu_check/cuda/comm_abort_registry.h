// CommAbortRegistry: the NCCL communicators alive right now, so the watchdog
// can abort them (ncclCommAbort) when a phase hangs, instead of waiting on a
// collective that will never finish.
#pragma once

#include <mutex>
#include <vector>

#include <nccl.h>

namespace llm::gpu_check {

class CommAbortRegistry {
 public:
  void Add(ncclComm_t comm);
  void Remove(ncclComm_t comm);
  /// Aborts every registered communicator and forgets them.
  void AbortAll();

 private:
  std::mutex mu_;
  std::vector<ncclComm_t> comms_;
};

}  // namespace llm::gpu_check
