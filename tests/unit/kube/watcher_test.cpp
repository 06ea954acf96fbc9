#include "kube/watcher.h"

#include <atomic>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "fakes/fake_transport.h"
#include "kube/object_fields.h"
#include "kube/rest_client_impl.h"

namespace llm::kube {
namespace {
using nlohmann::json;
using testing::FakeClock;
using testing::FakeRestClient;

const ResourceRef kPods{"", "v1", "pods", "ml", "", ""};

ResourceRef Pod(const std::string& name) {
  ResourceRef ref = kPods;
  ref.name = name;
  return ref;
}

json PodObject(const std::string& phase) {
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"status", {{"phase", phase}}}};
}

std::string Event(const std::string& type, const std::string& name, const std::string& rv,
                  const std::string& phase = "Running") {
  json object = PodObject(phase);
  object["metadata"] = {{"name", name}, {"namespace", "ml"}, {"resourceVersion", rv}};
  return json{{"type", type}, {"object", object}}.dump() + "\n";
}

std::string Bookmark(const std::string& rv) {
  return json{{"type", "BOOKMARK"}, {"object", {{"kind", "Pod"}, {"metadata", {{"resourceVersion", rv}}}}}}.dump() +
         "\n";
}

std::string Expired() {
  return R"J({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)J"
         R"J("message":"too old resource version: 101 (150)","reason":"Expired","code":410}})J"
         "\n";
}

// What the handler saw, as "TYPE name" strings (synthetic events marked with *).
struct Recorder {
  std::vector<std::string> seen;
  std::function<bool(const WatchEvent&)> stop_when = [](const WatchEvent&) { return false; };

  WatchHandler Handler() {
    return [this](const WatchEvent& event) -> Result<bool> {
      static const char* kNames[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "SYNCED"};
      std::string line = kNames[static_cast<int>(event.type)];
      if (event.object.contains("metadata")) {
        line += " " + event.object.value("/metadata/name"_json_pointer, std::string());
      }
      if (event.synthetic) line += "*";
      seen.push_back(line);
      return !stop_when(event);
    };
  }
};

std::string Query(const HttpRequest& request, const std::string& key) {
  const std::string& path = request.path;
  auto at = path.find("&" + key + "=");
  if (at == std::string::npos) at = path.find("?" + key + "=");
  if (at == std::string::npos) return "<absent>";
  auto begin = at + key.size() + 2;
  return path.substr(begin, path.find('&', begin) - begin);
}

TEST_CASE("list, then watch from the list's resourceVersion with bookmarks") {
  FakeRestClient client;
  FakeClock clock;
  json labelled = PodObject("Pending");
  labelled["metadata"]["labels"] = {{"app.kubernetes.io/instance", "chat"}};
  client.Put(Pod("a"), labelled);
  client.Put(Pod("other"), PodObject("Pending"));
  const std::string list_rv = client.resource_version();
  client.QueueStreamChunks(
      {Event("MODIFIED", "a", "201") + Event("ADDED", "b", "202") + Bookmark("250") + Event("DELETED", "b", "260")});
  WatchOptions options;
  options.label_selector = "app.kubernetes.io/instance=chat";
  options.field_selector = "metadata.name=a";
  Watcher watcher(client, clock, {"", "v1", "pods", "ml", "", ""}, options);
  Recorder recorder;
  recorder.stop_when = [](const WatchEvent& event) { return event.type == WatchEventType::kDeleted; };
  REQUIRE(watcher.Run(recorder.Handler()).ok());
  CHECK(recorder.seen ==
        std::vector<std::string>{"ADDED a*", "SYNCED*", "MODIFIED a", "ADDED b", "BOOKMARK ", "DELETED b"});
  REQUIRE(client.stream_requests().size() == 1);
  const HttpRequest& request = client.stream_requests()[0];
  CHECK(request.path.rfind("/api/v1/namespaces/ml/pods?watch=1&allowWatchBookmarks=true", 0) == 0);
  CHECK(Query(request, "resourceVersion") == list_rv);
  CHECK(Query(request, "labelSelector") == "app.kubernetes.io%2Finstance%3Dchat");
  CHECK(Query(request, "fieldSelector") == "metadata.name%3Da");
  CHECK(Query(request, "timeoutSeconds") == "300");
  CHECK(watcher.resource_version() == "260");
}

