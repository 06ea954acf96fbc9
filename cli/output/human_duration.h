// kubectl's AGE column: apimachinery's duration.HumanDuration, rule for rule
// (k8s.io/apimachinery/pkg/util/duration/duration.go), so `kubectl llm status`
// and `kubectl get` show the same age for the same object.
#pragma once

#include <chrono>
#include <string>

namespace llm {

/// "5s", "3m2s", "15m", "3h5m", "12h", "2d3h", "45d", "3y12d", "9y";
/// "0s" for up to 1s in the future (clock skew), "<invalid>" beyond.
std::string HumanDuration(std::chrono::nanoseconds duration);

/// The age of an object created at `created` (metadata.creationTimestamp),
/// "<unknown>" when that is empty or malformed (kubectl's translateTimestampSince).
std::string HumanAge(std::string_view created, std::chrono::system_clock::time_point now);

}  // namespace llm
