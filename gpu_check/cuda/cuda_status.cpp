#include "cuda_status.h"

#include <cstring>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

const char* BaseName(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash != nullptr ? slash + 1 : path;
}

}  // namespace

Failure CudaFailure(cudaError_t error, const char* call, const char* file, int line) {
  ExitCode code = ExitCode::kRuntimeError;
  switch (error) {
    case cudaErrorNoDevice:
    case cudaErrorInsufficientDriver:
    case cudaErrorDevicesUnavailable:
    case cudaErrorSystemDriverMismatch:
      code = ExitCode::kTopology;
      break;
    case cudaErrorECCUncorrectable:
      code = ExitCode::kCorruption;
      break;
    default:
      break;
  }
  return Failure(code, fmt::format("{} failed: {} ({}) at {}:{}", call, cudaGetErrorString(error),
                                   cudaGetErrorName(error), BaseName(file), line));
}

Failure NcclFailure(ncclResult_t result, const char* call, const char* file, int line) {
  const char* last = ncclGetLastError(nullptr);
  return Failure(ExitCode::kRuntimeError, fmt::format("{} failed: {}{}{} at {}:{}", call, ncclGetErrorString(result),
                                                      (last != nullptr && *last != '\0') ? ": " : "",
                                                      last != nullptr ? last : "", BaseName(file), line));
}

}  // namespace llm::gpu_check
