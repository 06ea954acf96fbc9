// -o jsonpath and -o custom-columns against the real kubectl (the control
// plane's own build, bin/kubectl): the same templates over the same JSON,
// outputs and error messages compared byte for byte.
//
// One object: `kubectl label --local -f - x=1 --overwrite -o jsonpath=T`
// prints T over the object as read from stdin (the label is already there,
// so the object is unchanged, and --local sends nothing to the server); that
// is the only kubectl printer path for arbitrary JSON, floats included.
// A List: `kubectl get configmaps -l ... -o jsonpath=T|custom-columns=S` over
// ConfigMaps in a namespace of the test's own, against FormatDocument over
// what `kubectl get ... -o json` printed for the same selection.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"
#include "output/object_printer.h"
#include "output/output_format.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr OutputFormat kJsonOnly[] = {OutputFormat::kJson};

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/output/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Ours through the whole output layer: -o parsed as a command parses it, then
// printed as a command prints its -o json document. On failure, what root_command
// would print ("error: MESSAGE").
struct Printed {
  bool ok = false;
  std::string text;
};
Printed PrintOurs(const std::string& output, const json& document) {
  auto spec = ParseOutputFormat(output, kJsonOnly);
  if (!spec.ok()) return {false, "error: " + spec.error().message() + "\n"};
  auto text = FormatDocument(document, *spec);
  if (!text.ok()) return {false, "error: " + text.error().message()};
  return {true, *text};
}

// kubectl adds its dump of the whole object after the message; ours stops at the message.
void CheckSameResult(const CommandOutput& kubectl, const Printed& ours) {
  if (kubectl.exit_code == 0) {
    CHECK_MESSAGE(ours.ok, ours.text);
    CHECK(ours.text == kubectl.out);
    return;
  }
  REQUIRE_FALSE(ours.ok);
  if (ours.text.find("error executing jsonpath") != std::string::npos) {
    CHECK(kubectl.err.starts_with(ours.text + " Printing more information for debugging the template:\n"));
  } else {
    CHECK(ours.text == kubectl.err);
  }
}

std::vector<std::string> SortedWords(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  std::sort(words.begin(), words.end());
  return words;
}

TEST_CASE("output: -o jsonpath prints what kubectl prints, over the same object, for every template") {
  const std::string object_text = ReadTestdata("jsonpath_object.json");
  const json object = json::parse(object_text);
  std::istringstream templates(ReadTestdata("jsonpath_templates.txt"));
  int compared = 0;
  int failed_alike = 0;
  for (std::string path; std::getline(templates, path);) {
    CAPTURE(path);
    const CommandOutput kubectl = TestCluster::Get().Kubectl(
        "admin", {"label", "--local", "-f", "-", "x=1", "--overwrite", "-o", "jsonpath=" + path}, object_text);
    CheckSameResult(kubectl, PrintOurs("jsonpath=" + path, object));
    ++compared;
    if (kubectl.exit_code != 0) ++failed_alike;
  }
  CHECK(compared >= 80);
  CHECK(failed_alike >= 20);  // the error cases of the file: each refused by both, in the same words
}

TEST_CASE("output: a map's wildcard finds the same values as kubectl's (whose order is Go's random map order)") {
  const std::string object_text = ReadTestdata("jsonpath_object.json");
  for (const std::string path : {"{.spec.nodes[0].*}", "{.spec.containers[1].env[0].*}", "{.metadata.labels.*}"}) {
    CAPTURE(path);
    const CommandOutput kubectl = TestCluster::Get().Kubectl(
        "admin", {"label", "--local", "-f", "-", "x=1", "--overwrite", "-o", std::string("jsonpath=") + path},
        object_text);
    REQUIRE(kubectl.exit_code == 0);
    const Printed ours = PrintOurs(std::string("jsonpath=") + path, json::parse(object_text));
    REQUIRE(ours.ok);
    CHECK(SortedWords(ours.text) == SortedWords(kubectl.out));
  }
}

