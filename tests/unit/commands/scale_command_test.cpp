#include "commands/scale_command.h"

#include <algorithm>
#include <functional>
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

TEST_CASE("scale -o name, --dry-run=client and --resource-version, as kubectl scale") {
  Fixture f;
  REQUIRE(f.Run({.name = "chat", .replicas = 5, .dry_run = kube::DryRun::kClient}).ok());
  CHECK(f.out.str() == "deployment.apps/chat scaled (dry run)\n");
  CHECK(f.client.patches.empty());  // nothing sent that writes
  CHECK(f.Replicas() == 2);

  f.out.str("");
  REQUIRE(f.Run({.name = "chat", .replicas = 3, .output = "name"}).ok());
  CHECK(f.out.str() == "deployment.apps/chat\n");
  CHECK(f.Replicas() == 3);

  const std::string version =
      (*f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""}))["metadata"]["resourceVersion"]
          .get<std::string>();
  Status stale = f.Run({.name = "chat", .replicas = 4, .resource_version = "1"});
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().message() == "Expected resource version to be 1, was " + version);
  CHECK(f.Replicas() == 3);
  REQUIRE(f.Run({.name = "chat", .replicas = 4, .resource_version = version}).ok());
  CHECK(f.Replicas() == 4);

  CHECK(ValidateScaleOptions({.name = "chat", .replicas = 1, .output = "yaml"}).error().message() ==
        "--output must be 'name', got 'yaml'");
  CHECK(ValidateScaleOptions({.name = "chat", .max_replicas = 3, .resource_version = "7"}).error().message() ==
        "--resource-version is a precondition of --replicas: it needs --replicas");
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
  const size_t secrets = f.client.List(kube::core::Secrets("ml"), {})->at("items").size();  // the revision, the index
  REQUIRE(f.Run({.name = "chat", .max_replicas = 6, .dry_run = kube::DryRun::kServer}).ok());
  CHECK(f.client.List(kube::core::Secrets("ml"), {})->at("items").size() == secrets);
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

TEST_CASE("scale --nodes checks its flags before any request") {
  const auto message = [](const ScaleOptions& options) { return ValidateScaleOptions(options).error().message(); };
  CHECK(message({.name = "t", .nodes = 0}) == "--nodes must be 1 or more (within the job's --nodes MIN:MAX), got 0");
  CHECK(message({.name = "t", .replicas = 2, .nodes = 2}) ==
        "--nodes (an elastic training job's size) cannot be combined with --replicas, --current-replicas or "
        "--min/--max");
  CHECK(message({.name = "t", .replicas = 2, .wait = true}) ==
        "--wait follows an elastic training job to its new size: it needs --nodes");
  CHECK(message({.name = "t", .nodes = 2, .dry_run = kube::DryRun::kServer, .wait = true}) ==
        "--wait cannot be combined with --dry-run=server: a dry run changes nothing");
  CHECK(ValidateScaleOptions({.name = "t", .nodes = 2, .wait = true, .timeout = "soon"}).error().kind() ==
        ErrorKind::kUsage);
  CHECK(ValidateScaleOptions({.name = "t", .nodes = 2, .wait = true}).ok());
}

/// An elastic Indexed Job as train renders it: NAME at `nodes` of MIN:MAX.
json ElasticJobObject(const std::string& name, const std::string& bounds, int nodes) {
  json job = Managed("batch/v1", "Job", name);
  job["metadata"]["annotations"] = {{"kubectl-llm.dev/elastic-nodes", bounds}};
  job["spec"] = {
      {"completionMode", "Indexed"},
      {"parallelism", nodes},
      {"completions", nodes},
      {"template",
       {{"spec",
         {{"containers", json::array({{{"name", "trainer"},
                                       {"env", json::array({{{"name", "PET_MAX_RESTARTS"}, {"value", "3"}}})}}})}}}}}};
  return job;
}

