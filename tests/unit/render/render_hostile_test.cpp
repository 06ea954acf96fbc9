// Hostile values: every string a user can give (flags, --set, values files,
// NAME, the train command) is fed quotes, newlines, YAML indicators, document
// markers, mustache tags, unicode and 10 KB strings. Either the output parses to
// exactly the structure a harmless value gives, with the value intact as a
// string, or the command refuses it clearly (exit 2, nothing printed, the
// message names where the value came from). Never a new key, item or document.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "fakes/run_cli.h"
#include "util/yaml_document.h"
#include "util/yaml_scalar.h"

namespace llm {
namespace {

using testing::RunCli;

constexpr std::string_view kMarker = "hostilemarker";

const std::vector<std::string>& Payloads() {
  static const std::vector<std::string> payloads = {
      "quote\"d",
      "single'q",
      "new\nline",
      "colon: space",
      "# hash",
      "a #comment",
      "{brace}",
      "---",
      "...",
      "&anchor",
      "*alias",
      "!!tag",
      "!local",
      "? key",
      "| block",
      "> folded",
      "%TAG",
      "@at",
      "`tick",
      "unicode \xC3\xBC\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x99\x82",
      std::string(10240, 'x'),
      "{{name}}",
      "{{{name}}}",
      "back\\slash",
      "- dash",
      "[list]",
      "null",
      "~",
      "true",
      "no",
      "8080",
      "1e3",
      "0x1F",
      "tab\tx",
      " lead",
      "trail ",
      "",
      "line\xE2\x80\xA8sep",
      "cr\rlf",
      "a\n---\nkind: Secret\nmetadata:\n  name: x",
      "x\n  injected: true",
      "$(HOME)",
      "a,b",
      "k=v",
  };
  return payloads;
}

/// Replaces kMarker by `value` in every string and key of `j`.
Json Substitute(const Json& j, const std::string& value) {
  const auto sub = [&](std::string s) {
    for (size_t pos = 0; (pos = s.find(kMarker, pos)) != std::string::npos; pos += value.size()) {
      s.replace(pos, kMarker.size(), value);
    }
    return s;
  };
  if (j.is_string()) return sub(j.get<std::string>());
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& item : j) out.push_back(Substitute(item, value));
    return out;
  }
  if (j.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : j.items()) out[sub(k)] = Substitute(v, value);
    return out;
  }
  return j;
}

/// One way to give a value: args with kMarker where the value goes, and the
/// text an error must name. `file` is a values file template (YAML, with kMarker
/// standing for the value written as a YAML double-quoted scalar).
struct Injection {
  std::vector<std::string> args;
  std::string origin;
  std::string file;
  /// The flag's own separators (the '=' of K=V) where the value sits in the key:
  /// payloads holding them are parsed as the user's syntax, not as a hostile value.
  std::string separators = "";
};

std::vector<std::string> Replace(const std::vector<std::string>& args, const std::string& value) {
  std::vector<std::string> out;
  for (std::string a : args) {
    for (size_t pos = 0; (pos = a.find(kMarker, pos)) != std::string::npos; pos += value.size()) {
      a.replace(pos, kMarker.size(), value);
    }
    out.push_back(a);
  }
  return out;
}

std::vector<Json> Render(const std::vector<std::string>& args, int* code, std::string* err) {
  auto r = RunCli(args);
  *code = r.code;
  *err = r.err;
  if (r.code != 0) {
    CHECK(r.out.empty());
    return {};
  }
  auto docs = ParseYamlDocuments(r.out, "output");
  REQUIRE(docs.ok());
  return *docs;
}

void CheckInjection(const Injection& inj) {
  const std::string values_path =
      (std::filesystem::temp_directory_path() / ("llm-hostile-" + std::to_string(::getpid()) + ".yaml")).string();
  const auto run = [&](const std::string& value, int* code, std::string* err) {
    std::vector<std::string> args = Replace(inj.args, value);
    if (!inj.file.empty()) {
      std::string text = inj.file;
      text.replace(text.find(kMarker), kMarker.size(), YamlDoubleQuote(value));
      std::ofstream(values_path, std::ios::binary) << text;
      args.insert(args.end(), {"-f", values_path});
    }
    return Render(args, code, err);
  };
  int code = 0;
  std::string err;
  const std::vector<Json> baseline = run(std::string(kMarker), &code, &err);
  // Numbers, quantities and enums do not accept the marker; a payload they do
  // accept ("8080" as a port) must still give the same objects.
  const bool typed = code != 0;
  std::string joined;
  for (const std::string& a : inj.args) joined += a + " ";
  CAPTURE(joined);
  for (const std::string& payload : Payloads()) {
    if (payload.find_first_of(inj.separators) != std::string::npos) continue;
    if (payload.empty() && inj.origin == "--namespace") continue;  // kubectl: -n "" means no namespace
    CAPTURE(payload);
    const std::vector<Json> docs = run(payload, &code, &err);
    if (code == 0 && typed) {
      CHECK(!docs.empty());
      for (const Json& doc : docs) CHECK(doc["metadata"]["name"].is_string());
    } else if (code == 0) {
      REQUIRE(docs.size() == baseline.size());
      for (size_t i = 0; i < docs.size(); ++i) CHECK(docs[i] == Substitute(baseline[i], payload));
    } else {
      CHECK(code == 2);
      CHECK(err.starts_with("error: "));
      CHECK_MESSAGE(err.find(inj.origin) != std::string::npos, err);
    }
  }
  std::remove(values_path.c_str());
}

