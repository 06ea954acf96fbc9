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
}

}  // namespace
}  // namespace llm
