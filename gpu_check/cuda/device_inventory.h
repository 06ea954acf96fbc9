// What the node has: GPUs (from the CUDA runtime plus sysfs for the PCI
// device id and NUMA node), which pairs can access each other, and versions.
#pragma once

#include <vector>

#include "numa_affinity.h"
#include "report.h"
#include "status.h"

namespace llm::gpu_check {

/// Every visible GPU, in CUDA device order.
Result<std::vector<GpuInfo>> QueryGpus(const SysfsTopology& sysfs);

/// [i][j] = 1 when GPU i can access GPU j directly (diagonal 1).
Result<std::vector<std::vector<int>>> QueryPeerAccess(int gpu_count);

/// Creates every GPU's primary context now, inside the inventory's deadline,
/// rather than at the first allocation of whichever test runs first.
Status InitializeContexts(int gpu_count);

/// Driver, runtime and NCCL versions (NCCL_* variables are added by the caller).
SoftwareInfo QuerySoftwareVersions();

}  // namespace llm::gpu_check
