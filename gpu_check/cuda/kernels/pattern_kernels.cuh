// Launchers for filling and verifying device buffers with PatternWord. Host
// callable; the kernels live in pattern_kernels.cu.
#pragma once

#include <cstddef>
#include <cstdint>

#include <cuda_runtime.h>

namespace llm::gpu_check {

/// Writes PatternWord(i, seed) to words[i] for i < count, on `stream`.
cudaError_t LaunchFillPattern(std::uint32_t* words, std::size_t count, std::uint32_t seed, cudaStream_t stream);

/// Adds to *mismatches (device memory) the number of words != PatternWord(i, seed).
cudaError_t LaunchCountPatternMismatches(const std::uint32_t* words, std::size_t count, std::uint32_t seed,
                                         unsigned long long* mismatches, cudaStream_t stream);

}  // namespace llm::gpu_check
