#include "util/strings.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("ASCII case and whitespace helpers") {
  CHECK(Lower("Deployment.APPS") == "deployment.apps");
  CHECK(Upper("ready") == "READY");
  CHECK(Trim("  token\n") == "token");
  CHECK(Trim(" \t tok en\r\n") == "tok en");
  CHECK(Trim("   ").empty());
  CHECK(EqualsIgnoreCase("Retry-After", "retry-after"));
  CHECK_FALSE(EqualsIgnoreCase("Retry-After", "Retry-Afte"));
}

}  // namespace
}  // namespace llm
