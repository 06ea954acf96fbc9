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
    return FakeRestClient::Get(ref);
  }
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

}  // namespace
}  // namespace llm
