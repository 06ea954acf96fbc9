#include "cuda_wait.h"

#include <thread>

#include <fmt/format.h>

#include "cuda_status.h"

namespace llm::gpu_check {
namespace {

template <typename T, typename Query>
Status Poll(const std::vector<T>& items, Deadline deadline, const char* what, Query query) {
  std::vector<bool> done(items.size(), false);
  std::size_t remaining = items.size();
  while (remaining > 0) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (done[i]) continue;
      const cudaError_t e = query(items[i]);
      if (e == cudaSuccess) {
        done[i] = true;
        --remaining;
      } else if (e != cudaErrorNotReady) {
        return CudaFailure(e, what, __FILE__, __LINE__);
      }
    }
    if (remaining == 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      return Failure(ExitCode::kTimeout,
                     fmt::format("{}: {} of {} did not complete before the deadline", what, remaining, items.size()));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return OkStatus();
}

}  // namespace

Status WaitForEvents(const std::vector<cudaEvent_t>& events, Deadline deadline, const char* what) {
  return Poll(events, deadline, what, [](cudaEvent_t e) { return cudaEventQuery(e); });
}

Status WaitForStreams(const std::vector<cudaStream_t>& streams, Deadline deadline, const char* what) {
  return Poll(streams, deadline, what, [](cudaStream_t s) { return cudaStreamQuery(s); });
}

}  // namespace llm::gpu_check
