// ScopedCpuAffinity: runs the calling thread on a GPU's NUMA node while its
// pinned host buffer is allocated (first touch places the pages there), then
// restores the previous mask.
#pragma once

#include <sched.h>

#include <vector>

namespace llm::gpu_check {

class ScopedCpuAffinity {
 public:
  /// Binds to `cpus` (those allowed by the current mask); does nothing when
  /// the list is empty or binding fails (a cpuset that excludes the node).
  explicit ScopedCpuAffinity(const std::vector<int>& cpus);
  ~ScopedCpuAffinity();
  ScopedCpuAffinity(const ScopedCpuAffinity&) = delete;
  ScopedCpuAffinity& operator=(const ScopedCpuAffinity&) = delete;

  /// False when the thread could not be bound (the measurement is then not NUMA-local).
  bool bound() const { return bound_; }

 private:
  cpu_set_t previous_{};
  bool bound_ = false;
};

}  // namespace llm::gpu_check
