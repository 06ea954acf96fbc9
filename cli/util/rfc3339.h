// RFC 3339 timestamps as the API server writes them: metav1.Time
// ("2026-11-28T12:34:56Z") and MicroTime (with a fraction), optionally with a
// numeric offset ("+02:00"). One parser for every layer (credentials,
// objects, validation records).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llm {

using TimePoint = std::chrono::system_clock::time_point;

/// The instant, fraction included; nullopt when the text is not such a
/// timestamp (or names no calendar day, e.g. February 30).
std::optional<TimePoint> ParseRfc3339Exact(std::string_view text);

/// The same, to the whole second (metav1.Time's precision), so it compares
/// equal with times written without a fraction.
std::optional<TimePoint> ParseRfc3339(std::string_view text);

/// "2026-11-28T12:34:56Z" (seconds precision, UTC).
std::string FormatRfc3339(TimePoint t);

}  // namespace llm
