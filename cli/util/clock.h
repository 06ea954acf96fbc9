// Clock: the current time and sleeping, behind an interface so deadlines,
// cache TTLs and retry backoff are testable without real waiting.
#pragma once

#include <chrono>
#include <thread>

namespace llm {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  /// Used only for backoff after a failed request, never to poll for state.
  virtual void SleepFor(std::chrono::milliseconds duration) const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  void SleepFor(std::chrono::milliseconds duration) const override {
    std::this_thread::sleep_for(duration);
  }
};

}  // namespace llm
