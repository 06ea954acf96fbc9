#include "commands/render_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/command.h"
#include "fakes/run_cli.h"
#include "render/template_source.h"
#include "render/workload.h"

namespace llm {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;

TEST_CASE("render --templates DIR uses the user's copy") {
  const fs::path dir = fs::temp_directory_path() / ("llm-templates-" + std::to_string(::getpid()));
  for (const EmbeddedFile& f : EmbeddedTemplates()) {
    fs::create_directories((dir / std::string(f.path)).parent_path());
    std::string content(f.content);
    if (f.path == "serve/service.yaml.mustache") content.replace(content.find("type: ClusterIP"), 15, "type: NodePort");
    std::ofstream(dir / std::string(f.path), std::ios::binary) << content;
  }
  auto r = RunCli({"render", "serve", "chat", "--model", "org/m", "--templates", dir.string()});
  CHECK(r.code == 0);
  CHECK(r.out.find("  type: NodePort\n") != std::string::npos);
  fs::remove(dir / "serve/deployment.yaml.mustache");
  r = RunCli({"render", "serve", "chat", "--model", "org/m", "--templates", dir.string()});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "error: --templates: cannot read " + dir.string() + "/serve/deployment.yaml.mustache\n");
  fs::remove_all(dir);
}

TEST_CASE("render -o json prints one v1 List") {
  auto r = RunCli({"render", "gpu-check", "chk", "-o", "json"});
  REQUIRE(r.code == 0);
  const auto list = nlohmann::json::parse(r.out);
  CHECK(list["kind"] == "List");
  CHECK(list["items"][0]["kind"] == "Pod");
}

TEST_CASE("render -o name, -o jsonpath and -o custom-columns read that List") {
  auto r = RunCli({"render", "serve", "chat", "--model", "org/m", "-o", "name"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "service/chat\ndeployment.apps/chat\n");
  r = RunCli({"render", "serve", "chat", "--model", "org/m", "-o", "jsonpath={.items[*].kind}"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "Service Deployment");
  r = RunCli(
      {"render", "serve", "chat", "--model", "org/m", "-o", "custom-columns=KIND:.kind,PORT:.spec.ports[0].port"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "KIND         PORT\nService      8000\nDeployment   <none>\n");
  r = RunCli({"render", "serve", "chat", "--model", "org/m", "-o", "jsonpath={.items[9]}"});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: error executing jsonpath \"{.items[9]}\": Error executing template: array index out of bounds: index "
        "9, length 2.\n");
  r = RunCli({"render", "serve", "chat", "--model", "org/m", "-o", "custom-columns=KIND"});
  CHECK(r.code == 2);
  CHECK(
      r.err.starts_with("error: --output custom-columns: unexpected custom-columns spec: KIND, expected "
                        "<header>:<json-path-expr>\n"));
}

TEST_CASE("render needs a workload and lists them in help") {
  auto r = RunCli({"render"});
  CHECK(r.code == 2);
  r = RunCli({"render", "--help"});
  CHECK(r.code == 0);
  for (const char* w : {"serve", "train", "gpu-check"}) CHECK(r.out.find(w) != std::string::npos);
  r = RunCli({"render", "serve", "--help"});
  CHECK(r.out.find("--tensor-parallel") != std::string::npos);
  CHECK(r.out.find("--patch KIND/NAME=FILE") != std::string::npos);
}

TEST_CASE("workload help shows what each flag takes, once: no CLI11 'TEXT ...' and no '{}'") {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"serve", "--help"},
                                               {"train", "--help"},
                                               {"render", "serve", "--help"},
                                               {"render", "gpu-check", "--help"}}) {
    const auto r = RunCli(args);
    CAPTURE(args.front());
    REQUIRE(r.code == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("  -")) CHECK_MESSAGE(line.find(" ...") == std::string::npos, line);  // one value per use
    }
    CHECK(r.out.find("{}") == std::string::npos);
  }
  const auto serve = RunCli({"serve", "--help"}).out;
  for (const char* shown : {"  --gpus N ", "  --env KEY=VALUE ", "  -f,--values FILE ", "  --autoscale MIN:MAX ",
                            "  --toleration KEY[=VALUE][:EFFECT]", "  --require-validated[=MAX_AGE]\n"}) {
    CHECK_MESSAGE(serve.find(shown) != std::string::npos, shown);
  }
}

