#include "workload/revision_diff.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

json Object(const std::string& api_version, const std::string& kind, const std::string& name, json spec) {
  return {{"apiVersion", api_version},
          {"kind", kind},
          {"metadata", {{"name", name}, {"namespace", "ml"}}},
          {"spec", std::move(spec)}};
}

TEST_CASE("--revision is A or A..B, revisions 1 or more") {
  auto one = ParseRevisionRange("3");
  REQUIRE(one.ok());
  CHECK(one->from == 3);
  CHECK_FALSE(one->to);
  auto two = ParseRevisionRange("2..5");
  REQUIRE(two.ok());
  CHECK(two->from == 2);
  CHECK(two->to == 5);
  for (const char* bad : {"", "0", "x", "2..", "..3", "2...3", "2..0", "1.5", "-1", "2..live"}) {
    auto parsed = ParseRevisionRange(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind() == ErrorKind::kUsage);
    CHECK(parsed.error().message().starts_with("--revision must be A (revision A against the live objects) or A..B"));
  }
}

TEST_CASE("DiffObjectLists matches objects by group, kind, namespace and name") {
  const json deployment1 = Object("apps/v1", "Deployment", "chat", {{"replicas", 1}});
  const json deployment2 = Object("apps/v1", "Deployment", "chat", {{"replicas", 2}});
  const json service = Object("v1", "Service", "chat", {{"port", 8000}});
  const json lws = Object("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "chat", {{"replicas", 1}});

  CHECK(DiffObjectLists({deployment1, service}, {deployment1, service}, "REVISION-1", "REVISION-2").empty());
  // Order does not matter, only identity.
  CHECK(DiffObjectLists({deployment1, service}, {service, deployment1}, "REVISION-1", "REVISION-2").empty());

  const std::string changed =
      DiffObjectLists({deployment1, service}, {service, deployment2}, "REVISION-1", "REVISION-2");
  CHECK(changed ==
        "--- REVISION-1/apps.v1.Deployment.ml.chat\n"
        "+++ REVISION-2/apps.v1.Deployment.ml.chat\n"
        "@@ -4,4 +4,4 @@\n"
        "   name: chat\n"
        "   namespace: ml\n"
        " spec:\n"
        "-  replicas: 1\n"
        "+  replicas: 2\n");

  // An engine change replaced the Deployment by a LeaderWorkerSet: one removed, one added, the Service kept.
  const std::string replaced = DiffObjectLists({deployment1, service}, {lws, service}, "REVISION-1", "REVISION-2");
  const size_t removed = replaced.find("--- REVISION-1/apps.v1.Deployment.ml.chat\n+++ REVISION-2/apps.v1.Deployment");
  const size_t added = replaced.find(
      "--- REVISION-1/leaderworkerset.x-k8s.io.v1.LeaderWorkerSet.ml.chat\n"
      "+++ REVISION-2/leaderworkerset.x-k8s.io.v1.LeaderWorkerSet.ml.chat\n@@ -0,0 +1,");
  CHECK(removed == 0);
  CHECK(added != std::string::npos);
  CHECK(replaced.find("Service") == std::string::npos);

  // A version move of the same object is compared, not removed and added.
  const json hpa1 = Object("autoscaling/v1", "HorizontalPodAutoscaler", "chat", {{"maxReplicas", 4}});
  const json hpa2 = Object("autoscaling/v2", "HorizontalPodAutoscaler", "chat", {{"maxReplicas", 4}});
  const std::string moved = DiffObjectLists({hpa1}, {hpa2}, "REVISION-1", "REVISION-2");
  CHECK(moved.find("-apiVersion: autoscaling/v1\n+apiVersion: autoscaling/v2\n") != std::string::npos);
  CHECK(moved.find("@@ -0,0") == std::string::npos);
}

}  // namespace
}  // namespace llm
