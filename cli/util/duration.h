// Durations as kubectl's flags take them (Go's time.ParseDuration: 30s, 5m,
// 1h30m, 1.5h), plus "d" for days because validity periods are counted in days.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.h"

namespace llm {

using Seconds = std::chrono::seconds;

/// Parses `text` for the flag named `flag` (used in the error). A bare "0" is
/// zero; any other number needs a unit. Fractions are allowed ("1.5h"); the
/// result is rounded down to whole seconds. Errors are kUsage and name the flag.
Result<Seconds> ParseDuration(std::string_view text, std::string_view flag);
/// The same to the millisecond, for latencies and budgets ("500ms", "1.5s").
Result<std::chrono::milliseconds> ParseDurationMillis(std::string_view text, std::string_view flag);

/// kubectl's --request-timeout: a bare integer is seconds ("5"), otherwise a
/// duration as above with millisecond precision ("500ms"); "0" or "" is none.
Result<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text);

/// Go's Duration.String for whole seconds: "45s", "5m0s", "1h2m3s" (util/go_duration).
/// Tables show ages and durations with output/human_duration (kubectl's AGE rules).
std::string FormatDuration(Seconds d);

}  // namespace llm
