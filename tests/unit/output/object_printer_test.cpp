#include "output/object_printer.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

namespace llm {
namespace {

const nlohmann::json kDeployment = {
    {"apiVersion", "apps/v1"},
    {"kind", "Deployment"},
    {"metadata",
     {{"name", "chat"},
      {"labels", {{"app.kubernetes.io/instance", "chat"}}},
      {"annotations", nlohmann::json::object()}}},
    {"spec",
     {{"replicas", 2},
      {"paused", false},
      {"template", {{"spec", {{"containers", {{{"name", "vllm"}, {"args", {"--port", "8000"}}}}}}}}}}}};

TEST_CASE("YAML in block style with keys in the JSON's (sorted) order") {
  CHECK(ToYaml(kDeployment) ==
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  annotations: {}\n"
        "  labels:\n"
        "    app.kubernetes.io/instance: chat\n"
        "  name: chat\n"
        "spec:\n"
        "  paused: false\n"
        "  replicas: 2\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - args:\n"
        "            - --port\n"
        "            - \"8000\"\n"
        "          name: vllm\n");
}

TEST_CASE("ordered_json keeps insertion order") {
  nlohmann::ordered_json doc = {{"kind", "WorkloadStatusList"},
                                {"apiVersion", "kubectl-llm.dev/v1alpha1"},
                                {"items", nlohmann::ordered_json::array()}};
  CHECK(ToYaml(doc) == "kind: WorkloadStatusList\napiVersion: kubectl-llm.dev/v1alpha1\nitems: []\n");
}

TEST_CASE("strings that would read back as another type are quoted, they round-trip") {
  const char* tricky[] = {"true", "no",          "Yes",  "off",        "null",     "~",       "",           "8000",
                          "1.0",  "1e3",         "0x1F", "0o17",       ".inf",     "1:20",    "2026-11-28", "=",
                          "<<",   "multi\nline", "- a",  "key: value", "#comment", " padded "};
  for (const char* s : tricky) {
    CAPTURE(s);
    std::string yaml = ToYaml(nlohmann::json{{"v", s}});
    YAML::Node node = YAML::Load(yaml);
    CHECK(node["v"].Tag() != "?");  // quoted scalars carry the "!" (non-specific) tag, plain ones "?"
    CHECK(node["v"].as<std::string>() == s);
  }
  CHECK(ToYaml(nlohmann::json{{"v", "8Gi"}}) == "v: 8Gi\n");  // no quotes where none are needed
  CHECK(ToYaml(nlohmann::json{{"n", nullptr}, {"f", 0.5}, {"i", -3}, {"b", true}}) ==
        "b: true\nf: 0.5\ni: -3\n\"n\": null\n");  // "n" is a YAML 1.1 boolean key
}

TEST_CASE("JSON is indented by four spaces, as kubectl prints it") {
  CHECK(ToJson(nlohmann::json{{"a", {1}}}) == "{\n    \"a\": [\n        1\n    ]\n}\n");
}

TEST_CASE("-o name and lists") {
  CHECK(ResourceName(kDeployment) == "deployment.apps/chat");
  CHECK(ResourceName({{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "chat-0"}}}}) == "pod/chat-0");
  CHECK(ResourceName({{"apiVersion", "leaderworkerset.x-k8s.io/v1"},
                      {"kind", "LeaderWorkerSet"},
                      {"metadata", {{"name", "chat"}}}}) == "leaderworkerset.leaderworkerset.x-k8s.io/chat");
  nlohmann::json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "chat-0"}}}};
  CHECK(FormatObjectList({kDeployment, pod}, OutputFormat::kName).value() == "deployment.apps/chat\npod/chat-0\n");
  CHECK(FormatObjectList({pod}, OutputFormat::kYaml).value() ==
        "apiVersion: v1\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: chat-0\nkind: List\n"
        "metadata:\n  resourceVersion: \"\"\n");
  auto json = nlohmann::json::parse(FormatObjectList({pod}, OutputFormat::kJson).value());
  CHECK(json["kind"] == "List");
  CHECK(FormatObject(pod, OutputFormat::kName).value() == "pod/chat-0\n");
  CHECK(FormatObject(pod, OutputFormat::kJson).value() == ToJson(pod));
  CHECK_FALSE(FormatObject(pod, OutputFormat::kWide).ok());
}

TEST_CASE("FormatDocument: jsonpath over the whole List, custom columns a row per item") {
  nlohmann::json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "chat-0"}}}};
  const OutputSpec names = ParseOutputFormat("jsonpath={.items[*].metadata.name}", {OutputFormat::kJson}).value();
  CHECK(FormatObjectList({kDeployment, pod}, names).value() == "chat chat-0");
  CHECK(FormatObject(pod, ParseOutputFormat("jsonpath={.kind}", {OutputFormat::kJson}).value()).value() == "Pod");
  const OutputSpec columns =
      ParseOutputFormat("custom-columns=KIND:.kind,NAME:.metadata.name", {OutputFormat::kJson}).value();
  CHECK(FormatObjectList({kDeployment, pod}, columns).value() ==
        "KIND         NAME\nDeployment   chat\nPod          chat-0\n");
  CHECK(FormatDocument(nlohmann::json{{"items", {pod}}}, columns, /*no_headers=*/true).value() == "Pod   chat-0\n");
  nlohmann::ordered_json document = {{"kind", "Report"}, {"items", nlohmann::ordered_json::array()}};
  CHECK(FormatDocument(document, OutputFormat::kJson).value() ==
        "{\n    \"kind\": \"Report\",\n    \"items\": []\n}\n");  // its own key order
}

TEST_CASE("FormatDocument: a template the document cannot answer is kubectl's execution error") {
  const OutputSpec spec = ParseOutputFormat("jsonpath={.items[3]}", {OutputFormat::kJson}).value();
  auto text = FormatObjectList({kDeployment}, spec);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().kind() == ErrorKind::kInvalidInput);
  CHECK(text.error().message() ==
        "error executing jsonpath \"{.items[3]}\": Error executing template: array index out of bounds: index 3, "
        "length 1.");
}

}  // namespace
}  // namespace llm
