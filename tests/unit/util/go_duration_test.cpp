#include "util/go_duration.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using std::chrono::milliseconds;

TEST_CASE("durations are written as Go's time.Duration.String writes them") {
  // Expected values printed by Go: fmt.Println(time.Duration(n) * time.Millisecond).
  const std::pair<long long, const char*> cases[] = {
      {0, "0s"},        {1, "1ms"},         {500, "500ms"},      {999, "999ms"},         {1000, "1s"},
      {1500, "1.5s"},   {1250, "1.25s"},    {1001, "1.001s"},    {5000, "5s"},           {32000, "32s"},
      {60000, "1m0s"},  {90500, "1m30.5s"}, {3600000, "1h0m0s"}, {3723250, "1h2m3.25s"}, {-1500, "-1.5s"},
      {-250, "-250ms"},
  };
  for (const auto& [ms, text] : cases) {
    CAPTURE(ms);
    CHECK(GoDurationString(milliseconds(ms)) == text);
  }
}

}  // namespace
}  // namespace llm
