// RateLimiter: a client-side token bucket (client-go flowcontrol), so a loop in
// a command cannot flood the API server. Requests wait for a token; time comes
// from a Clock so tests do not sleep.
#pragma once

#include <chrono>
#include <mutex>

#include "util/clock.h"

namespace llm::kube {

/// Defaults: 20 requests/s sustained, bursts of 50. client-go's 5/10 predates API
/// Priority and Fairness (which now protects the server) and would make an
/// apply of a few dozen objects plus legacy discovery (~30 group versions) crawl;
/// 50 covers such a command unthrottled while a runaway loop stays at 20/s, a
/// small share of one APF priority level.
inline constexpr double kDefaultQps = 20.0;
inline constexpr int kDefaultBurst = 50;

class RateLimiter {
 public:
  RateLimiter(Clock& clock, double qps = kDefaultQps, int burst = kDefaultBurst);

  /// Takes one token, sleeping (through the clock) until one is available.
  /// Returns how long it waited.
  std::chrono::nanoseconds Wait();

 private:
  Clock& clock_;
  double qps_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
  std::mutex mu_;
};

}  // namespace llm::kube
