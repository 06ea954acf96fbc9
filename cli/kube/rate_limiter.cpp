#include "kube/rate_limiter.h"

#include <algorithm>

namespace llm::kube {

RateLimiter::RateLimiter(Clock& clock, double qps, int burst)
    : clock_(clock), qps_(qps), burst_(std::max(1, burst)), tokens_(burst_), last_(clock.Monotonic()) {}

std::chrono::nanoseconds RateLimiter::Wait() {
  std::chrono::nanoseconds wait{0};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (qps_ <= 0) return wait;  // unlimited
    auto now = clock_.Monotonic();
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
    // Reserve the token now (tokens may go negative), so concurrent callers
    // queue up in order instead of all waking at once.
    tokens_ -= 1.0;
    if (tokens_ < 0) {
      wait = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(-tokens_ / qps_));
    }
  }
  if (wait.count() > 0) clock_.SleepFor(wait);
  return wait;
}

}  // namespace llm::kube
