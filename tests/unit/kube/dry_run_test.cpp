#include "kube/dry_run.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

TEST_CASE("ParseDryRun: none is always accepted, and the empty value means none") {
  CHECK(ParseDryRun("", {DryRun::kServer}).value() == DryRun::kNone);
  CHECK(ParseDryRun("none", {DryRun::kServer}).value() == DryRun::kNone);
  CHECK(ParseDryRun("client", {DryRun::kNone, DryRun::kClient, DryRun::kServer}).value() == DryRun::kClient);
  CHECK(ParseDryRun("server", {DryRun::kNone, DryRun::kClient, DryRun::kServer}).value() == DryRun::kServer);
}

TEST_CASE("ParseDryRun: a value the command does not take names the flag and what it accepts") {
  auto all = ParseDryRun("maybe", {DryRun::kNone, DryRun::kClient, DryRun::kServer});
  REQUIRE_FALSE(all.ok());
  CHECK(all.error().kind() == ErrorKind::kUsage);
  CHECK(all.error().message() == "--dry-run must be one of 'none', 'client' or 'server', got 'maybe'");
  // scale asks the server only: client is refused, in the same words.
  auto scale = ParseDryRun("client", {DryRun::kNone, DryRun::kServer});
  CHECK(scale.error().message() == "--dry-run must be one of 'none' or 'server', got 'client'");
  // kubectl's strategies are lower case; "true" (the old boolean form) is refused.
  CHECK_FALSE(ParseDryRun("Server", {DryRun::kServer}).ok());
  CHECK_FALSE(ParseDryRun("true", {DryRun::kServer}).ok());
}

}  // namespace
}  // namespace llm::kube
