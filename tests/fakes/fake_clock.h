// FakeClock: time moves only when a test (or SleepFor) moves it.
#pragma once

#include <chrono>
#include <vector>

#include "util/clock.h"

namespace llm::testing {

class FakeClock : public Clock {
 public:
  FakeClock() : now_(std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 50))) {}
  TimePoint Now() const override { return now_; }
  void SleepFor(std::chrono::milliseconds duration) const override {
    sleeps_.push_back(duration);
    now_ += duration;
  }
  void Advance(std::chrono::milliseconds duration) { now_ += duration; }
  const std::vector<std::chrono::milliseconds>& sleeps() const { return sleeps_; }

 private:
  mutable TimePoint now_;
  mutable std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace llm::testing