TEST_CASE("output: a List under -o jsonpath and -o custom-columns, as kubectl get prints it") {
  ScopedNamespace ns("output-templates");
  json list = json::parse(ReadTestdata("custom_columns_list.json"));
  for (json& item : list["items"]) {  // as ConfigMaps: data holds strings only, the rest stays in annotations
    json configmap = {{"apiVersion", "v1"},
                      {"kind", "ConfigMap"},
                      {"metadata",
                       {{"name", item["metadata"]["name"]},
                        {"labels", {{"x", "1"}, {"engines", std::to_string(item["spec"]["engines"].size())}}},
                        {"annotations", {{"spec", item["spec"].dump()}}}}},
                      {"data", {{"engine", item["spec"]["engines"][0]}}}};
    if (item["spec"].contains("gpus")) configmap["data"]["gpus"] = std::to_string(item["spec"]["gpus"].get<int>());
    item = configmap;
  }
  // create, not apply: apply's last-applied annotation would make two annotations, whose order under a
  // wildcard is Go's random map order.
  const CommandOutput created =
      TestCluster::Get().Kubectl("admin", {"create", "-n", ns.name(), "-f", "-"}, list.dump());
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  const std::vector<std::string> get = {"get", "configmaps", "-n", ns.name(), "-l", "x=1"};
  auto kubectl_get = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = get;
    args.insert(args.end(), extra.begin(), extra.end());
    return TestCluster::Get().Kubectl("admin", args);
  };
  // kubectl's jsonpath sees managedFields, which its -o json leaves out unless asked.
  const CommandOutput as_json = kubectl_get({"-o", "json", "--show-managed-fields"});
  REQUIRE(as_json.exit_code == 0);
  const json document = json::parse(as_json.out);
  REQUIRE(document["items"].size() == 3);

  for (const std::string output : {
           "jsonpath={.items[*].metadata.name}",
           "jsonpath={.kind} {.apiVersion} {len}",
           R"(jsonpath={range .items[*]}{.metadata.name}{"\t"}{.data.gpus}{"\n"}{end})",
           R"(jsonpath={.items[?(@.metadata.labels.engines=="2")].metadata.name})",
           "jsonpath={.items[?(@.data.gpus)].data.engine}",
           "jsonpath={.items[-1:].metadata.labels}",
           "jsonpath={.items[3].metadata.name}",
           "jsonpath={.items[0].metadata}",
           "custom-columns=NAME:.metadata.name,GPUS:.data.gpus,ENGINE:data.engine",
           "custom-columns=name:{.metadata.name},LABELS:{.metadata.labels},ENGINES:.metadata.labels.engines",
           "custom-columns=N:.metadata.name,ALL:.metadata.annotations.*,NONE:",
           "custom-columns=N:.metadata.name,X:.items[5]",
           "custom-columns=NAME",
           "custom-columns=N:{.a}{.b}",
           "custom-columns=N:.a[",
       }) {
    CAPTURE(output);
    const CommandOutput kubectl = kubectl_get({"-o", output});
    Printed ours = PrintOurs(output, document);
    // kubectl's own spec errors have no flag in front; ours name --output.
    const std::string flag = "error: --output custom-columns: ";
    if (!ours.ok && ours.text.starts_with(flag)) ours.text = "error: " + ours.text.substr(flag.size());
    CheckSameResult(kubectl, ours);
  }

  const CommandOutput no_headers = kubectl_get({"-o", "custom-columns=NAME:.metadata.name", "--no-headers"});
  auto columns = ParseOutputFormat("custom-columns=NAME:.metadata.name", kJsonOnly);
  REQUIRE(columns.ok());
  CHECK(FormatDocument(document, *columns, /*no_headers=*/true).value() == no_headers.out);
}

}  // namespace
}  // namespace llm::testing
