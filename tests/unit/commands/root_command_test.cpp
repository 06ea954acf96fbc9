#include "commands/root_command.h"

#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "commands/command.h"
#include "fakes/run_cli.h"

namespace llm {
namespace {

using Captured = testing::CliResult;
constexpr auto Run = testing::RunCli;

TEST_CASE("kubectl's global flags are accepted before and after the subcommand, in kubectl's forms") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-v=6", "--context", "c", "version", "--client"},
           {"version", "--client", "-v=6", "-n=team-a", "--context=c"},
           {"--kubeconfig=/nonexistent", "version", "--client", "--v=8", "--as-group", "a", "--as-group", "b"},
           {"version", "--client", "--insecure-skip-tls-verify=false", "--request-timeout", "5s", "-s", "h:1"}}) {
    CAPTURE(args.front());
    Captured r = Run(args);
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("Client Version: "));
    CHECK(r.err.empty());
  }
}

TEST_CASE("a run builds the root's command it dispatches to, and those a flag's value may name before it") {
  const auto built = [](std::vector<std::string> args) {
    GlobalOptions global;
    global.args = std::move(args);
    std::istringstream in;
    std::ostringstream out, err;
    CommandContext ctx{{in, out, err}, global, Ok(), kExitOk, std::nullopt};
    std::vector<std::string> names;
    for (const CommandSpec* spec : RootCommandsToBuild(ctx)) names.emplace_back(spec->name);
    return names;
  };
  using Names = std::vector<std::string>;
  CHECK(built({"render", "serve", "chat", "--model", "m"}) == Names{"render"});  // serve: render's own
  CHECK(built({"serve", "chat", "--model", "render"}) == Names{"serve"});
  CHECK(built({"-n", "serve", "render", "serve", "chat"}) == Names{"serve", "render"});
  CHECK(built({"--warnings-as-errors", "version", "--client"}) == Names{"version"});
  CHECK(built({"-v", "6", "status"}) == Names{"status"});
  CHECK(built({"--help"}).empty());
  CHECK(built({"__complete", "serve", ""}).size() == AllCommands().size());
  // A namespace named like a command, before the command: both built, the command runs.
  Captured r = Run({"-n", "serve", "render", "serve", "chat", "--model", "org/m", "-o", "name"});
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK_MESSAGE(r.out.find("deployment.apps/chat\n") != std::string::npos, r.out);
}

TEST_CASE("a run that names no command has them all: the root's help lists each, a misspelt one is refused") {
  Captured help = Run({"--help"});
  CHECK(help.code == 0);
  for (const CommandSpec& spec : AllCommands()) {
    CAPTURE(spec.name);
    CHECK(help.out.find(fmt::format("\n  {} ", spec.name)) != std::string::npos);
  }
  Captured typo = Run({"rendr", "serve", "chat"});
  CHECK(typo.code == 2);
  CHECK_MESSAGE(typo.err.starts_with("error: The following argument was not expected: rendr"), typo.err);
  // Naming one, the run has that one alone, and its help is its own.
  Captured own = Run({"version", "--help"});
  CHECK(own.code == 0);
  CHECK_MESSAGE(own.out.find("--client") != std::string::npos, own.out);
}

TEST_CASE("a run registers the connection flags its words may name, and every one where it lists them") {
  // Unnamed, a connection flag is not registered: a word that is not a flag stays an error.
  Captured r = Run({"version", "--client", "-n", "team-a"});
  CHECK_MESSAGE(r.code == 0, r.err);
  Captured typo = Run({"version", "--client", "--kubeconfg", "/k"});
  CHECK(typo.code == 2);
  CHECK_MESSAGE(typo.err.starts_with("error: The following arguments were not expected:"), typo.err);
  CHECK_MESSAGE(typo.err.find("--kubeconfg") != std::string::npos, typo.err);
  // Help lists them all: the root's, and train's, which takes them after NAME too.
  for (const auto& args : std::vector<std::vector<std::string>>{{"train", "--help"}, {"--help"}, {}}) {
    CAPTURE(args.size());
    Captured help = Run(args);
    CHECK(help.code == 0);
    for (const char* flag : {"--kubeconfig FILE", "-n,--namespace", "--as-group", "-v,--v LEVEL", "--cache-dir"}) {
      CHECK_MESSAGE(help.out.find(flag) != std::string::npos, flag, "\n", help.out);
    }
  }
}

TEST_CASE("a bad -v value is a usage error") {
  Captured r = Run({"version", "--client", "-v=x"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("error: "));
}

TEST_CASE("a missing --kubeconfig is reported with kubectl's words when a server is needed") {
  Captured r = Run({"version", "--kubeconfig", "/nonexistent/config"});
  CHECK(r.code == 1);
  CHECK(r.err == "error: stat /nonexistent/config: no such file or directory\n");
}

TEST_CASE("a bad --request-timeout names the flag") {
  Captured r = Run({"version", "--kubeconfig", LLM_TESTDATA_DIR "/kubeconfig/a.yaml", "--request-timeout", "soon"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--request-timeout 'soon'") != std::string::npos);
}

TEST_CASE("a command may choose the exit code of its errors, usage errors stay 2") {
  // validate-nodes: 3 when it could not run (here: no kubeconfig to connect with).
  Captured cannot_run = Run({"validate-nodes", "--kubeconfig=/nonexistent/kubeconfig"});
  CHECK(cannot_run.code == 3);
  CHECK(cannot_run.err.starts_with("error: "));
  Captured usage = Run({"validate-nodes", "--max-parallel", "0", "--kubeconfig=/nonexistent/kubeconfig"});
  CHECK(usage.code == 2);
  CHECK(usage.err == "error: --max-parallel must be at least 1, got 0\n");
  // Other commands keep exit 1 for their errors.
  Captured other = Run({"version", "--kubeconfig=/nonexistent/kubeconfig"});
  CHECK(other.code == 1);
}

}  // namespace
}  // namespace llm