TEST_CASE("a watch the server ends resumes from the last resourceVersion, bookmarks included") {
  FakeRestClient client;
  FakeClock clock;
  client.QueueStreamChunks({Event("ADDED", "a", "301"), Bookmark("340")});
  client.QueueStream([&](const HttpRequest&, const ChunkSink&) -> Result<HttpResponse> {
    clock.Advance(std::chrono::minutes(5));  // timeoutSeconds passed with nothing to say
    return HttpResponse{200, {}, ""};
  });
  client.QueueStreamChunks({Event("MODIFIED", "a", "350", "Succeeded")});
  Watcher watcher(client, clock, kPods, WatchOptions{});
  Recorder recorder;
  recorder.stop_when = [](const WatchEvent& event) {
    return event.object.value("/status/phase"_json_pointer, std::string()) == "Succeeded";
  };
  REQUIRE(watcher.Run(recorder.Handler()).ok());
  REQUIRE(client.stream_requests().size() == 3);
  CHECK(Query(client.stream_requests()[1], "resourceVersion") == "340");
  CHECK(Query(client.stream_requests()[2], "resourceVersion") == "340");
  CHECK(watcher.lists() == 1);
  CHECK(clock.sleeps().empty());  // a server-side timeout is normal: no backoff
  CHECK(recorder.seen.back() == "MODIFIED a");
}

TEST_CASE("a watch that ends at once without events is backed off from, and given up on") {
  FakeRestClient client;
  FakeClock clock;
  for (int i = 0; i < 10; ++i) client.QueueStreamChunks({});
  WatchOptions options;
  options.max_failures = 4;
  Watcher watcher(client, clock, kPods, options);
  Status status = watcher.Run(Recorder().Handler());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("ended the watch at once") != std::string::npos);
  CHECK(client.stream_requests().size() == 4);
  CHECK(clock.sleeps().size() == 3);
}

TEST_CASE("an ERROR 410 event relists and reports what changed meanwhile, losing no update") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(Pod("a"), PodObject("Running"));
  client.Put(Pod("b"), PodObject("Running"));
  client.Put(Pod("gone"), PodObject("Running"));
  client.QueueStream([&](const HttpRequest&, const ChunkSink& sink) -> Result<HttpResponse> {
    // While this watch falls behind, b changes, c appears and "gone" is deleted:
    // the stream never reports it, the relist must.
    client.Put(Pod("b"), PodObject("Succeeded"));
    client.Put(Pod("c"), PodObject("Pending"));
    REQUIRE(client.Delete(Pod("gone"), DeleteOptions{}).ok());
    sink(Expired());
    return HttpResponse{200, {}, ""};
  });
  std::string relist_rv;
  client.QueueStream([&](const HttpRequest& request, const ChunkSink& sink) -> Result<HttpResponse> {
    relist_rv = Query(request, "resourceVersion");
    sink(Event("MODIFIED", "c", "999"));
    return HttpResponse{200, {}, ""};
  });
  Watcher watcher(client, clock, kPods, WatchOptions{});
  Recorder recorder;
  recorder.stop_when = [](const WatchEvent& event) { return !event.synthetic; };
  REQUIRE(watcher.Run(recorder.Handler()).ok());
  CHECK(watcher.lists() == 2);
  CHECK(recorder.seen == std::vector<std::string>{"ADDED a*", "ADDED b*", "ADDED gone*", "SYNCED*", "MODIFIED b*",
                                                  "ADDED c*", "DELETED gone*", "SYNCED*", "MODIFIED c"});
  CHECK(relist_rv == client.resource_version());
}

