#include "commands/render_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "commands/command.h"
#include "fakes/run_cli.h"
#include "render/template_source.h"

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

}  // namespace
}  // namespace llm
