#include "timestamp.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("FormatRfc3339") {
  using namespace std::chrono;
  CHECK(FormatRfc3339(system_clock::time_point{}) == "1970-01-01T00:00:00Z");
  CHECK(FormatRfc3339(system_clock::time_point{seconds{1'795'000'000}}) == "2026-11-18T11:06:40Z");
}

}  // namespace llm::gpu_check