TEST_CASE("transform cuts listed items and watched objects down before the handler sees or the watcher keeps them") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(Pod("a"), PodObject("Running"));
  client.Put(Pod("gone"), PodObject("Running"));
  client.QueueStream([&](const HttpRequest&, const ChunkSink& sink) -> Result<HttpResponse> {
    REQUIRE(client.Delete(Pod("gone"), DeleteOptions{}).ok());
    // c is seen only on the stream; the relist finds it gone.
    sink(Event("ADDED", "c", "300") + Expired());
    return HttpResponse{200, {}, ""};
  });
  client.QueueStreamChunks({Event("ADDED", "b", "999")});
  WatchOptions options;
  options.transform = [](json& pod) { pod.erase("status"); };
  Watcher watcher(client, clock, kPods, options);
  Recorder recorder;
  WatchHandler record = recorder.Handler();
  auto status = watcher.Run([&](const WatchEvent& event) -> Result<bool> {
    if (event.type != WatchEventType::kSynced) {
      CHECK_FALSE(event.object.contains("status"));
      CHECK(event.object.contains("metadata"));
    }
    (void)record(event);
    return NameOf(event.object) != "b";
  });
  REQUIRE(status.ok());
  // The relist's DELETED events carry the objects as the watcher kept them: cut down too.
  CHECK(recorder.seen == std::vector<std::string>{"ADDED a*", "ADDED gone*", "SYNCED*", "ADDED c", "DELETED c*",
                                                  "DELETED gone*", "SYNCED*", "ADDED b"});
}

TEST_CASE("an HTTP 410 on the watch request relists too") {
  FakeRestClient client;
  FakeClock clock;
  client.Put(Pod("a"), PodObject("Running"));
  client.QueueStreamError(FakeRestClient::ErrorFromStatus(410, "Expired", "too old resource version: 1 (2)"));
  client.QueueStreamChunks({Event("DELETED", "a", "500")});
  Watcher watcher(client, clock, kPods, WatchOptions{});
  Recorder recorder;
  recorder.stop_when = [](const WatchEvent& event) { return event.type == WatchEventType::kDeleted; };
  REQUIRE(watcher.Run(recorder.Handler()).ok());
  CHECK(watcher.lists() == 2);
  CHECK(clock.sleeps().empty());  // a relist is not a failure to back off from
  CHECK(recorder.seen == std::vector<std::string>{"ADDED a*", "SYNCED*", "SYNCED*", "DELETED a"});
}

TEST_CASE("transient failures are retried with backoff from the same resourceVersion, permanent ones end the run") {
  FakeRestClient client;
  FakeClock clock;
  client.QueueStreamError(Error(ErrorKind::kConnection, "connection reset"));
  client.QueueStreamChunks(
      {R"({"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"etcd leader changed","reason":"InternalError","code":500}})"
       "\n"});
  client.QueueStreamChunks({Event("ADDED", "a", "700")});
  Watcher watcher(client, clock, kPods, WatchOptions{});
  Recorder recorder;
  recorder.stop_when = [](const WatchEvent& event) { return event.type == WatchEventType::kAdded && !event.synthetic; };
  REQUIRE(watcher.Run(recorder.Handler()).ok());
  CHECK(watcher.lists() == 1);
  CHECK(clock.sleeps() ==
        std::vector<std::chrono::nanoseconds>{std::chrono::milliseconds(200), std::chrono::milliseconds(400)});
  const std::string rv = Query(client.stream_requests()[0], "resourceVersion");
  CHECK(Query(client.stream_requests()[2], "resourceVersion") == rv);

  FakeRestClient forbidden;
  forbidden.QueueStreamError(FakeRestClient::ErrorFromStatus(403, "Forbidden", "pods is forbidden"));
  Watcher denied(forbidden, clock, kPods, WatchOptions{});
  Status status = denied.Run(Recorder().Handler());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind() == ErrorKind::kForbidden);
  CHECK(forbidden.stream_requests().size() == 1);

  FakeRestClient flaky;
  for (int i = 0; i < 10; ++i) flaky.QueueStreamError(Error(ErrorKind::kConnection, "refused"));
  WatchOptions options;
  options.max_failures = 3;
  Watcher gives_up(flaky, clock, kPods, options);
  status = gives_up.Run(Recorder().Handler());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind() == ErrorKind::kConnection);
  CHECK(flaky.stream_requests().size() == 3);
}

