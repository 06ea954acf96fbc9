#include "output/latency.h"

#include <doctest/doctest.h>

namespace llm {

TEST_CASE("a latency under a second is whole milliseconds, from a second up seconds to two decimals") {
  CHECK(FormatLatency(0) == "0ms");
  CHECK(FormatLatency(0.0854) == "85ms");
  CHECK(FormatLatency(0.9996) == "1000ms");
  CHECK(FormatLatency(1) == "1.00s");
  CHECK(FormatLatency(1.5249) == "1.52s");
  CHECK(FormatLatency(61.5) == "61.50s");
}

}  // namespace llm
