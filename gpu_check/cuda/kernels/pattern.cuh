// The verification pattern: a word per index that differs between buffers
// (seed) and between neighbouring words, so a copy that drops, repeats or
// shifts data cannot reproduce it. Shared by host and device code.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define GC_HOST_DEVICE __host__ __device__
#else
#define GC_HOST_DEVICE
#endif

namespace llm::gpu_check {

/// splitmix-style mix of (index, seed) into a 32-bit word.
GC_HOST_DEVICE inline std::uint32_t PatternWord(std::uint64_t index, std::uint32_t seed) {
  std::uint64_t x = index * 0x9E3779B97F4A7C15ULL + (static_cast<std::uint64_t>(seed) << 32 | seed);
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return static_cast<std::uint32_t>(x);
}

}  // namespace llm::gpu_check
