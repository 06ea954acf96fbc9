#include "render/manifest_patch.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

std::vector<Json> Manifests() {
  return {
      Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"chat"},"spec":{"type":"ClusterIP"}})"),
      Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"chat"},"spec":{"replicas":1}})")};
}

TEST_CASE("--patch flag syntax") {
  auto t = ParsePatchFlag("deployment/chat=p.yaml");
  REQUIRE(t.ok());
  CHECK(t->kind == "deployment");
  CHECK(t->name == "chat");
  CHECK(t->file == "p.yaml");
  for (const char* bad : {"p.yaml", "deployment=p.yaml", "/chat=p", "deployment/chat", "deployment/=p", "d/c="}) {
    CAPTURE(bad);
    auto r = ParsePatchFlag(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kUsage);
    CHECK(r.error().message().starts_with("--patch: expected KIND/NAME=FILE"));
  }
}

TEST_CASE("a mapping is a JSON Merge Patch, a list a JSON Patch") {
  std::vector<Json> m = Manifests();
  REQUIRE(ApplyManifestPatch(m, {"Deployment", "chat", "merge.yaml"}, "spec:\n  replicas: 3\n  paused: true\n").ok());
  CHECK(m[1]["spec"]["replicas"] == 3);
  CHECK(m[1]["spec"]["paused"] == true);
  REQUIRE(ApplyManifestPatch(m, {"service", "chat", "p.json"},
                             R"([{"op":"replace","path":"/spec/type","value":"NodePort"}])")
              .ok());
  CHECK(m[0]["spec"]["type"] == "NodePort");
  CHECK(m[0].begin().key() == "apiVersion");  // key order survives a JSON Patch
}

TEST_CASE("patch errors name the flag") {
  std::vector<Json> m = Manifests();
  Status s = ApplyManifestPatch(m, {"Deployment", "other", "p.yaml"}, "a: 1\n");
  REQUIRE_FALSE(s.ok());
  CHECK(
      s.error().message() ==
      "--patch Deployment/other=p.yaml: no rendered object Deployment/other; rendered: Service/chat, Deployment/chat");
  s = ApplyManifestPatch(m, {"Deployment", "chat", "p.yaml"}, R"([{"op":"test","path":"/spec/replicas","value":9}])");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message().starts_with("--patch Deployment/chat=p.yaml: "));
  s = ApplyManifestPatch(m, {"Deployment", "chat", "p.yaml"}, "just text\n");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message().find("one JSON Patch (a list) or JSON Merge Patch (a mapping)") != std::string::npos);
  // A file that is not YAML at all (found by tests/fuzz/patch_fuzzer.cpp,
  // corpus/patch/finding-not-yaml): the flag first, then the file's line.
  s = ApplyManifestPatch(m, {"deployment", "chat", "p.json"}, R"({"metadata":{"nameb:"other"},"kind":null})");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind() == ErrorKind::kUsage);
  CHECK(s.error().message().starts_with("--patch deployment/chat=p.json: p.json: line 1, column "));
  CHECK(m == Manifests());
}

TEST_CASE("a JSON Patch that adds inside a scalar is refused, naming the operation, and changes nothing") {
  // Found by tests/fuzz/patch_fuzzer.cpp (corpus/patch/finding-add-inside-scalar): nlohmann's patch asserted.
  std::vector<Json> m = Manifests();
  Status s = ApplyManifestPatch(m, {"Deployment", "chat", "p.json"},
                                R"([{"op":"add","path":"/spec/paused","value":true},)"
                                R"({"op":"move","from":"/spec/replicas","path":"/kind/r"}])");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind() == ErrorKind::kUsage);
  CHECK(s.error().message() ==
        "--patch Deployment/chat=p.json: operation 1 (move to \"/kind/r\"): \"/kind\" is a string, not an object or "
        "a list");
  CHECK(m == Manifests());  // the first operation, which applied, is not kept either
  for (const char* patch : {R"([{"op":"add","path":"/spec/replicas/x","value":1}])",
                            R"([{"op":"copy","from":"/spec","path":"/metadata/name/spec"}])"}) {
    CAPTURE(patch);
    s = ApplyManifestPatch(m, {"Deployment", "chat", "p.json"}, patch);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().find("not an object or a list") != std::string::npos);
  }
  // Adding where the parent is an object, a list or missing as before.
  REQUIRE(ApplyManifestPatch(m, {"Deployment", "chat", "p.json"},
                             R"([{"op":"add","path":"/spec/template","value":{}},)"
                             R"({"op":"add","path":"/spec/template/labels","value":{"a":"b"}},)"
                             R"({"op":"add","path":"/metadata/finalizers","value":[]},)"
                             R"({"op":"add","path":"/metadata/finalizers/-","value":"x"}])")
              .ok());
  CHECK(m[1]["spec"]["template"]["labels"]["a"] == "b");
  CHECK(m[1]["metadata"]["finalizers"] == Json::array({"x"}));
}

TEST_CASE("a patch may not turn the object into another: kind, apiVersion and name stay") {
  struct Case {
    const char* patch;
    const char* says;
  };
  for (Case c : {Case{"kind: StatefulSet\n", "may not change kind (from \"Deployment\" to \"StatefulSet\")"},
                 Case{R"([{"op":"replace","path":"/metadata/name","value":"other"}])",
                      "may not change metadata.name (from \"chat\" to \"other\")"},
                 Case{R"([{"op":"remove","path":"/apiVersion"}])", "may not change apiVersion"}}) {
    CAPTURE(c.patch);
    std::vector<Json> m = Manifests();
    Status patched = ApplyManifestPatch(m, {"deployment", "chat", "p.yaml"}, c.patch);
    REQUIRE_FALSE(patched.ok());
    CHECK(patched.error().kind() == ErrorKind::kUsage);
    CHECK(patched.error().message().starts_with("--patch deployment/chat=p.yaml: "));
    CHECK(patched.error().message().find(c.says) != std::string::npos);
    CHECK(m == Manifests());  // nothing half-applied
  }
}

}  // namespace
}  // namespace llm
