// Go's time.Duration.String, for the places where kubectl shows or sends a
// duration and we must write it the same way (client-go's ?timeout=, messages).
#pragma once

#include <chrono>
#include <string>

namespace llm {

/// "0s", "500ms", "5s", "1.5s", "1m0s", "1h2m3.25s": hours and minutes only
/// once they are non-zero, fractions of a second without trailing zeros.
std::string GoDurationString(std::chrono::milliseconds d);

}  // namespace llm
