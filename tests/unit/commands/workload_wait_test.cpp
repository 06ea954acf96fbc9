#include "commands/workload_wait.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "util/rfc3339.h"

namespace llm {
namespace {

using nlohmann::json;

json Job(int parallelism, json status) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", {{"name", "t"}, {"generation", 1}}},
          {"spec", {{"parallelism", parallelism}}},
          {"status", status}};
}

TEST_CASE("TrainReady: a Job is ready when every pod runs, done when Complete, failed when Failed") {
  struct Case {
    const char* name;
    json job;
    kube::WaitState state;
  };
  const std::vector<Case> cases = {
      {"no pods yet", Job(2, json::object()), kube::WaitState::kPending},
      {"one of two", Job(2, {{"active", 2}, {"ready", 1}}), kube::WaitState::kPending},
      {"all running", Job(2, {{"active", 2}, {"ready", 2}}), kube::WaitState::kDone},
      {"complete", Job(2, {{"conditions", {{{"type", "Complete"}, {"status", "True"}}}}}), kube::WaitState::kDone},
      {"failed",
       Job(2, {{"conditions", {{{"type", "Failed"}, {"status", "True"}, {"reason", "BackoffLimitExceeded"}}}}}),
       kube::WaitState::kFailed},
  };
  const kube::WaitPredicate ready = TrainReady();
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(ready(&c.job).state == c.state);
  }
  CHECK(ready(nullptr).state == kube::WaitState::kPending);
  json running = Job(2, {{"active", 2}, {"ready", 2}});
  CHECK(ready(&running).message == "job \"t\": all 2 pods running");
}

json JobSetWith(json status) {
  return {{"apiVersion", "jobset.x-k8s.io/v1alpha2"},
          {"kind", "JobSet"},
          {"metadata", {{"name", "js"}, {"generation", 1}}},
          {"spec", {{"replicatedJobs", json::array({{{"name", "node"}, {"replicas", 2}}})}}},
          {"status", status}};
}

TEST_CASE("TrainReady: a JobSet is ready when every child Job runs (ready or succeeded), done when Completed") {
  const kube::WaitPredicate ready = TrainReady();
  json none = JobSetWith(json::object());
  CHECK(ready(&none).state == kube::WaitState::kPending);
  CHECK(ready(&none).message == "Waiting for jobset \"js\": 0 of 2 jobs running...");
  json one = JobSetWith({{"replicatedJobsStatus", json::array({{{"name", "node"}, {"ready", 1}, {"active", 2}}})}});
  CHECK(ready(&one).state == kube::WaitState::kPending);
  json both = JobSetWith(
      {{"replicatedJobsStatus", json::array({{{"name", "node"}, {"ready", 1}, {"succeeded", 1}, {"active", 1}}})}});
  CHECK(ready(&both).state == kube::WaitState::kDone);
  CHECK(ready(&both).message == "jobset \"js\": all 2 jobs running");
  json failed =
      JobSetWith({{"conditions", json::array({{{"type", "Failed"}, {"status", "True"}, {"reason", "FailedJobs"}}})}});
  CHECK(ready(&failed).state == kube::WaitState::kFailed);
  json completed = JobSetWith({{"conditions", json::array({{{"type", "Completed"}, {"status", "True"}}})}});
  CHECK(ready(&completed).state == kube::WaitState::kDone);
}

/// A FakeRestClient for two watches at once (the workload's and its pods'):
/// calls are serialized by a lock, and each watch gets its own script, chosen
/// by resource rather than by call order.
class TwoWatchClient final : public testing::FakeRestClient {
 public:
  StreamScript pods_watch;
  StreamScript workload_watch;

