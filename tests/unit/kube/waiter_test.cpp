#include "kube/waiter.h"

#include <atomic>
#include <thread>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "kube/rollout_status.h"

namespace llm::kube {
namespace {
using nlohmann::json;
using testing::FakeClock;
using testing::FakeRestClient;

const ResourceRef kChat{"apps", "v1", "deployments", "ml", "chat", ""};

json Deployment(int available) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "chat"}, {"namespace", "ml"}, {"generation", 1}}},
          {"spec", {{"replicas", 2}}},
          {"status",
           {{"observedGeneration", 1}, {"replicas", 2}, {"updatedReplicas", 2}, {"availableReplicas", available}}}};
}

std::string Event(const std::string& type, json object, const std::string& rv) {
  object["metadata"]["resourceVersion"] = rv;
  return json{{"type", type}, {"object", object}}.dump() + "\n";
}

TEST_CASE("an object already in the wanted state needs no watch") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(kChat, Deployment(2));
  Waiter waiter(client, clock);
  auto result = waiter.WaitFor(kChat, RolledOut(), std::chrono::seconds(30));
  REQUIRE(result.ok());
  CHECK(result->message == R"(deployment "chat" successfully rolled out)");
  CHECK(client.stream_requests().empty());
  CHECK(client.calls() == std::vector<std::string>{"LIST deployments.apps ml"});
}

TEST_CASE("the watch delivers the state that satisfies the predicate, progress is reported once per message") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(kChat, Deployment(0));
  client.QueueStreamChunks({Event("MODIFIED", Deployment(0), "200") + Event("MODIFIED", Deployment(1), "201"),
                            Event("MODIFIED", Deployment(2), "202")});
  Waiter waiter(client, clock);
  std::vector<std::string> progress;
  auto result = waiter.WaitFor(kChat, RolledOut(), std::chrono::seconds(30),
                               [&](const WaitCheck& check) { progress.push_back(check.message); });
  REQUIRE(result.ok());
  CHECK(result->object["status"]["availableReplicas"] == 2);
  CHECK(progress ==
        std::vector<std::string>{
            R"(Waiting for deployment "chat" rollout to finish: 0 of 2 updated replicas are available...)",
            R"(Waiting for deployment "chat" rollout to finish: 1 of 2 updated replicas are available...)"});
  REQUIRE(client.stream_requests().size() == 1);
  CHECK(client.stream_requests()[0].path.find("fieldSelector=metadata.name%3Dchat") != std::string::npos);
}

TEST_CASE("waiting for deletion") {
  FakeRestClient client;
  FakeClock clock;
  Waiter waiter(client, clock);
  SUBCASE("already gone") {
    REQUIRE(waiter.WaitFor(kChat, IsDeleted(), std::chrono::seconds(30)).ok());
    CHECK(client.stream_requests().empty());
  }
  SUBCASE("deleted while watching") {
    client.Put(kChat, Deployment(2));
    client.QueueStreamChunks({Event("DELETED", Deployment(2), "300")});
    auto result = waiter.WaitFor(kChat, IsDeleted(), std::chrono::seconds(30));
    REQUIRE(result.ok());
    CHECK(result->object.is_null());
  }
}

TEST_CASE("timeouts give kubectl's message, zero means check once") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(kChat, Deployment(0));
  client.QueueStream([&](const HttpRequest&, const ChunkSink& sink) -> Result<HttpResponse> {
    clock.Advance(std::chrono::seconds(11));
    sink(R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"400"}}})"
         "\n");
    return HttpResponse{200, {}, ""};
  });
  Waiter waiter(client, clock);
  auto result = waiter.WaitFor(kChat, ConditionIs("Available"), std::chrono::seconds(10));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind() == ErrorKind::kTimeout);
  CHECK(result.error().message() == "timed out waiting for the condition on deployments/chat");

  FakeRestClient once;
  once.Put(kChat, Deployment(0));
  Waiter quick(once, clock);
  auto checked = quick.WaitFor(kChat, ConditionIs("Available"), std::chrono::seconds(0));
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().kind() == ErrorKind::kTimeout);
  CHECK(once.stream_requests().empty());
}

TEST_CASE("a state that can no longer succeed fails the wait at once") {
  FakeRestClient client;
  FakeClock clock;
  ResourceRef job{"batch", "v1", "jobs", "ml", "train", ""};
  client.Put(job, json::parse(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"generation":1},
      "status":{"conditions":[{"type":"Failed","status":"True","reason":"DeadlineExceeded",
      "message":"Job was active longer than specified deadline"}]}})"));
  Waiter waiter(client, clock);
  auto result = waiter.WaitFor(job, RolledOut(), std::chrono::seconds(30));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message() ==
        R"(job "train" failed: DeadlineExceeded: Job was active longer than specified deadline)");
}

TEST_CASE("stop_requested ends a wait from another thread, with an error that says so") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(kChat, Deployment(0));
  std::atomic<bool> stop{false};
  std::atomic<bool> streaming{false};
  client.QueueStream([&](const HttpRequest& request, const ChunkSink&) -> Result<HttpResponse> {
    streaming = true;
    while (!request.cancelled()) std::this_thread::yield();
    return HttpResponse{200, {}, ""};
  });
  std::thread other([&] {
    while (!streaming) std::this_thread::yield();
    stop = true;
  });
  Waiter waiter(client, clock);
  auto result = waiter.WaitFor(kChat, RolledOut(), std::chrono::seconds(30), {}, [&] { return stop.load(); });
  other.join();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind() == ErrorKind::kInternal);
  CHECK(result.error().message() == "stopped waiting for deployments/chat");
}

}  // namespace
}  // namespace llm::kube
