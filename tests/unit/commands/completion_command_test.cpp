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

TEST_CASE("__complete offers a flag's values: fixed ones by command, files and directories by directive") {
  CHECK(Run({"__complete", "serve", "x", "--backend", ""}).out == "deployment\nleaderworkerset\n:4\n");
  CHECK(Run({"__complete", "train", "x", "--backend", "j"}).out == "jobset\n:4\n");
  CHECK(Run({"__complete", "sweep", "x", "--backend", ""}).out == "jobset\nindexed-job\n:4\n");
  CHECK(Run({"__complete", "serve", "x", "--engine", ""}).out.starts_with("vllm\n"));
  CHECK(Run({"__complete", "status", "-o", "j"}).out == "json\njsonpath=\njsonpath-file=\n:4\n");
  CHECK(Run({"__complete", "delete", "x", "--dry-run", ""}).out == "none\nclient\nserver\n:4\n");
  CHECK(Run({"__complete", "delete", "x", "--cascade", "f"}).out == "foreground\n:4\n");
  CHECK(Run({"__complete", "sweep", "x", "--mode", ""}).out == "min\nmax\n:4\n");
  // Cobra's directives: 0 lets the shell offer file names, 16 directories.
  CHECK(Run({"__complete", "serve", "x", "-f", ""}).out == ":0\n");
  CHECK(Run({"__complete", "train", "x", "--patch", "jo"}).out == ":0\n");
  CHECK(Run({"__complete", "status", "--kubeconfig", ""}).out == ":0\n");
  CHECK(Run({"__complete", "render", "serve", "x", "--templates", ""}).out == ":16\n");
  // The trailing command's words are the user's: files, as a shell would offer.
  CHECK(Run({"__complete", "train", "t", "--image", "i", "--", "torchrun", ""}).out == ":0\n");
  // A flag with no known values, and a NAME that is new (serve creates it): nothing.
  CHECK(Run({"__complete", "serve", "x", "--model", ""}).out == ":4\n");
  CHECK(Run({"__complete", "serve", ""}).out == ":4\n");
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
