#include "commands/completion_command.h"

#include <sstream>

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

#include "commands/root_command.h"

namespace llm {
namespace {

using Captured = testing::CliResult;
constexpr auto Run = testing::RunCli;

TEST_CASE("__complete offers subcommands matching the word under the cursor") {
  CHECK(Run({"__complete", "vers"}).out == "version\n:4\n");
  Captured all = Run({"__complete", ""});
  CHECK(all.out.find("version\n") != std::string::npos);
  CHECK(all.out.find("completion\n") != std::string::npos);
  CHECK(all.out.find("__complete") == std::string::npos);
  CHECK(all.out.ends_with(":4\n"));
}

TEST_CASE("__complete offers the flags of the subcommand being typed, and global ones") {
  Captured r = Run({"__complete", "version", "--o"});
  CHECK(r.code == 0);
  CHECK(r.out == "--output\n:4\n");
  CHECK(Run({"__complete", "version", "--v"}).out == "--v\n:4\n");
}

TEST_CASE("completion prints a script for each supported shell") {
  CHECK(Run({"completion", "bash"}).out.find("complete -F _kubectl_llm kubectl-llm") != std::string::npos);
  CHECK(Run({"completion", "zsh"}).out.find("compdef _kubectl_llm kubectl-llm") != std::string::npos);
  CHECK(Run({"completion", "fish"}).out.find("complete -c kubectl-llm") != std::string::npos);
}

TEST_CASE("completion refuses other shells, listing the accepted ones") {
  Captured r = Run({"completion", "tcsh"});
  CHECK(r.code == 2);
  CHECK(r.err == "error: unsupported shell 'tcsh': the accepted shells are bash, zsh and fish\n");
}

}  // namespace
}  // namespace llm