TEST_CASE("the deadline bounds the run and the server-side timeout") {
  FakeRestClient client;
  FakeClock clock;
  client.QueueStream([&](const HttpRequest&, const ChunkSink& sink) -> Result<HttpResponse> {
    clock.Advance(std::chrono::seconds(31));
    sink(Bookmark("800"));
    sink(Event("ADDED", "late", "801"));  // not delivered: the sink already said stop
    return HttpResponse{200, {}, ""};
  });
  WatchOptions options;
  options.deadline = clock.Now() + std::chrono::seconds(30);
  Watcher watcher(client, clock, kPods, options);
  Recorder recorder;
  Status status = watcher.Run(recorder.Handler());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind() == ErrorKind::kTimeout);
  CHECK(Query(client.stream_requests()[0], "timeoutSeconds") == "30");
  CHECK(client.stream_requests()[0].timeout == std::chrono::seconds(45));
  CHECK(recorder.seen == std::vector<std::string>{"SYNCED*", "BOOKMARK "});
}

TEST_CASE("a handler error ends the run and is not retried") {
  FakeRestClient client;
  FakeClock clock;
  client.QueueStreamChunks({Event("ADDED", "a", "1")});
  Watcher watcher(client, clock, kPods, WatchOptions{});
  Status status = watcher.Run([](const WatchEvent& event) -> Result<bool> {
    if (event.synthetic) return true;
    return Error(ErrorKind::kServer, "job failed");
  });
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("job failed") != std::string::npos);
  CHECK(client.stream_requests().size() == 1);
}

TEST_CASE("stop_requested ends a watch that has no events to deliver, when its request ends") {
  FakeRestClient client;
  FakeClock clock;
  // A quiet watch: the server ends it after its timeoutSeconds with nothing to say.
  for (int i = 0; i < 3; ++i) {
    client.QueueStream([&clock](const HttpRequest&, const ChunkSink&) -> Result<HttpResponse> {
      clock.Advance(std::chrono::seconds(2));
      return HttpResponse{200, {}, ""};
    });
  }
  WatchOptions options;
  options.max_watch_duration = std::chrono::seconds(2);
  bool stop = false;
  int asked = 0;
  options.stop_requested = [&] {
    ++asked;
    return stop;
  };
  Recorder recorder;
  recorder.stop_when = [&](const WatchEvent& event) {
    stop = event.type == WatchEventType::kSynced;  // the caller decides to stop; no event will tell the watcher
    return false;
  };
  Watcher watcher(client, clock, kPods, options);
  CHECK(watcher.Run(recorder.Handler()).ok());
  CHECK(client.stream_requests().size() == 1);
  CHECK(asked == 2);
}

TEST_CASE("another thread ends a quiet watch through stop_requested, which the request carries as its cancel check") {
  FakeRestClient client;
  FakeClock clock;
  std::atomic<bool> stop{false};
  std::atomic<bool> streaming{false};
  // A server with nothing to say: only the request's cancel check ends it.
  client.QueueStream([&](const HttpRequest& request, const ChunkSink&) -> Result<HttpResponse> {
    streaming = true;
    while (!request.cancelled()) std::this_thread::yield();
    return HttpResponse{200, {}, ""};
  });
  WatchOptions options;
  options.stop_requested = [&] { return stop.load(); };
  std::thread other([&] {
    while (!streaming) std::this_thread::yield();
    stop = true;
  });
  Recorder recorder;
  Watcher watcher(client, clock, kPods, options);
  CHECK(watcher.Run(recorder.Handler()).ok());
  other.join();
  CHECK(client.stream_requests().size() == 1);
  CHECK(recorder.seen == std::vector<std::string>{"SYNCED*"});
}

