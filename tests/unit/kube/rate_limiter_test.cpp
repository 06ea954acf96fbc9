#include "kube/rate_limiter.h"

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"

namespace llm::kube {
namespace {

using std::chrono::milliseconds;

TEST_CASE("the bucket lets a burst through, then paces at qps") {
  testing::FakeClock clock;
  RateLimiter limiter(clock, /*qps=*/10, /*burst=*/3);
  for (int i = 0; i < 3; ++i) CHECK(limiter.Wait().count() == 0);
  CHECK(std::chrono::duration_cast<milliseconds>(limiter.Wait()).count() == 100);
  CHECK(std::chrono::duration_cast<milliseconds>(limiter.Wait()).count() == 100);
  CHECK(clock.sleeps().size() == 2);
}

TEST_CASE("idle time refills the bucket up to the burst") {
  testing::FakeClock clock;
  RateLimiter limiter(clock, 10, 3);
  for (int i = 0; i < 3; ++i) limiter.Wait();
  clock.Advance(std::chrono::seconds(10));
  for (int i = 0; i < 3; ++i) CHECK(limiter.Wait().count() == 0);
  CHECK(limiter.Wait().count() > 0);
}

TEST_CASE("defaults: 50 requests without waiting") {
  testing::FakeClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < kDefaultBurst; ++i) CHECK(limiter.Wait().count() == 0);
  CHECK(std::chrono::duration_cast<milliseconds>(limiter.Wait()).count() == 50);
}

}  // namespace
}  // namespace llm::kube