const std::vector<std::string> kServe = {"render", "serve", "chat", "--model", "org/model", "--gpus", "2"};
const std::vector<std::string> kTrain = {"render", "train", "job", "--image", "img:1", "--nodes", "2"};
const std::vector<std::string> kCheck = {"render", "gpu-check", "chk"};

std::vector<std::string> With(const std::vector<std::string>& base, std::vector<std::string> extra) {
  std::vector<std::string> out = base;
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

TEST_CASE("hostile values in serve flags keep the structure or are refused") {
  const std::string m(kMarker);
  const std::vector<Injection> injections = {
      {{"render", "serve", m, "--model", "org/model"}, "NAME", "", ""},
      {With(kServe, {"-n", m}), "--namespace", "", ""},
      {{"render", "serve", "chat", "--model=" + m}, "--model", "", ""},
      {{"render", "serve", "chat", "--model=org/" + m}, "--model", "", ""},
      {With(kServe, {"--engine=" + m}), "--engine", "", ""},
      {With(kServe, {"--image=" + m}), "--image", "", ""},
      {With(kServe, {"--env", "K=" + m}), "--env", "", ""},
      {With(kServe, {"--env", m + "=v"}), "--env", "", "="},
      {With(kServe, {"--arg=" + m}), "--arg", "", ""},
      {With(kServe, {"--arg=--x", "--arg=" + m}), "--arg", "", ""},
      {With(kServe, {"--hf-token-secret=" + m}), "--hf-token-secret", "", ""},
      {With(kServe, {"--hf-token-secret=hf:" + m}), "--hf-token-secret", "", ""},
      {With(kServe, {"--model-cache-pvc=" + m}), "--model-cache-pvc", "", ""},
      {With(kServe, {"--gpu-product=" + m}), "--gpu-product", "", ""},
      {With(kServe, {"--node-selector", "k=" + m}), "--node-selector", "", ""},
      {With(kServe, {"--node-selector", m + "=v"}), "--node-selector", "", "="},
      {With(kServe, {"--toleration=" + m}), "--toleration", "", "=:"},
      {With(kServe, {"--toleration=k=" + m + ":NoSchedule"}), "--toleration", "", ""},
      {With(kServe, {"--priority-class=" + m}), "--priority-class", "", ""},
      {With(kServe, {"--queue=" + m}), "--queue", "", ""},
      {With(kServe, {"--image-pull-secret=" + m}), "--image-pull-secret", "", ""},
      {With(kServe, {"--cpu=" + m}), "--cpu", "", ""},
      {With(kServe, {"--memory=" + m}), "--memory", "", ""},
      {With(kServe, {"--shm-size=" + m}), "--shm-size", "", ""},
      {With(kServe, {"--gpus=" + m}), "--gpus", "", ""},
      {With(kServe, {"--port=" + m}), "--port", "", ""},
      {With(kServe, {"--max-model-len=" + m}), "--max-model-len", "", ""},
      {With(kServe, {"--autoscale=" + m}), "--autoscale", "", ""},
      {With(kServe, {"--autoscale", "0:2", "--autoscale-metric=" + m}), "--autoscale-metric", "", ""},
      {With(kServe, {"--autoscale", "0:2", "--autoscale-metric=queue", "--prometheus-url=http://p/" + m}),
       "--prometheus-url", ""},
      {With(kServe, {"--set", "model=" + m}), "--set model", "", ""},
      {With(kServe, {"--set", "env.K=" + m}), "--set env.K", "", ""},
      {With(kServe, {"--set", "args[0]=" + m}), "--set args[0]", "", ""},
      {With(kServe, {"--set", "nodeSelector.k=" + m}), "--set nodeSelector.k", "", ""},
      {kServe, "yaml: image", "image: hostilemarker\n", ""},
      {kServe, "yaml: env", "env:\n  K: hostilemarker\n", ""},
      {kServe, "yaml: args", "args:\n- hostilemarker\n", ""},
      {kServe, "yaml: queue", "queue: hostilemarker\n", ""},
  };
  for (const Injection& inj : injections) {
    CAPTURE(inj.args);
    CAPTURE(inj.file);
    CheckInjection(inj);
  }
}

TEST_CASE("hostile values in train and gpu-check flags keep the structure or are refused") {
  const std::string m(kMarker);
  const std::vector<Injection> injections = {
      {With(kTrain, {"--", "torchrun", m}), "", "", ""},
      {With(kTrain, {"--env", "K=" + m, "--", "x"}), "--env", "", ""},
      {With(kTrain, {"--data=d:/data/" + m, "--", "x"}), "--data", "", ""},
      {With(kTrain, {"--checkpoint=" + m + ":/ckpt", "--", "x"}), "--checkpoint", "", ""},
      {With(kTrain, {"--exclusive-topology=" + m, "--", "x"}), "--exclusive-topology", "", ""},
      {With(kTrain, {"--queue=" + m, "--", "x"}), "--queue", "", ""},
      {With(kTrain, {"--ttl-after-finished=" + m, "--", "x"}), "--ttl-after-finished", "", ""},
      {With(kTrain, {"--set", "command[0]=x", "--set", "command[1]=" + m}), "--set", "", ""},
      {{"render", "train", "job", "--image=" + m, "--", "x"}, "--image", "", ""},
      {With(kCheck, {"--node=" + m}), "--node", "", ""},
      {With(kCheck, {"--profile=" + m}), "--profile", "", ""},
      {With(kCheck, {"--image=" + m}), "--image", "", ""},
      {kCheck, "yaml: node", "node: hostilemarker\n", ""},
  };
  for (const Injection& inj : injections) {
    CAPTURE(inj.args);
    CheckInjection(inj);
  }
}

}  // namespace
}  // namespace llm
