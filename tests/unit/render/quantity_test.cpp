#include "render/quantity.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("Quantities follow resource.Quantity's grammar") {
  for (const char* ok : {"1", "500m", "0.5", ".5", "5.", "16Gi", "1Ki", "2Ei", "1e3", "1E-2", "+4", "100k", "1M", "3n",
                         "7u", "2P", "1T"}) {
    CAPTURE(ok);
    CHECK(CheckQuantity(ok, "--memory").ok());
  }
  for (const char* bad :
       {"", "Gi", "-1", "1GiB", "1gi", "1 Gi", "1.2.3", "1e", "1e+", "1K", "one", ".", "1Gi\n", "1mi", "0x10"}) {
    CAPTURE(bad);
    const Status s = CheckQuantity(bad, "--memory");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().starts_with("--memory: '"));
    CHECK(s.error().kind() == ErrorKind::kUsage);
  }
}

TEST_CASE("Positive quantities refuse zero") {
  CHECK(CheckPositiveQuantity("1m", "--cpu").ok());
  for (const char* zero : {"0", "0.0", "0Gi", "0e3"}) {
    CAPTURE(zero);
    const Status s = CheckPositiveQuantity(zero, "--cpu");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message() == std::string("--cpu: must be greater than zero, got '") + zero + "'");
  }
}

}  // namespace
}  // namespace llm
