#include "commands/workload_apply_command.h"

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

using testing::RunCli;

TEST_CASE("serve/train --dry-run=client -o yaml|json print exactly what render prints") {
  const std::vector<std::vector<std::string>> cases = {
      {"serve", "chat", "--model", "org/m", "--gpus", "8"},
      {"serve", "big", "--model", "org/m", "--gpus", "8", "--nodes", "2", "--cpu", "4", "--autoscale", "1:3"},
      {"train", "t", "--image", "reg/img:1", "--nodes", "2", "--gpus-per-node", "8", "--", "torchrun", "train.py"},
  };
  for (const auto& args : cases) {
    for (const char* format : {"yaml", "json"}) {
      std::vector<std::string> render = {"render"};
      render.insert(render.end(), args.begin(), args.end());
      std::vector<std::string> apply = args;
      // Flags go before "--" so train's trailing command stays the command.
      auto dash = std::find(apply.begin(), apply.end(), "--");
      apply.insert(dash, {"--dry-run=client", "-o", format});
      render.insert(std::find(render.begin(), render.end(), "--"), {"-o", format});
      CAPTURE(apply);
      auto expected = RunCli(render);
      auto got = RunCli(apply);
      REQUIRE(expected.code == 0);
      CHECK(got.err == "");
      CHECK(got.code == 0);
      CHECK(got.out == expected.out);
    }
  }
}

TEST_CASE("serve/train refuse bad --dry-run, -o, --timeout and --wait with a dry run") {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"serve", "chat", "--model", "org/m", "--dry-run", "maybe"},
       "error: --dry-run must be one of 'none', 'client' or 'server', got 'maybe'\n"},
      {{"serve", "chat", "--model", "org/m", "-o", "wide"},
       "error: --output must be one of 'yaml', 'json', 'name', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE', "
       "'custom-columns=SPEC' or 'custom-columns-file=FILE', got 'wide'\n"},
      {{"serve", "chat", "--model", "org/m", "--wait", "--dry-run=server"},
       "error: --wait cannot be used with --dry-run: nothing would be created to wait for\n"},
      {{"serve", "chat", "--model", "org/m", "--rollback-on-failure"},
       "error: --rollback-on-failure needs --wait: only a failed wait triggers the rollback\n"},
      {{"serve", "chat", "--model", "org/m", "--history-max", "-1"},
       "error: --history-max must be 0 (keep every revision) or more, got -1\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    auto r = RunCli(c.args);
    CHECK(r.code == 2);
    CHECK(r.err == c.err);
    CHECK(r.out.empty());
  }
  auto r = RunCli({"train", "t", "--image", "i", "--timeout", "ten", "--", "run"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--timeout") != std::string::npos);
}

TEST_CASE("serve --dry-run=client without -o names each object") {
  auto r = RunCli({"serve", "chat", "--model", "org/m", "--dry-run=client"});
  CHECK(r.code == 0);
  CHECK(r.out == "service/chat created (dry run)\ndeployment.apps/chat created (dry run)\n");
}

}  // namespace
}  // namespace llm
