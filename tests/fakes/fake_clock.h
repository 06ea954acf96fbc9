// FakeClock: time that moves only when told to, or when someone sleeps (the
// sleep returns at once and advances both clocks). Records every sleep.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "util/clock.h"

namespace llm::testing {

class FakeClock final : public Clock {
 public:
  FakeClock() : wall_(std::chrono::system_clock::from_time_t(1'800'000'000)) {}

  std::chrono::system_clock::time_point Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return wall_;
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::chrono::steady_clock::time_point(mono_);
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
    AdvanceLocked(duration);
  }
  void Advance(std::chrono::nanoseconds duration) {
    std::lock_guard<std::mutex> lock(mu_);
    AdvanceLocked(duration);
  }
  std::vector<std::chrono::nanoseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  void AdvanceLocked(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
    mono_ += d;
  }
  mutable std::mutex mu_;
  std::chrono::system_clock::time_point wall_;
  std::chrono::nanoseconds mono_{1'000'000'000};
  std::vector<std::chrono::nanoseconds> sleeps_;
};

}  // namespace llm::testing
