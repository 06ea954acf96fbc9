#include "util/clock.h"

#include <thread>

namespace llm {

std::chrono::system_clock::time_point SystemClock::Now() const { return std::chrono::system_clock::now(); }

std::chrono::steady_clock::time_point SystemClock::Monotonic() const { return std::chrono::steady_clock::now(); }

void SystemClock::SleepFor(std::chrono::nanoseconds duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

}  // namespace llm
