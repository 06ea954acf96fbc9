#include "options.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("ParseOptions: defaults") {
  auto o = ParseOptions({});
  REQUIRE(o.ok());
  CHECK(o->tests.size() == AllChecks().size());
  CHECK(o->profile == "quick");
  CHECK(o->termination_log_path == "/dev/termination-log");
  CHECK(o->expect_gpus == 0);
  CHECK_FALSE(o->world_size.has_value());
  CHECK_FALSE(o->rank.has_value());
  CHECK_FALSE(o->list);
}

TEST_CASE("ParseOptions: every flag") {
  auto o = ParseOptions({"--tests", "hbm,pcie", "--expect-gpus", "8", "--profile", "full", "--thresholds", "t.json",
                         "--json", "out.json", "--termination-log", "", "--timeout", "90", "--world-size", "2",
                         "--rank", "1", "--list"});
  REQUIRE(o.ok());
  CHECK(o->tests == std::vector<CheckId>{CheckId::kHbm, CheckId::kPcie});
  CHECK(o->expect_gpus == 8);
  CHECK(o->profile == "full");
  CHECK(o->thresholds_path == "t.json");
  CHECK(o->json_path == "out.json");
  CHECK(o->termination_log_path.empty());
  CHECK(o->timeout_s == 90);
  CHECK(o->world_size == 2);
  CHECK(o->rank == 1);
  CHECK(o->list);
}

TEST_CASE("ParseOptions: usage errors exit 64 and name the flag") {
  struct Case {
    std::vector<std::string> args;
    const char* contains;
  };
  const Case cases[] = {
      {{"--tests", "gpu"}, "--tests: unknown test \"gpu\""},
      {{"--profile", "slow"}, "--profile: \"slow\" is not a profile"},
      {{"--expect-gpus", "many"}, "--expect-gpus"},
      {{"--world-size", "0"}, "--world-size"},
      {{"--frobnicate"}, "--frobnicate"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args.front());
    auto o = ParseOptions(c.args);
    REQUIRE_FALSE(o.ok());
    CHECK(o.failure().code() == ExitCode::kUsage);
    CHECK(o.failure().message().find(c.contains) != std::string::npos);
  }
}

TEST_CASE("ParseOptions: --help returns the help text") {
  auto o = ParseOptions({"--help"});
  REQUIRE(o.ok());
  CHECK(o->help);
  CHECK(o->help_text.find("--expect-gpus") != std::string::npos);
}

}  // namespace llm::gpu_check
