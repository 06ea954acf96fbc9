// RFC 3339 timestamps as the API server writes them (metadata, container
// states), in UTC with whole seconds.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llm {

using TimePoint = std::chrono::system_clock::time_point;

/// "2026-11-28T12:34:56Z"; fractional seconds and numeric offsets
/// ("+02:00") are accepted. nullopt when the text is not such a timestamp.
std::optional<TimePoint> ParseRfc3339(std::string_view text);

/// "2026-11-28T12:34:56Z" (seconds precision, UTC).
std::string FormatRfc3339(TimePoint t);

}  // namespace llm
