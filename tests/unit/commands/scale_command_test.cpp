#include "commands/scale_command.h"

#include <algorithm>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"

namespace llm {
namespace {
using nlohmann::json;
using testing::FakeRestClient;

json Managed(const std::string& api_version, const std::string& kind, const std::string& name) {
  return {{"apiVersion", api_version},
          {"kind", kind},
          {"metadata",
           {{"name", name},
            {"namespace", "ml"},
            {"labels", {{"app.kubernetes.io/instance", name}, {"app.kubernetes.io/managed-by", "kubectl-llm"}}}}},
          {"spec", {{"replicas", 2}}}};
}

/// Records which subresource each patch went to (the fake's call log does not).
class ScaleClient : public FakeRestClient {
 public:
  std::vector<std::string> patches;  ///< "resource/subresource name"
  Result<json> MergePatch(const kube::ResourceRef& ref, const json& patch, bool dry_run) override {
    patches.push_back(ref.resource + "/" + ref.subresource + " " + ref.name);
    return FakeRestClient::MergePatch(ref, patch, dry_run);
  }
};

struct Fixture {
  ScaleClient client;
  testing::FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  std::ostringstream out, err;
  std::istringstream in;

  Fixture() {
    testing::ServeAggregatedDiscovery(client);
    client.Put({"apps", "v1", "deployments", "ml", "chat", ""}, Managed("apps/v1", "Deployment", "chat"));
    client.Put({"batch", "v1", "jobs", "ml", "pretrain", ""}, Managed("batch/v1", "Job", "pretrain"));
  }
  Status Run(ScaleOptions options) { return RunScale(options, client, mapper, "ml", IoStreams{in, out, err}); }
  int64_t Replicas() { return (*client.Find({"apps", "v1", "deployments", "ml", "chat", ""}))["spec"]["replicas"]; }
};

TEST_CASE("scale patches the scale subresource and prints kubectl's line") {
  Fixture f;
  REQUIRE(f.Run({.name = "chat", .replicas = 5}).ok());
  CHECK(f.out.str() == "deployment.apps/chat scaled\n");
  CHECK(f.Replicas() == 5);
  CHECK(f.client.patches == std::vector<std::string>{"deployments/scale chat"});
}

TEST_CASE("scale --current-replicas: kubectl's precondition error when it differs") {
  Fixture f;
  Status wrong = f.Run({.name = "chat", .replicas = 5, .current_replicas = 3});
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message() == "Expected replicas to be 3, was 2");
  CHECK(f.Replicas() == 2);
  REQUIRE(f.Run({.name = "chat", .replicas = 4, .current_replicas = 2}).ok());
  CHECK(f.Replicas() == 4);
}

TEST_CASE("scale retries a 409 (the object changed between read and write), re-reading, as kubectl scale does") {
  Fixture f;
  const Error conflict = FakeRestClient::ErrorFromStatus(
      409, "Conflict", "Operation cannot be fulfilled on deployments.apps \"chat\": the object has been modified");
  f.client.FailNext("PATCH", conflict, "chat");
  REQUIRE(f.Run({.name = "chat", .replicas = 4, .current_replicas = 2}).ok());
  CHECK(f.Replicas() == 4);
  CHECK(f.client.patches == std::vector<std::string>{"deployments/scale chat", "deployments/scale chat"});
  // The precondition is checked again on every attempt (a GET of the scale each time).
  CHECK(std::count(f.client.calls().begin(), f.client.calls().end(), "GET deployments.apps ml/chat") == 2);

  for (int i = 0; i < 5; ++i) f.client.FailNext("PATCH", conflict, "chat");
  Status gave_up = f.Run({.name = "chat", .replicas = 6});
  REQUIRE_FALSE(gave_up.ok());
  CHECK(gave_up.error().kind() == ErrorKind::kConflict);
  CHECK(f.client.patches.size() == 2 + 5);
  CHECK(f.Replicas() == 4);
}

TEST_CASE("scale refuses a training job with a reason") {
  Fixture f;
  Status refused = f.Run({.name = "pretrain", .replicas = 4});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message().find("job.batch/pretrain is a training job and cannot be scaled") == 0);
}

TEST_CASE("scale --min/--max patches the workload's HorizontalPodAutoscaler") {
  Fixture f;
  json hpa = {{"apiVersion", "autoscaling/v2"},
              {"kind", "HorizontalPodAutoscaler"},
              {"metadata", {{"name", "chat"}, {"namespace", "ml"}}},
              {"spec",
               {{"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "chat"}}},
                {"minReplicas", 1},
                {"maxReplicas", 4}}}};
  f.client.Put({"autoscaling", "v2", "horizontalpodautoscalers", "ml", "chat", ""}, hpa);
  REQUIRE(f.Run({.name = "chat", .max_replicas = 8}).ok());
  CHECK(f.out.str() == "horizontalpodautoscaler.autoscaling/chat patched (minReplicas 1, maxReplicas 8)\n");
  auto live = f.client.Find({"autoscaling", "v2", "horizontalpodautoscalers", "ml", "chat", ""});
  CHECK((*live)["spec"]["maxReplicas"] == 8);
  Status inverted = f.Run({.name = "chat", .min_replicas = 9});
  REQUIRE_FALSE(inverted.ok());
  CHECK(inverted.error().message().find("--min (9) must not exceed --max (8)") == 0);
}

TEST_CASE("scale --min/--max without an autoscaler says so") {
  Fixture f;
  Status none = f.Run({.name = "chat", .min_replicas = 1});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message().find("deployment.apps/chat has no HorizontalPodAutoscaler or ScaledObject") == 0);
}

TEST_CASE("scale flags are checked before any request") {
  CHECK(ValidateScaleOptions({.name = "x"}).error().kind() == ErrorKind::kUsage);
  CHECK(ValidateScaleOptions({.name = "x", .replicas = -1}).error().kind() == ErrorKind::kUsage);
  CHECK(ValidateScaleOptions({.name = "x", .replicas = 1, .min_replicas = 1}).error().kind() == ErrorKind::kUsage);
  CHECK(ValidateScaleOptions({.name = "x", .current_replicas = 1, .min_replicas = 1}).error().kind() ==
        ErrorKind::kUsage);
  CHECK(ValidateScaleOptions({.name = "x", .replicas = 0}).ok());
}

}  // namespace
}  // namespace llm