TEST_CASE("an ERROR event other than 410 is reported as a warning and the watch goes on to later events") {
  // Through the real RestClient on a fake transport: the warning reaches the
  // command's stderr the way server warnings do.
  auto transport = std::make_shared<testing::FakeTransport>();
  auto clock = std::make_shared<FakeClock>();
  std::ostringstream err;
  RestClientOptions options;
  options.warnings = &err;
  RestClientImpl client(transport, nullptr, clock, options);
  transport->On("GET", kPods.Path(),
                testing::FakeTransport::Json(
                    200, R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10"},"items":[]})"));
  const std::string internal_error =
      R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure",)"
      R"("message":"etcd leader changed","reason":"InternalError","code":500}})"
      "\n";
  transport->OnStream("GET", kPods.Path(),
                      {Event("ADDED", "a", "11"), internal_error, Event("MODIFIED", "a", "12", "Succeeded")});
  Watcher watcher(client, *clock, kPods, WatchOptions{});
  Recorder recorder;
  // The transport replays the stream to every watch: a watcher that gave up on
  // the stream at the ERROR would see "ADDED a" again and again.
  recorder.stop_when = [&recorder](const WatchEvent& event) {
    return event.type == WatchEventType::kModified || recorder.seen.size() > 5;
  };
  Status status = watcher.Run(recorder.Handler());
  REQUIRE(status.ok());
  CHECK(recorder.seen == std::vector<std::string>{"SYNCED*", "ADDED a", "MODIFIED a"});
  CHECK(err.str() == "Warning: watching pods: Error from server (InternalError): etcd leader changed\n");
  CHECK(transport->requests().size() == 2);  // the list and one watch: the same stream went on
  CHECK(clock->sleeps().empty());
  CHECK(watcher.resource_version() == "12");
}

TEST_CASE("a server that answers every watch with only an ERROR event is backed off from, then given up on") {
  FakeRestClient client;
  FakeClock clock;
  for (int i = 0; i < 5; ++i) {
    client.QueueStreamChunks({R"({"type":"ERROR","object":{"kind":"Status","message":"too many watches",)"
                              R"("reason":"TooManyRequests","code":429}})"
                              "\n"});
  }
  WatchOptions options;
  options.max_failures = 3;
  Watcher watcher(client, clock, kPods, options);
  Status status = watcher.Run(Recorder().Handler());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message() == "watching pods: Error from server (TooManyRequests): too many watches");
  CHECK(client.stream_requests().size() == 3);
  CHECK(clock.sleeps().size() == 2);
}

TEST_CASE("before the first list, a transport failure a retry cannot fix ends the run at once") {
  FakeRestClient client;
  FakeClock clock;
  client.FailNext("LIST", UnableToConnectError("dial tcp: lookup nonexistent.invalid: no such host"));
  Watcher watcher(client, clock, kPods, WatchOptions{});
  Status status = watcher.Run(Recorder().Handler());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message() ==
        "listing pods: Unable to connect to the server: dial tcp: lookup nonexistent.invalid: no such host");
  CHECK(clock.sleeps().empty());

  FakeRestClient reset;  // a reset is worth another try
  reset.FailNext("LIST", UnableToConnectError("read: connection reset by peer"));
  reset.QueueStreamChunks({Event("ADDED", "a", "1")});
  Watcher retried(reset, clock, kPods, WatchOptions{});
  Recorder recorder;
  recorder.stop_when = [](const WatchEvent& event) { return !event.synthetic; };
  CHECK(retried.Run(recorder.Handler()).ok());
  CHECK(retried.lists() == 1);
  CHECK(clock.sleeps().size() == 1);
}

}  // namespace
}  // namespace llm::kube
