#include "commands/scale_command.h"

#include <algorithm>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "fakes/metadata_only_list.h"

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
  /// As the command runs it against a cluster: recorded as a revision by "dev".
  Status RunRecorded(ScaleOptions options) {
    CallerIdentity caller;
    caller.user = "dev";
    caller.command_line = "kubectl llm scale chat";
    const ScaleRecorder recorder{caller, clock};
    return RunScale(options, client, mapper, "ml", IoStreams{in, out, err}, &recorder);
  }
  /// Revision 1 as serve records it: the Deployment with 2 replicas, deployed.
  void RecordServe(std::vector<json> extra = {}) {
    testing::ServeMetadataOnlySecrets(client, "ml");
    WorkloadRevisions revisions(client, clock, "ml", "chat");
    Revision served;
    served.audit.operation = "serve";
    served.audit.command_line = "kubectl llm serve chat --model m";
    json deployment = Managed("apps/v1", "Deployment", "chat");
    json service = {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "chat"}, {"namespace", "ml"}}}};
    served.objects = {deployment, service};
    for (json& object : extra) served.objects.push_back(std::move(object));
    std::ostringstream warnings;
    auto begun = revisions.Begin(served, std::chrono::minutes(2), warnings);
    REQUIRE(begun.ok());
    begun->status = RevisionStatus::kDeployed;
    REQUIRE(revisions.Finish(*begun, 10).ok());
  }
  /// The Deployment's HorizontalPodAutoscaler, 1..4 replicas.
  json PutHpa() {
    json hpa = {{"apiVersion", "autoscaling/v2"},
                {"kind", "HorizontalPodAutoscaler"},
                {"metadata", {{"name", "chat"}, {"namespace", "ml"}}},
                {"spec",
                 {{"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "chat"}}},
                  {"minReplicas", 1},
                  {"maxReplicas", 4}}}};
    client.Put({"autoscaling", "v2", "horizontalpodautoscalers", "ml", "chat", ""}, hpa);
    return hpa;
  }
  Revision ReadRevision(int number) {
    WorkloadRevisions revisions(client, clock, "ml", "chat");
    auto read = revisions.Read(number);
    REQUIRE(read.ok());
    return *read;
  }
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
  f.PutHpa();
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

TEST_CASE("scale records a revision: the served objects with the new replicas, serve's change-cause kept") {
  Fixture f;
  f.RecordServe();
  REQUIRE(f.RunRecorded({.name = "chat", .replicas = 5}).ok());
  CHECK(f.Replicas() == 5);
  const Revision scaled = f.ReadRevision(2);
  CHECK(scaled.audit.operation == "scale");
  CHECK(scaled.audit.status == RevisionStatus::kDeployed);
  CHECK(scaled.audit.user == "dev");
  CHECK(scaled.audit.description == "Scaled to 5 replicas");
  // Scale sets no annotation: the live objects still carry serve's cause.
  CHECK(scaled.audit.change_cause == "kubectl llm serve chat --model m");
  REQUIRE(scaled.objects.size() == 2);
  CHECK(scaled.objects[0]["spec"]["replicas"] == 5);
  CHECK(scaled.objects[1] == f.ReadRevision(1).objects[1]);
  CHECK(f.ReadRevision(1).audit.status == RevisionStatus::kSuperseded);
}

TEST_CASE("a refused scale is recorded failed with its reason, and the served revision stays deployed") {
  Fixture f;
  f.RecordServe();
  REQUIRE_FALSE(f.RunRecorded({.name = "chat", .replicas = 5, .current_replicas = 3}).ok());
  const Revision failed = f.ReadRevision(2);
  CHECK(failed.audit.status == RevisionStatus::kFailed);
  CHECK(failed.audit.description == "Scale failed");
  CHECK(failed.audit.reason == "Expected replicas to be 3, was 2");
  CHECK(f.ReadRevision(1).audit.status == RevisionStatus::kDeployed);
}

TEST_CASE("scale --min/--max records the autoscaler's new bounds, and unrecorded runs (dry run) write nothing") {
  Fixture f;
  const json hpa = f.PutHpa();
  f.RecordServe({hpa});
  REQUIRE(f.Run({.name = "chat", .max_replicas = 6, .dry_run = true}).ok());
  CHECK(f.client.List(kube::core::Secrets("ml"), {})->at("items").size() == 1);
  REQUIRE(f.RunRecorded({.name = "chat", .max_replicas = 8}).ok());
  const Revision bounded = f.ReadRevision(2);
  CHECK(bounded.audit.description == "Autoscaler bounds 1..8");
  REQUIRE(bounded.objects.size() == 3);
  CHECK(bounded.objects[2]["spec"]["minReplicas"] == 1);
  CHECK(bounded.objects[2]["spec"]["maxReplicas"] == 8);
  CHECK(bounded.objects[0] == f.ReadRevision(1).objects[0]);
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
