#include "comm_abort_registry.h"

#include <algorithm>

namespace llm::gpu_check {

void CommAbortRegistry::Add(ncclComm_t comm) {
  std::lock_guard lock(mu_);
  comms_.push_back(comm);
}

void CommAbortRegistry::Remove(ncclComm_t comm) {
  std::lock_guard lock(mu_);
  comms_.erase(std::remove(comms_.begin(), comms_.end(), comm), comms_.end());
}

void CommAbortRegistry::AbortAll() {
  std::vector<ncclComm_t> comms;
  {
    std::lock_guard lock(mu_);
    comms.swap(comms_);
  }
  for (ncclComm_t c : comms) ncclCommAbort(c);
}

}  // namespace llm::gpu_check