/// Pod `index` of the elastic job `name`, Ready on a node or Pending.
json IndexPod(const std::string& name, int index, bool ready) {
  json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata",
               {{"name", name + "-" + std::to_string(index) + "-x"},
                {"namespace", "ml"},
                {"labels", {{"app.kubernetes.io/instance", name}}},
                {"annotations", {{"batch.kubernetes.io/job-completion-index", std::to_string(index)}}}}},
              {"spec", {{"containers", json::array({{{"name", "trainer"}}})}}},
              {"status", {{"phase", ready ? "Running" : "Pending"}}}};
  if (ready) {
    pod["spec"]["nodeName"] = "gpu-node-" + std::to_string(index);
    pod["status"]["conditions"] = json::array({{{"type", "Ready"}, {"status", "True"}}});
  } else {
    pod["status"]["conditions"] =
        json::array({{{"type", "PodScheduled"},
                      {"status", "False"},
                      {"reason", "Unschedulable"},
                      {"message", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."}}});
  }
  return pod;
}

struct ElasticFixture : Fixture {
  std::optional<int> exit_code;
  StreamTerminal terminal{out, false};
  ElasticFixture() { client.Put({"batch", "v1", "jobs", "ml", "t", ""}, ElasticJobObject("t", "2:4", 3)); }
  json Job() { return *client.Find({"batch", "v1", "jobs", "ml", "t", ""}); }
  Status RunNodes(ScaleOptions options) {
    const ScaleFollow follow{clock, terminal, exit_code};
    return RunScale(options, client, mapper, "ml", IoStreams{in, out, err}, nullptr, &follow);
  }
  size_t Patches() const { return client.patches.size(); }
};

TEST_CASE("scale --nodes asks the server with a dry run, then sets completions and parallelism together") {
  ElasticFixture f;
  REQUIRE(f.RunNodes({.name = "t", .nodes = 4}).ok());
  CHECK(f.out.str() == "job.batch/t scaled to 4 nodes (--nodes 2:4)\n");
  CHECK(f.Job()["spec"]["parallelism"] == 4);
  CHECK(f.Job()["spec"]["completions"] == 4);
  CHECK(f.client.patches == std::vector<std::string>{"jobs/ t", "jobs/ t"});  // the dry run, then the change

  f.out.str("");
  REQUIRE(f.RunNodes({.name = "t", .nodes = 2, .dry_run = kube::DryRun::kServer}).ok());
  CHECK(f.out.str() == "job.batch/t scaled to 2 nodes (--nodes 2:4) (server dry run)\n");
  CHECK(f.Job()["spec"]["parallelism"] == 4);

  f.out.str("");
  REQUIRE(f.RunNodes({.name = "t", .nodes = 4}).ok());
  CHECK(f.out.str() == "job.batch/t already runs 4 nodes (--nodes 2:4)\n");
}

TEST_CASE("scale --nodes refuses what the job's bounds, kind or queue do not allow, changing nothing") {
  ElasticFixture f;
  const auto refused = [&](ScaleOptions options, ErrorKind kind, const std::string& message) {
    CAPTURE(message);
    Status status = f.RunNodes(options);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind() == kind);
    CHECK(status.error().message() == message);
  };
  refused({.name = "t", .nodes = 5}, ErrorKind::kUsage,
          "--nodes 5: job.batch/t runs from 2 to 4 nodes (trained with --nodes 2:4); give a count in that range");
  refused({.name = "t", .nodes = 1}, ErrorKind::kUsage,
          "--nodes 1: job.batch/t runs from 2 to 4 nodes (trained with --nodes 2:4); give a count in that range");
  refused({.name = "pretrain", .nodes = 2}, ErrorKind::kInvalidInput,
          "--nodes: job.batch/pretrain is not elastic: it was trained with a fixed --nodes, so its world size cannot "
          "change; train it with --nodes MIN:MAX (and --checkpoint) to scale it");
  refused({.name = "chat", .nodes = 2}, ErrorKind::kInvalidInput,
          "--nodes resizes an elastic training job (train --nodes MIN:MAX); deployment.apps/chat is not one: use "
          "--replicas");
  refused({.name = "t", .replicas = 3}, ErrorKind::kInvalidInput,
          "job.batch/t is an elastic training job: scale it with --nodes K (2 to 4)");

  json queued = ElasticJobObject("q", "2:4", 2);
  queued["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] = "team-a";
  queued["metadata"]["annotations"]["kueue.x-k8s.io/elastic-job"] = "true";
  f.client.Put({"batch", "v1", "jobs", "ml", "q", ""}, queued);
  refused({.name = "q", .nodes = 3}, ErrorKind::kInvalidInput,
          "Kueue queues job.batch/q but does not let it change size: its pods carry no kueue.x-k8s.io/elastic-job "
          "scheduling gate, so Kueue's ElasticJobsViaWorkloadSlices feature gate is off, and Kueue would stop the "
          "whole job and queue it again; turn the gate on, or train without --queue; nothing was changed");

  json done = ElasticJobObject("done", "2:4", 2);
  done["status"] = {{"conditions", json::array({{{"type", "Complete"}, {"status", "True"}}})}};
  f.client.Put({"batch", "v1", "jobs", "ml", "done", ""}, done);
  refused({.name = "done", .nodes = 3}, ErrorKind::kInvalidInput,
          "job.batch/done has finished: a finished job cannot change size");
  CHECK(f.Patches() == 0);
  CHECK(f.Job()["spec"]["parallelism"] == 3);
}

TEST_CASE("scale --nodes: a server that refuses the new size (its dry run) is quoted, and nothing changes") {
  ElasticFixture f;
  f.client.FailNext("PATCH",
                    FakeRestClient::ErrorFromStatus(
                        403, "Forbidden",
                        "admission webhook \"vjobset.kb.io\" denied the request: spec.replicatedJobs: Invalid value: "
                        "\"array\": field is immutable"),
                    "t");
  Status refused = f.RunNodes({.name = "t", .nodes = 4});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kInvalidInput);
  CHECK_MESSAGE(refused.error().message().starts_with(
                    "the server refuses to change the size of job.batch/t: Error from server (Forbidden): "
                    "admission webhook \"vjobset.kb.io\" denied the request"),
                refused.error().message());
  CHECK(refused.error().message().ends_with("; nothing was changed"));
  CHECK(f.Job()["spec"]["parallelism"] == 3);

  // RBAC's refusal is not about the size: it stays as the server said it.
  f.client.FailNext("PATCH",
                    FakeRestClient::ErrorFromStatus(403, "Forbidden",
                                                    "jobs.batch \"t\" is forbidden: User \"dev\" cannot patch "
                                                    "resource \"jobs\""),
                    "t");
  Status forbidden = f.RunNodes({.name = "t", .nodes = 4});
  REQUIRE_FALSE(forbidden.ok());
  CHECK(forbidden.error().kind() == ErrorKind::kForbidden);
  CHECK(forbidden.error().message().starts_with("Error from server (Forbidden): jobs.batch \"t\" is forbidden"));
}

TEST_CASE("scale --nodes on a JobSet sends its replicated jobs whole, with the new parallelism and completions") {
  ElasticFixture f;
  json jobset = Managed("jobset.x-k8s.io/v1alpha2", "JobSet", "js");
  jobset["metadata"]["annotations"] = {{"kubectl-llm.dev/elastic-nodes", "1:8"}};
  jobset["spec"] = {
      {"replicatedJobs",
       json::array(
           {{{"name", "node"}, {"replicas", 1}, {"template", {{"spec", {{"parallelism", 2}, {"completions", 2}}}}}}})}};
  f.client.Put({"jobset.x-k8s.io", "v1alpha2", "jobsets", "ml", "js", ""}, jobset);
  REQUIRE(f.RunNodes({.name = "js", .nodes = 5}).ok());
  const json stored = *f.client.Find({"jobset.x-k8s.io", "v1alpha2", "jobsets", "ml", "js", ""});
  CHECK(stored["spec"]["replicatedJobs"][0]["name"] == "node");
  CHECK(stored["spec"]["replicatedJobs"][0]["template"]["spec"]["parallelism"] == 5);
  CHECK(stored["spec"]["replicatedJobs"][0]["template"]["spec"]["completions"] == 5);
  CHECK(f.out.str() == "jobset.jobset.x-k8s.io/js scaled to 5 nodes (--nodes 1:8)\n");
}

/// The fake clock, with something to do at each of the wait's sleeps (the
/// cluster moving on between two looks).
class SteppingClock final : public Clock {
 public:
  SteppingClock(testing::FakeClock& inner, std::function<void()> step) : inner_(inner), step_(std::move(step)) {}
  std::chrono::system_clock::time_point Now() const override { return inner_.Now(); }
  std::chrono::steady_clock::time_point Monotonic() const override { return inner_.Monotonic(); }
  void SleepFor(std::chrono::nanoseconds duration) override {
    inner_.SleepFor(duration);
    step_();
  }

 private:
  testing::FakeClock& inner_;
  std::function<void()> step_;
};

TEST_CASE("scale --nodes --wait: done when the K lowest indexes run and the pods above are gone") {
  ElasticFixture f;
  for (int i = 0; i < 3; ++i) {
    f.client.Put({"", "v1", "pods", "ml", "t-" + std::to_string(i) + "-x", ""}, IndexPod("t", i, true));
  }
  // Index 0's agent logs the round the scale-down caused.
  kube::HttpResponse log_response;
  log_response.status = 200;
  log_response.body =
      "step 10 loss 2.0\n"
      "INFO:torch.distributed.elastic.agent.server.api:[default] Rendezvous complete for workers. Result:\n"
      "  restart_count=1\n  master_addr=t-0.t\n  master_port=29500\n  group_rank=0\n  group_world_size=2\n";
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/t-0-x/log", log_response);
  // The Job controller removes pod 2 (the highest index) after the first look.
  SteppingClock clock(f.clock, [&] { (void)f.client.Delete({"", "v1", "pods", "ml", "t-2-x", ""}, {}); });
  const ScaleFollow follow{clock, f.terminal, f.exit_code};
  Status waited = RunScale({.name = "t", .nodes = 2, .wait = true, .timeout = "1m"}, f.client, f.mapper, "ml",
                           IoStreams{f.in, f.out, f.err}, nullptr, &follow);
  REQUIRE_MESSAGE(waited.ok(), (waited.ok() ? "" : waited.error().message()));
  CHECK_FALSE(f.exit_code.has_value());
  const std::string out = f.out.str();
  CHECK(out.find("job.batch/t scaled to 2 nodes (--nodes 2:4)\n") == 0);
  CHECK(out.find("pod t-0-x") != std::string::npos);  // the live pod lines
  CHECK(out.find("rendezvous round: 2 nodes (restart 1 of at most 3)\n") != std::string::npos);
  CHECK(out.find("job.batch/t: 2 nodes running (--nodes 2:4)\n") != std::string::npos);
  // The round is printed once, though the log is read at each look.
  CHECK(out.find("rendezvous round") == out.rfind("rendezvous round"));
}

TEST_CASE("scale --nodes --wait: a new pod the scheduler cannot place ends the wait at once, in one sentence") {
  ElasticFixture f;
  for (int i = 0; i < 3; ++i) {
    f.client.Put({"", "v1", "pods", "ml", "t-" + std::to_string(i) + "-x", ""}, IndexPod("t", i, true));
  }
  f.client.Put({"", "v1", "pods", "ml", "t-3-x", ""}, IndexPod("t", 3, false));
  Status waited = f.RunNodes({.name = "t", .nodes = 4, .wait = true, .timeout = "10m"});
  REQUIRE_FALSE(waited.ok());
  CHECK(f.exit_code == 4);
  CHECK(waited.error().message() ==
        "job.batch/t cannot reach 4 nodes: pod t-3-x cannot be scheduled: 0/3 nodes are available: 3 Insufficient "
        "nvidia.com/gpu.; it goes on with the 3 running (a new pod joins the rendezvous once it runs)");
  CHECK(f.clock.Monotonic().time_since_epoch() < std::chrono::minutes(1));  // not at the timeout
  CHECK(f.out.str().find("job.batch/t scaled to 4 nodes (--nodes 2:4)\n") == 0);
}

}  // namespace
}  // namespace llm