TEST_CASE("every command's help says what each value is: no CLI11 TEXT, no ' ...', no '{}'") {
  std::vector<std::vector<std::string>> helps = {{"--help"}};
  for (const CommandSpec& command : AllCommands()) helps.push_back({command.name, "--help"});
  for (const std::vector<std::string>& args : helps) {
    const auto r = RunCli(args);
    CAPTURE(args.front());
    REQUIRE(r.code == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("  ")) continue;
      for (const char* type : {" TEXT", " INT ", " FLOAT", " ...", "REQUIRED"}) {
        CHECK_MESSAGE(line.substr(0, std::min<size_t>(line.size(), 30)).find(type) == std::string::npos, line);
      }
    }
    CHECK(r.out.find("{}") == std::string::npos);
  }
  const auto root = RunCli({"--help"}).out;
  for (const char* shown : {"  --kubeconfig FILE ", "  -n,--namespace NAMESPACE ", "  -v,--v LEVEL "}) {
    CHECK_MESSAGE(root.find(shown) != std::string::npos, shown);
  }
  const auto status = RunCli({"status", "--help"}).out;
  CHECK(status.find("  -l,--selector SELECTOR ") != std::string::npos);
  CHECK(status.find("  -L,--label-columns KEY[,KEY]") != std::string::npos);
  CHECK(status.find("  NAME  ") != std::string::npos);  // a positional by its name alone
}

TEST_CASE("every example in a command's help names flags that command has, and render's examples run") {
  const std::string root = RunCli({"--help"}).out;
  size_t examples = 0;
  for (const CommandSpec& command : AllCommands()) {
    const std::string help = RunCli({command.name, "--help"}).out;
    std::istringstream lines(command.examples);
    for (std::string line; std::getline(lines, line);) {
      const size_t at = line.find("kubectl llm ");
      if (at == std::string::npos) continue;
      ++examples;
      std::istringstream words(line.substr(at + 12));
      std::vector<std::string> args;
      for (std::string word; words >> word;) args.push_back(word);
      CAPTURE(line);
      REQUIRE(args.front() == command.name);
      // render's flags are its subcommand's (render serve, render train).
      const std::string flags = args.front() == "render" ? RunCli({"render", args.at(1), "--help"}).out : help;
      for (const std::string& word : args) {
        if (word == "--") break;  // the training command's own flags follow
        if (!word.starts_with("-")) continue;
        const std::string flag = word.substr(0, word.find('='));
        const std::string shown = flag.starts_with("--") ? flag : flag + ",";
        CHECK_MESSAGE((flags.find(shown) != std::string::npos || root.find(shown) != std::string::npos), flag);
      }
      if (command.name == std::string("render")) {
        auto r = RunCli(args);
        CHECK_MESSAGE(r.code == 0, r.err);
      }
    }
  }
  CHECK(examples >= 30);
  const std::string serve = RunCli({"serve", "--help"}).out;
  CHECK(serve.find("Examples:") != std::string::npos);
  CHECK(root.find("Deploy:\n  serve ") != std::string::npos);
  CHECK(root.find("Nodes:\n  nodes ") != std::string::npos);
}