  Result<kube::HttpResponse> Do(kube::HttpRequest request) override {
    std::lock_guard<std::mutex> lock(mu_);
    return FakeRestClient::Do(std::move(request));
  }
  Result<json> Get(const kube::ResourceRef& ref) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (ref.resource == "leases") ++lease_reads;
    return FakeRestClient::Get(ref);
  }
  std::atomic<int> lease_reads{0};
  Result<json> List(const kube::ResourceRef& ref, const kube::ListOptions& options) override {
    std::lock_guard<std::mutex> lock(mu_);
    return FakeRestClient::List(ref, options);
  }
  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override {
    const bool pods = request.path.starts_with("/api/v1/namespaces/ml/pods?");
    return (pods ? pods_watch : workload_watch)(request, sink);
  }

 private:
  std::mutex mu_;
};

const kube::ResourceRef kChat{"apps", "v1", "deployments", "ml", "chat", ""};
const kube::ResourceRef kPod{"", "v1", "pods", "ml", "chat-abc", ""};
constexpr const char* kImage = "vllm/vllm-openai:v0.10.2";

json Container(const std::string& image) { return {{"name", "vllm"}, {"image", image}}; }

json Deployment(int available) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "chat"}, {"namespace", "ml"}, {"generation", 1}}},
          {"spec", {{"replicas", 1}, {"template", {{"spec", {{"containers", {Container(kImage)}}}}}}}},
          {"status",
           {{"observedGeneration", 1}, {"replicas", 1}, {"updatedReplicas", 1}, {"availableReplicas", available}}}};
}

json PodWith(json container_status, const std::string& image = kImage) {
  container_status["name"] = "vllm";
  return {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", "chat-abc"}, {"namespace", "ml"}, {"labels", {{"app.kubernetes.io/instance", "chat"}}}}},
      {"spec", {{"nodeName", "gpu-node-0"}, {"containers", {Container(image)}}}},
      {"status", {{"phase", "Running"}, {"containerStatuses", {container_status}}}}};
}

json CrashLooping(const std::string& image = kImage) {
  return PodWith({{"restartCount", 3},
                  {"lastState", {{"terminated", {{"exitCode", 1}, {"reason", "Error"}}}}},
                  {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}},
                 image);
}

std::string Event(const std::string& type, json object, const std::string& rv) {
  object["metadata"]["resourceVersion"] = rv;
  return json{{"type", type}, {"object", object}}.dump() + "\n";
}

/// A watch with nothing to say: only cancellation ends it (or, should that
/// never come, a bound, so a broken cancel fails the test instead of hanging it).
Result<kube::HttpResponse> QuietUntilCancelled(const kube::HttpRequest& request) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!request.cancelled() && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  return kube::HttpResponse{200, {}, ""};
}

TEST_CASE("WaitForWorkload: a pod that backs off ends the wait at once, explained, while the workload says nothing") {
  TwoWatchClient client;
  testing::FakeClock clock;
  client.Put(kChat, Deployment(0));
  client.Put(kPod, PodWith({{"restartCount", 0}, {"state", {{"running", json::object()}}}}));
  client.routes.On("GET", "/api/v1/namespaces/ml/pods/chat-abc/log",
                   kube::HttpResponse{200, {}, "loading weights\nRuntimeError: CUDA error: out of memory\n"});
  std::atomic<int> workload_watches{0};
  client.workload_watch = [&](const kube::HttpRequest& request, const kube::ChunkSink&) {
    ++workload_watches;
    return QuietUntilCancelled(request);
  };
  client.pods_watch = [&](const kube::HttpRequest& request, const kube::ChunkSink& sink) {
    sink(Event("MODIFIED", CrashLooping(), "300"));
    return QuietUntilCancelled(request);
  };
  std::ostringstream out;
  StreamTerminal terminal(out, /*interactive=*/false);
  WaitFailure failure = WaitFailure::kNone;
  WorkloadWaitRequest request{kChat, "chat", false, std::chrono::seconds(600)};
  Status status = WaitForWorkload(client, clock, request, terminal, failure);
  REQUIRE_FALSE(status.ok());
  CHECK(failure == WaitFailure::kFailed);
  CHECK(status.error().message() ==
        "deployments.apps/chat cannot become ready: container vllm of pod chat-abc is crash-looping: restarted 3 "
        "times, last exit code 1 (Error); last log line: \"RuntimeError: CUDA error: out of memory\"");
  // The crashed container's previous log, asked for by its name (one "?": a
  // pod with sidecars needs the server to read ?container=).
  const auto& sent = client.routes.requests();
  CHECK(std::any_of(sent.begin(), sent.end(), [](const kube::HttpRequest& r) {
    return r.path == "/api/v1/namespaces/ml/pods/chat-abc/log?container=vllm&previous=true&tailLines=5";
  }));
  // The workload's watch was cancelled (or never started, when the pods were
  // quicker), and not resumed.
  CHECK(workload_watches <= 1);
  // The display followed the pod, whose change the workload never showed.
  CHECK(out.str().find("pod chat-abc: Running on gpu-node-0\n") != std::string::npos);
  CHECK(out.str().find("pod chat-abc: Running on gpu-node-0: CrashLoopBackOff (3 restarts)\n") != std::string::npos);
}

