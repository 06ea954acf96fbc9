// Clock: time and sleeping behind an interface, so retries, rate limits,
// credential expiry and token-file rotation are tested without sleeping.
#pragma once

#include <chrono>

namespace llm {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time: compared with timestamps from servers and plugins.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  /// Monotonic time: for intervals (rate limits, latency) that must not jump.
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override;
  std::chrono::steady_clock::time_point Monotonic() const override;
  void SleepFor(std::chrono::nanoseconds duration) override;
};

}  // namespace llm
