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

TEST_CASE("JoinWithOr: the list an error gives of what is accepted") {
  CHECK(JoinWithOr({}) == "");
  CHECK(JoinWithOr({"'json'"}) == "'json'");
  CHECK(JoinWithOr({"'json'", "'yaml'"}) == "'json' or 'yaml'");
  CHECK(JoinWithOr({"none", "client", "server"}) == "none, client or server");
}

}  // namespace
}  // namespace llm
