// RFC 3339 UTC timestamps for started_at / finished_at.
#pragma once

#include <chrono>
#include <string>

namespace llm::gpu_check {

/// "2026-11-28T12:34:56Z" (seconds precision, UTC).
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

}  // namespace llm::gpu_check
