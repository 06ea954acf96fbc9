#include "device_inventory.h"

#include <cuda_runtime.h>
#include <nccl.h>

#include <fmt/format.h>

#include "cuda_status.h"

namespace llm::gpu_check {
namespace {

std::string FormatUuid(const cudaUUID_t& uuid) {
  const auto* b = reinterpret_cast<const unsigned char*>(uuid.bytes);
  return fmt::format(
      "GPU-{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

std::string CudaVersion(int v) { return v <= 0 ? "" : fmt::format("{}.{}", v / 1000, (v % 1000) / 10); }

}  // namespace

Result<std::vector<GpuInfo>> QueryGpus(const SysfsTopology& sysfs) {
  int count = 0;
  CUDA_CHECK(cudaGetDeviceCount(&count));
  std::vector<GpuInfo> gpus;
  for (int d = 0; d < count; ++d) {
    cudaDeviceProp prop{};
    CUDA_CHECK(cudaGetDeviceProperties(&prop, d));
    char bus_id[32] = {};
    CUDA_CHECK(cudaDeviceGetPCIBusId(bus_id, sizeof(bus_id), d));
    GpuInfo g;
    g.index = d;
    g.name = prop.name;
    g.uuid = FormatUuid(prop.uuid);
    g.pci_bus_id = SysfsPciName(bus_id);
    g.pci_device_id = sysfs.PciDeviceId(g.pci_bus_id).value_or(0);
    g.numa_node = sysfs.NumaNodeOfPciDevice(g.pci_bus_id).value_or(-1);
    g.sm_count = prop.multiProcessorCount;
    g.memory_bytes = prop.totalGlobalMem;
    g.cc_major = prop.major;
    g.cc_minor = prop.minor;
    gpus.push_back(std::move(g));
  }
  return gpus;
}

Result<std::vector<std::vector<int>>> QueryPeerAccess(int gpu_count) {
  std::vector<std::vector<int>> m(static_cast<std::size_t>(gpu_count),
                                  std::vector<int>(static_cast<std::size_t>(gpu_count), 0));
  for (int i = 0; i < gpu_count; ++i) {
    for (int j = 0; j < gpu_count; ++j) {
      int can = i == j ? 1 : 0;
      if (i != j) CUDA_CHECK(cudaDeviceCanAccessPeer(&can, i, j));
      m[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = can;
    }
  }
  return m;
}

Status InitializeContexts(int gpu_count) {
  for (int d = 0; d < gpu_count; ++d) {
    CUDA_CHECK(cudaSetDevice(d));
    CUDA_CHECK(cudaFree(nullptr));
  }
  return OkStatus();
}

SoftwareInfo QuerySoftwareVersions() {
  SoftwareInfo s;
  int v = 0;
  if (cudaDriverGetVersion(&v) == cudaSuccess) s.driver = CudaVersion(v);
  if (cudaRuntimeGetVersion(&v) == cudaSuccess) s.cuda_runtime = CudaVersion(v);
  if (ncclGetVersion(&v) == ncclSuccess) {
    // NCCL >= 2.9 encodes major*10000 + minor*100 + patch.
    s.nccl = fmt::format("{}.{}.{}", v / 10000, (v % 10000) / 100, v % 100);
  }
  return s;
}

}  // namespace llm::gpu_check