TEST_CASE("WaitForWorkload: pods left from an older template do not end the wait") {
  TwoWatchClient client;
  testing::FakeClock clock;
  client.Put(kChat, Deployment(0));
  client.Put(kPod, CrashLooping("vllm/vllm-openai:v0.0.0-typo"));
  std::atomic<bool> pods_seen{false};
  client.pods_watch = [&](const kube::HttpRequest& request, const kube::ChunkSink&) {
    pods_seen = true;
    return QuietUntilCancelled(request);
  };
  client.workload_watch = [&](const kube::HttpRequest&, const kube::ChunkSink& sink) {
    while (!pods_seen) std::this_thread::yield();  // the stale pod was judged first
    sink(Event("MODIFIED", Deployment(1), "301"));
    return Result<kube::HttpResponse>(kube::HttpResponse{200, {}, ""});
  };
  std::ostringstream out;
  StreamTerminal terminal(out, /*interactive=*/false);
  WaitFailure failure = WaitFailure::kNone;
  WorkloadWaitRequest request{kChat, "chat", false, std::chrono::seconds(600)};
  Status status = WaitForWorkload(client, clock, request, terminal, failure);
  CHECK_MESSAGE(status.ok(), (status.ok() ? "" : status.error().message()));
  CHECK(failure == WaitFailure::kNone);
  CHECK(out.str().find("deployment \"chat\" successfully rolled out\n") != std::string::npos);
}

const kube::ResourceRef kJobSet{"jobset.x-k8s.io", "v1alpha2", "jobsets", "ml", "js", ""};

/// A JobSet as the API server returns it before any controller acted: no status.
json UnreconciledJobSet() {
  return {{"apiVersion", "jobset.x-k8s.io/v1alpha2"},
          {"kind", "JobSet"},
          {"metadata", {{"name", "js"}, {"namespace", "ml"}, {"generation", 1}}},
          {"spec", {{"replicatedJobs", json::array()}}}};
}

TEST_CASE("WaitForWorkload: a JobSet nothing acted on, its controller not running: said after the grace period") {
  TwoWatchClient client;
  testing::FakeClock clock;
  client.Put(kJobSet, UnreconciledJobSet());
  client.workload_watch = [](const kube::HttpRequest& request, const kube::ChunkSink&) {
    return QuietUntilCancelled(request);
  };
  client.pods_watch = client.workload_watch;
  std::ostringstream out;
  StreamTerminal terminal(out, /*interactive=*/false);
  WaitFailure failure = WaitFailure::kNone;
  WorkloadWaitRequest request{kJobSet, "js", true, std::chrono::seconds(600), std::chrono::seconds(20)};
  const auto start = clock.Monotonic();
  Status status = WaitForWorkload(client, clock, request, terminal, failure);
  REQUIRE_FALSE(status.ok());
  CHECK(failure == WaitFailure::kFailed);
  CHECK(status.error().message() ==
        "jobsets.jobset.x-k8s.io/js has no status and no pods 20s after it was applied: the JobSet controller did "
        "not act on it and is not running: there is no Deployment jobset-system/jobset-controller-manager, and "
        "there is no leader election Lease jobset-system/6d4f6a47.jobset.x-k8s.io (kubectl get deployment,pods -n "
        "jobset-system)");
  // At the grace period, long before the timeout.
  CHECK(clock.Monotonic() - start < std::chrono::seconds(30));
}

