// Which algorithm NCCL chose, read from its own debug log. NCCL has no API
// for it, and it decides the busbw factor people should compare against
// (NVLS on NVSwitch systems reaches numbers a ring cannot).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace llm::gpu_check {

/// The algorithm of the last "AllReduce: <bytes> Bytes -> Algo <X> ..." line
/// for `bytes` in an NCCL_DEBUG=INFO (subsystem TUNING) log. Newer NCCL writes
/// names ("NVLS", "NVLS_TREE"), older ones numbers ("Algo 1"), which are
/// mapped to the same names (0 TREE, 1 RING, 2 COLLNET_DIRECT, 3 COLLNET_CHAIN,
/// 4 NVLS, 5 NVLS_TREE, 6 PAT). Names come back upper case. "" when no line
/// matches (only NCCL's rank 0 logs them; subsystem TUNING).
std::string ParseNcclAlgo(std::string_view log, std::uint64_t bytes);

/// True for the NVLink SHARP algorithms, whose busbw has its own floor.
bool IsNvlsAlgo(std::string_view algo);

}  // namespace llm::gpu_check
