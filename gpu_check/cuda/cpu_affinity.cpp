#include "cpu_affinity.h"

namespace llm::gpu_check {

ScopedCpuAffinity::ScopedCpuAffinity(const std::vector<int>& cpus) {
  if (cpus.empty() || sched_getaffinity(0, sizeof(previous_), &previous_) != 0) return;
  cpu_set_t wanted;
  CPU_ZERO(&wanted);
  bool any = false;
  for (int cpu : cpus) {
    if (cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &previous_)) {
      CPU_SET(cpu, &wanted);
      any = true;
    }
  }
  bound_ = any && sched_setaffinity(0, sizeof(wanted), &wanted) == 0;
}

ScopedCpuAffinity::~ScopedCpuAffinity() {
  if (bound_) sched_setaffinity(0, sizeof(previous_), &previous_);
}

}  // namespace llm::gpu_check