TEST_CASE("WaitForWorkload: a late JobSet controller that runs is named, and the wait goes on until it acts") {
  TwoWatchClient client;
  testing::FakeClock clock;
  client.Put(kJobSet, UnreconciledJobSet());
  // Renewed just now, as the wait will see it once the grace period passed.
  client.Put({"coordination.k8s.io", "v1", "leases", "jobset-system", "6d4f6a47.jobset.x-k8s.io", ""},
             {{"apiVersion", "coordination.k8s.io/v1"},
              {"kind", "Lease"},
              {"metadata", {{"name", "6d4f6a47.jobset.x-k8s.io"}, {"namespace", "jobset-system"}}},
              {"spec",
               {{"holderIdentity", "host_5f1c"},
                {"leaseDurationSeconds", 15},
                {"renewTime", FormatRfc3339(clock.Now() + std::chrono::seconds(20))}}}});
  client.pods_watch = [](const kube::HttpRequest& request, const kube::ChunkSink&) {
    return QuietUntilCancelled(request);
  };
  client.workload_watch = [&](const kube::HttpRequest&, const kube::ChunkSink& sink) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (client.lease_reads == 0 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    json done = UnreconciledJobSet();
    done["status"] = {{"conditions", json::array({{{"type", "Completed"}, {"status", "True"}}})}};
    sink(Event("MODIFIED", done, "400"));
    return Result<kube::HttpResponse>(kube::HttpResponse{200, {}, ""});
  };
  std::ostringstream out;
  StreamTerminal terminal(out, /*interactive=*/false);
  WaitFailure failure = WaitFailure::kNone;
  WorkloadWaitRequest request{kJobSet, "js", true, std::chrono::seconds(600), std::chrono::seconds(20)};
  Status status = WaitForWorkload(client, clock, request, terminal, failure);
  CHECK_MESSAGE(status.ok(), (status.ok() ? "" : status.error().message()));
  CHECK(failure == WaitFailure::kNone);
  CHECK(out.str().find("jobsets.jobset.x-k8s.io/js has no status and no pods 20s after it was applied: the JobSet "
                       "controller did not act on it and runs: its leader election Lease "
                       "jobset-system/6d4f6a47.jobset.x-k8s.io was renewed ") != std::string::npos);
  CHECK(out.str().find("jobset \"js\" completed\n") != std::string::npos);
}

TEST_CASE("WaitForWorkload: a Deployment has no controller entry, so nothing is said of one") {
  TwoWatchClient client;
  testing::FakeClock clock;
  json deployment = Deployment(0);
  deployment.erase("status");
  client.Put(kChat, deployment);
  client.pods_watch = [](const kube::HttpRequest& request, const kube::ChunkSink&) {
    return QuietUntilCancelled(request);
  };
  client.workload_watch = [&](const kube::HttpRequest&, const kube::ChunkSink& sink) {
    clock.Advance(std::chrono::seconds(60));  // past any grace period
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sink(Event("MODIFIED", Deployment(1), "301"));
    return Result<kube::HttpResponse>(kube::HttpResponse{200, {}, ""});
  };
  std::ostringstream out;
  StreamTerminal terminal(out, /*interactive=*/false);
  WaitFailure failure = WaitFailure::kNone;
  WorkloadWaitRequest request{kChat, "chat", false, std::chrono::seconds(600), std::chrono::seconds(20)};
  Status status = WaitForWorkload(client, clock, request, terminal, failure);
  CHECK(status.ok());
  CHECK(client.lease_reads == 0);
  CHECK(out.str().find("did not act on it") == std::string::npos);
}

}  // namespace
}  // namespace llm
