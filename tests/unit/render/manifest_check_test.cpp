#include "render/manifest_check.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

Json Base() {
  return Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"chat","labels":{"a":"b"}},
    "spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}}}}})");
}

TEST_CASE("CheckManifest accepts a well-formed object") { CHECK(CheckManifest(Base(), "doc").ok()); }

TEST_CASE("CheckManifest refuses bad identity, names and labels") {
  struct Case {
    const char* pointer;
    Json value;
    const char* want;
  };
  const Case cases[] = {
      {"/apiVersion", "apps/v1 ", "apiVersion"},
      {"/apiVersion", 1, "apiVersion"},
      {"/kind", "deployment", "kind"},
      {"/metadata/name", "Chat", "metadata.name"},
      {"/metadata/name", "a\nb", "metadata.name"},
      {"/metadata/namespace", "a.b", "metadata.namespace"},
      {"/metadata/labels/a", "b c", "metadata.labels"},
      {"/metadata/labels/a", 1, "must be a string"},
      {"/metadata/labels/bad key", "x", "metadata.labels"},
      {"/spec/selector/matchLabels/a", "-x", "spec.selector.matchLabels"},
      {"/spec/template/metadata/labels/a", "x/y", "spec.template.metadata.labels"},
      {"/metadata/annotations", Json::object({{"k", 1}}), "must be a string"},
      {"/spec/volumeClaimTemplates", Json::parse(R"([{"metadata":{"name":"a"}},{"metadata":{"labels":{"a":"b c"}}}])"),
       "serve/deployment.yaml spec.volumeClaimTemplates[1].metadata.labels"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pointer);
    Json doc = Base();
    doc[Json::json_pointer(c.pointer)] = c.value;
    const Status s = CheckManifest(doc, "serve/deployment.yaml");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().starts_with("serve/deployment.yaml"));
    CHECK(s.error().message().find(c.want) != std::string::npos);
  }
}

TEST_CASE("CheckManifest wants DNS-1035 names for Services") {
  Json svc = Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"1chat"}})");
  CHECK_FALSE(CheckManifest(svc, "svc").ok());
  svc["metadata"]["name"] = "chat";
  CHECK(CheckManifest(svc, "svc").ok());
}

}  // namespace
}  // namespace llm