TEST_CASE("gpu-check runs with least privilege, pinned to its node") {
  auto r = RunCli({"render", "gpu-check", "chk", "--node", "gpu-node-0", "-o", "json"});
  REQUIRE(r.code == 0);
  const auto pod = nlohmann::json::parse(r.out)["items"][0];
  CHECK(pod["spec"]["nodeName"] == "gpu-node-0");
  CHECK(pod["spec"]["automountServiceAccountToken"] == false);
  CHECK(pod["spec"]["restartPolicy"] == "Never");
  CHECK(pod["spec"]["securityContext"]["runAsNonRoot"] == true);
  CHECK(pod["spec"]["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault");
  const auto& c = pod["spec"]["containers"][0];
  CHECK(c["securityContext"]["allowPrivilegeEscalation"] == false);
  CHECK(c["securityContext"]["capabilities"]["drop"] == nlohmann::json::array({"ALL"}));
  CHECK_FALSE(c["securityContext"]["capabilities"].contains("add"));
  CHECK(c["args"] ==
        nlohmann::json::array({"--profile", "quick", "--expect-gpus", "8", "--json", "/results/result.json"}));
  CHECK(c["resources"]["limits"]["nvidia.com/gpu"] == 8);
  CHECK(c["terminationMessagePath"] == "/dev/termination-log");
}

TEST_CASE("--require-validated adds the pass label's node affinity to every pod template") {
  auto r = RunCli({"render", "serve", "chat", "--model", "org/m", "--require-validated", "-o", "json"});
  REQUIRE(r.code == 0);
  const nlohmann::json requirement = {{"key", "kubectl-llm.dev/gpu-check"}, {"operator", "In"}, {"values", {"pass"}}};
  int templates = 0;
  const nlohmann::json served = nlohmann::json::parse(r.out);
  for (const auto& object : served["items"]) {
    if (object["kind"] != "Deployment") continue;
    const auto& terms = object["spec"]["template"]["spec"]["affinity"]["nodeAffinity"]
                              ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
    REQUIRE(terms.size() == 1);
    CHECK(terms[0]["matchExpressions"] == nlohmann::json::array({requirement}));
    ++templates;
  }
  CHECK(templates == 1);

  // The flag never takes the next word, so NAME may follow it; MAX_AGE needs '='.
  r = RunCli({"render", "train", "--require-validated=7d", "ft", "--image", "img", "--nodes", "2", "--backend",
              "indexed-job", "-o", "json", "--", "python", "train.py"});
  REQUIRE(r.code == 0);
  const nlohmann::json trained = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& object : trained["items"]) {
    if (object["kind"] == "Job") {
      found =
          object["spec"]["template"]["spec"]["affinity"].dump().find("kubectl-llm.dev/gpu-check") != std::string::npos;
    }
  }
  CHECK(found);

  r = RunCli({"render", "serve", "chat", "--model", "org/m", "--require-validated=soon"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("error: invalid --require-validated \"soon\""));
  r = RunCli({"render", "gpu-check", "chk", "--require-validated"});
  CHECK(r.code == 2);
}

/// What a workload's flags parse `words` into, registered as a run of those
/// words registers them (or, `lists_flags`, all of them), and which it registered.
struct ParsedWorkloadFlags {
  RenderRequest request;
  std::optional<std::string> templates_dir;
  std::string require_validated_age;
  std::vector<std::string> registered;
  size_t positionals = 0;
};

ParsedWorkloadFlags ParseWorkloadFlags(std::string_view workload, const std::vector<std::string>& words,
                                       bool lists_flags) {
  GlobalOptions global;
  global.args = words;
  global.lists_flags = lists_flags;
  RenderOptions options;
  CLI::App app;
  AddWorkloadFlags(app, *FindWorkload(workload), options, global);
  app.parse(std::vector<std::string>(words.rbegin(), words.rend()));
  REQUIRE(FinishWorkloadFlags(app, options).ok());
  ParsedWorkloadFlags parsed{options.request, options.templates_dir, options.require_validated_age, {}};
  for (const CLI::Option* option : app.get_options()) {
    if (option->nonpositional() && option->get_name() != "--help") parsed.registered.push_back(option->get_name());
    if (!option->nonpositional()) ++parsed.positionals;
  }
  return parsed;
}

TEST_CASE("a workload command registers the flags its words may name, and parses them as with every flag") {
  for (const auto& [workload, words] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"serve", {"chat", "--model", "org/m", "--gpus=8", "--nodes", "2", "--set", "port=9000"}},
           {"serve", {"chat", "-f", "a.yaml", "--values=b.yaml", "--monitor", "--env", "A=1", "--env", "B=2"}},
           {"serve", {"--require-validated=7d", "chat", "--templates", "/t", "--patch", "Service/chat=p.yaml"}},
           {"train", {"ft", "--image", "img", "--nodes", "2", "--", "python", "--gpus", "8", "-f"}},
       }) {
    CAPTURE(workload);
    CAPTURE(words.front());
    const ParsedWorkloadFlags all = ParseWorkloadFlags(workload, words, /*lists_flags=*/true);
    const ParsedWorkloadFlags named = ParseWorkloadFlags(workload, words, /*lists_flags=*/false);
    CHECK(named.request.name == all.request.name);
    CHECK(named.request.flags == all.request.flags);
    CHECK(named.request.value_files == all.request.value_files);
    CHECK(named.request.set_values == all.request.set_values);
    CHECK(named.request.patches == all.request.patches);
    CHECK(named.request.trailing == all.request.trailing);
    CHECK(named.request.require_validated_nodes == all.request.require_validated_nodes);
    CHECK(named.require_validated_age == all.require_validated_age);
    CHECK(named.templates_dir == all.templates_dir);
    CHECK(named.registered.size() < all.registered.size());
  }
  // Only the named ones: a value after "--" (train's command) names none.
  using Names = std::vector<std::string>;
  CHECK(ParseWorkloadFlags("serve", {"chat", "--model", "m", "--gpus=8", "-f", "v.yaml"}, false).registered ==
        Names{"--values", "--model", "--gpus"});
  CHECK(ParseWorkloadFlags("train", {"ft", "--image", "i", "--", "python", "--gpus", "8"}, false).registered ==
        Names{"--image"});
  CHECK(ParseWorkloadFlags("serve", {"chat"}, true).registered.size() > 30);
  // train's command: a positional per word the run has (NAME's and COMMAND's, up to 256 words).
  std::vector<std::string> long_command = {"ft", "--image", "i", "--", "python", "train.py"};
  for (int i = 0; i < 40; ++i) long_command.push_back(i % 2 == 0 ? "--lr" : "[1,2]");
  const ParsedWorkloadFlags long_all = ParseWorkloadFlags("train", long_command, true);
  const ParsedWorkloadFlags long_named = ParseWorkloadFlags("train", long_command, false);
  CHECK(long_named.request.trailing.size() == 42);
  CHECK(long_named.request.trailing == long_all.request.trailing);
  CHECK(long_named.positionals == 1 + long_command.size());
  std::vector<std::string> too_long = {"ft", "--"};
  too_long.resize(2 + 257, "w");
  CHECK_THROWS_AS(ParseWorkloadFlags("train", too_long, false), CLI::ExtrasError);

  // Through the whole command: a misspelt flag is refused as before, and help lists every flag.
  auto typo = RunCli({"render", "serve", "chat", "--model", "org/m", "--gpu", "8"});
  CHECK(typo.code == 2);
  CHECK_MESSAGE(typo.err.find("--gpu") != std::string::npos, typo.err);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"render", "serve", "--help"}, {"serve", "-h"}, {"render", "serve", "chat", "--model", "m", "-h"}}) {
    CAPTURE(args[1]);
    auto help = RunCli(args);
    CHECK(help.code == 0);
    for (const char* flag : {"--gpus N", "--tensor-parallel", "--values FILE", "--set KEY=VALUE", "--templates DIR",
                             "--require-validated[=MAX_AGE]"}) {
      CHECK_MESSAGE(help.out.find(flag) != std::string::npos, flag, "\n", help.out);
    }
  }
}

}  // namespace
}  // namespace llm
