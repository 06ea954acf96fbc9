#include "watchdog.h"

#include <doctest/doctest.h>

#include <atomic>
#include <future>

namespace llm::gpu_check {

using namespace std::chrono_literals;

TEST_CASE("Watchdog fires once when an armed deadline passes") {
  std::promise<std::string> reason;
  std::atomic<int> calls{0};
  Watchdog dog([&](const std::string& r) {
    if (calls++ == 0) reason.set_value(r);
  });
  auto got = reason.get_future();
  dog.Arm("nccl", 20ms);
  REQUIRE(got.wait_for(10s) == std::future_status::ready);
  CHECK(got.get() == "nccl: deadline of 0.0 s passed");
  CHECK(dog.fired());
  dog.Fire("SIGTERM");  // after firing, nothing runs again
  std::this_thread::sleep_for(20ms);
  CHECK(calls == 1);
}

TEST_CASE("Watchdog does not fire when disarmed in time") {
  std::atomic<int> calls{0};
  {
    Watchdog dog([&](const std::string&) { ++calls; });
    dog.Arm("hbm", 200ms);
    dog.Disarm();
    std::this_thread::sleep_for(300ms);
    CHECK_FALSE(dog.fired());
  }
  CHECK(calls == 0);
}

TEST_CASE("Watchdog: re-arming replaces the deadline") {
  std::atomic<int> calls{0};
  Watchdog dog([&](const std::string&) { ++calls; });
  dog.Arm("inventory", 100ms);
  dog.Arm("hbm", 1h);
  std::this_thread::sleep_for(250ms);
  CHECK(calls == 0);
}

TEST_CASE("Watchdog: Fire runs the handler now with the reason") {
  std::promise<std::string> reason;
  Watchdog dog([&](const std::string& r) { reason.set_value(r); });
  auto got = reason.get_future();
  dog.Fire("SIGTERM received");
  REQUIRE(got.wait_for(10s) == std::future_status::ready);
  CHECK(got.get() == "SIGTERM received");
}

}  // namespace llm::gpu_check
