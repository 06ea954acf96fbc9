#include "commands/logs_command.h"

#include <map>
#include <mutex>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "kube/transport.h"

namespace llm {
namespace {
using nlohmann::json;

json Pod(const std::string& name, json extra_labels, const std::string& container = "main") {
  json labels = {{"app.kubernetes.io/instance", "train"}};
  labels.update(extra_labels);
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", "ml"}, {"labels", labels}}},
          {"spec", {{"containers", {{{"name", container}}}}}}};
}

json RankPod(int rank) {
  return Pod(
      "train-" + std::to_string(rank) + "-x7k2p",
      {{"batch.kubernetes.io/job-completion-index", std::to_string(rank)}, {"batch.kubernetes.io/job-name", "train"}});
}

/// Follow streams answered per pod path, safely from several threads.
class StreamingClient : public testing::FakeRestClient {
 public:
  std::map<std::string, std::vector<std::string>> chunks;  ///< pod name -> chunks
  std::vector<std::string> paths;
  std::string fail_pod;  ///< this pod's stream fails with NotFound

  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override {
    std::vector<std::string> mine;
    {
      std::lock_guard<std::mutex> lock(mu_);
      paths.push_back(request.path);
      if (!fail_pod.empty() && request.path.find("/pods/" + fail_pod + "/log") != std::string::npos) {
        return ErrorFromStatus(404, "NotFound", "gone");
      }
      for (const auto& [pod, pieces] : chunks) {
        if (request.path.find("/pods/" + pod + "/log") != std::string::npos) mine = pieces;
      }
    }
    for (const std::string& piece : mine) sink(piece);
    return kube::HttpResponse{200, {}, ""};
  }

 private:
  std::mutex mu_;
};

struct Fixture {
  StreamingClient client;
  testing::FakeClock clock;
  std::ostringstream out, err;
  std::istringstream in;

  void Add(const json& pod) { client.Put({"", "v1", "pods", "ml", pod["metadata"]["name"], ""}, pod); }
  Status Run(LogsOptions options) { return RunLogs(options, client, clock, "ml", IoStreams{in, out, err}); }
};

TEST_CASE("logs of every pod, prefixed by rank, in rank order") {
  Fixture f;
  f.Add(RankPod(1));
  f.Add(RankPod(0));
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/train-0-x7k2p/log",
                     kube::HttpResponse{200, {}, "step 1\nstep 2\n"});
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/train-1-x7k2p/log", kube::HttpResponse{200, {}, "ready"});
  REQUIRE(f.Run({.name = "train", .tail = 10, .since_seconds = 60}).ok());
  CHECK(f.out.str() == "[train-0 rank=0] step 1\n[train-0 rank=0] step 2\n[train-1 rank=1] ready\n");
  const auto& requests = f.client.routes.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].path == "/api/v1/namespaces/ml/pods/train-0-x7k2p/log?container=main&tailLines=10&sinceSeconds=60");
}

TEST_CASE("logs --rank and --role select pods") {
  std::vector<json> pods = {
      RankPod(0),
      RankPod(1),
      Pod("chat-0", {{"leaderworkerset.sigs.k8s.io/worker-index", "0"}}),
      Pod("chat-0-1", {{"leaderworkerset.sigs.k8s.io/worker-index", "1"}}),
  };
  auto names = [](const std::vector<json>& chosen) {
    std::vector<std::string> out;
    for (const json& p : chosen) out.push_back(p["metadata"]["name"]);
    return out;
  };
  CHECK(names(SelectLogPods(pods, {.rank = 1})) == std::vector<std::string>{"chat-0-1", "train-1-x7k2p"});
  CHECK(names(SelectLogPods(pods, {.role = "leader"})) == std::vector<std::string>{"chat-0"});
  CHECK(names(SelectLogPods(pods, {.role = "worker"})) == std::vector<std::string>{"chat-0-1"});
}

TEST_CASE("logs -f merges chunked streams of several pods into whole lines") {
  Fixture f;
  f.Add(RankPod(0));
  f.Add(RankPod(1));
  f.client.chunks["train-0-x7k2p"] = {"loss=1.", "5\nloss=1.", "4\n"};
  f.client.chunks["train-1-x7k2p"] = {"warm", "ing up\npartial"};
  REQUIRE(f.Run({.name = "train", .follow = true}).ok());
  std::vector<std::string> lines;
  std::istringstream text(f.out.str());
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{"[train-0 rank=0] loss=1.4", "[train-0 rank=0] loss=1.5",
                                          "[train-1 rank=1] partial", "[train-1 rank=1] warming up"});
  REQUIRE(f.client.paths.size() == 2);
  for (const std::string& path : f.client.paths) CHECK(path.find("follow=true") != std::string::npos);
}

TEST_CASE("logs -f: a pod whose stream fails is reported once, the others still stream") {
  Fixture f;
  f.Add(RankPod(0));
  f.Add(RankPod(1));
  f.client.chunks["train-0-x7k2p"] = {"ok\n"};
  f.client.fail_pod = "train-1-x7k2p";
  Status status = f.Run({.name = "train", .follow = true});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message() == "the logs of 1 of 2 pods could not be followed (named above)");
  CHECK(f.out.str() == "[train-0 rank=0] ok\n");
  // The pod's own line carries no "error:": the command's one error line is the last.
  CHECK(f.err.str() == "pod train-1-x7k2p: Error from server (NotFound): gone\n");
  CHECK(f.clock.sleeps().empty());  // NotFound is not a dropped connection: never retried
}

TEST_CASE("logs errors: no pods, no match, a pod's failure named") {
  Fixture f;
  Status none = f.Run({.name = "train"});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message().find("no pods of workload \"train\" in namespace \"ml\"") == 0);
  f.Add(RankPod(0));
  Status unmatched = f.Run({.name = "train", .role = "leader"});
  REQUIRE_FALSE(unmatched.ok());
  CHECK(unmatched.error().message() == "none of the 1 pods of workload \"train\" match --role leader");
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/train-0-x7k2p/log",
                     testing::FakeTransport::Json(400, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                                                       R"("message":"container \"main\" is waiting to start",)"
                                                       R"("reason":"BadRequest","code":400})"));
  Status failed = f.Run({.name = "train"});
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message().find("pod train-0-x7k2p: ") == 0);
  CHECK(failed.error().message().find("is waiting to start") != std::string::npos);
}

TEST_CASE("logs --no-prefix, --since parsing, the default container") {
  Fixture f;
  f.Add(RankPod(0));
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/train-0-x7k2p/log", kube::HttpResponse{200, {}, " indented\n"});
  REQUIRE(f.Run({.name = "train", .prefix = false}).ok());
  CHECK(f.out.str() == " indented\n");
  CHECK(ParseSinceSeconds("300").error().message() ==
        "--since: '300' has no unit; give a duration such as 300s, 5m or 1h");
  CHECK(*ParseSinceSeconds("300s") == 300);
  CHECK(*ParseSinceSeconds("5m") == 300);
  CHECK(ParseSinceSeconds("5 minutes").error().message().find("--since") != std::string::npos);
  json pod = Pod("p", json::object());
  pod["metadata"]["annotations"] = {{"kubectl.kubernetes.io/default-container", "vllm"}};
  CHECK(LogContainer(pod, "") == "vllm");
  CHECK(LogContainer(pod, "sidecar") == "sidecar");
  CHECK(ValidateLogsOptions({.name = "x", .role = "boss"}).error().kind() == ErrorKind::kUsage);
}

TEST_CASE("logs -p, --timestamps, --since-time and --all-containers ask the API as kubectl logs does") {
  Fixture f;
  json pod = RankPod(0);
  pod["spec"]["initContainers"] = {{{"name", "fetch"}}};
  pod["spec"]["containers"].push_back({{"name", "sidecar"}});
  f.Add(pod);
  const std::string log = "/api/v1/namespaces/ml/pods/train-0-x7k2p/log";
  f.client.routes.OnHandler("GET", log, [](const kube::HttpRequest& request) -> Result<kube::HttpResponse> {
    const std::string container = request.path.substr(request.path.find("container=") + 10);
    return kube::HttpResponse{
        200, {}, "2026-12-05T10:00:01.5Z from " + container.substr(0, container.find('&')) + "\n"};
  });
  REQUIRE(f.Run({.name = "train", .since_time = "2026-12-05T10:00:00Z", .previous = true, .timestamps = true}).ok());
  CHECK(f.out.str() == "[train-0 rank=0] 2026-12-05T10:00:01.5Z from main\n");
  CHECK(f.client.routes.requests().back().path ==
        log + "?container=main&previous=true&timestamps=true&sinceTime=2026-12-05T10%3A00%3A00Z");

  f.out.str("");
  REQUIRE(f.Run({.name = "train", .all_containers = true}).ok());
  CHECK(f.out.str() ==
        "[train-0 rank=0 fetch] 2026-12-05T10:00:01.5Z from fetch\n"
        "[train-0 rank=0 main] 2026-12-05T10:00:01.5Z from main\n"
        "[train-0 rank=0 sidecar] 2026-12-05T10:00:01.5Z from sidecar\n");
  CHECK(AllLogContainers(pod) == std::vector<std::string>{"fetch", "main", "sidecar"});

  CHECK(
      ValidateLogsOptions({.name = "x", .since_seconds = 60, .since_time = "2026-12-05T10:00:00Z"}).error().message() ==
      "--since and --since-time cannot both be given: choose one");
  CHECK(ValidateLogsOptions({.name = "x", .since_time = "yesterday"}).error().message() ==
        "--since-time: 'yesterday' is not an RFC 3339 time (e.g. 2026-12-05T10:00:00Z)");
  CHECK(ValidateLogsOptions({.name = "x", .container = "main", .all_containers = true}).error().message() ==
        "--container and --all-containers cannot both be given: choose one");
}

/// One pod's follow streams in turn: each answer is the chunks it delivers and
/// the error it then ends with (none: the stream ended).
class DroppingClient : public testing::FakeRestClient {
 public:
  struct Answer {
    std::vector<std::string> chunks;
    std::optional<Error> error;
  };
  std::vector<Answer> answers;
  std::vector<std::string> paths;

  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override {
    paths.push_back(request.path);
    REQUIRE(paths.size() <= answers.size());
    const Answer& answer = answers[paths.size() - 1];
    for (const std::string& chunk : answer.chunks) sink(chunk);
    if (answer.error) return *answer.error;
    return kube::HttpResponse{200, {}, ""};
  }
};

/// One pod, train-0, whose follow streams DroppingClient answers.
struct DroppingFixture {
  DroppingClient client;
  testing::FakeClock clock;
  std::ostringstream out, err;
  std::istringstream in;

  DroppingFixture() { client.Put({"", "v1", "pods", "ml", "train-0-x7k2p", ""}, RankPod(0)); }
  Status Run(LogsOptions options) { return RunLogs(options, client, clock, "ml", IoStreams{in, out, err}); }
};

TEST_CASE("logs -f: a dropped stream is opened again from its last line, no line printed twice or lost") {
  DroppingFixture f;
  DroppingClient& client = f.client;
  const Error dropped = kube::UnableToConnectError("unexpected EOF");
  client.answers = {
      // Two lines share a timestamp; the connection drops inside the next line.
      {{"2026-12-05T01:02:02.5Z first\n2026-12-05T01:02:03.25Z sec", "ond\n2026-12-05T01:02:03.25Z third\n",
        "2026-12-05T01:02:03.9Z four"},
       dropped},
      // The API server refuses while it restarts.
      {{}, kube::ConnectionRefusedError("127.0.0.1:6443")},
      // Resumed from the whole second: the two lines already printed come again.
      {{"2026-12-05T01:02:03.1Z before\n2026-12-05T01:02:03.25Z second\n2026-12-05T01:02:03.250Z third\n"
        "2026-12-05T01:02:03.9Z fourth\n2026-12-05T01:02:04Z fifth\n"},
       std::nullopt},
  };
  Status status = f.Run({.name = "train", .follow = true, .tail = 5});
  REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.error().message()));
  CHECK(f.out.str() ==
        "[train-0 rank=0] first\n[train-0 rank=0] second\n[train-0 rank=0] third\n[train-0 rank=0] fourth\n"
        "[train-0 rank=0] fifth\n");
  CHECK(f.err.str().empty());
  REQUIRE(client.paths.size() == 3);
  CHECK(client.paths[0] ==
        "/api/v1/namespaces/ml/pods/train-0-x7k2p/log?container=main&follow=true&timestamps=true&tailLines=5");
  CHECK(client.paths[1] ==
        "/api/v1/namespaces/ml/pods/train-0-x7k2p/log?container=main&follow=true&timestamps=true&sinceTime=2026-12-"
        "05T01%3A02%3A03Z");
  CHECK(client.paths[2] == client.paths[1]);
  CHECK(f.clock.sleeps() ==
        std::vector<std::chrono::nanoseconds>{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)});
}

TEST_CASE("logs -f --timestamps keeps each line's timestamp through a resumed stream") {
  DroppingFixture f;
  f.client.answers = {
      {{"2026-12-05T01:02:02.5Z first\n2026-12-05T01:02:03.25Z second\n"}, kube::UnableToConnectError("EOF")},
      {{"2026-12-05T01:02:03.25Z second\n2026-12-05T01:02:04Z third\n"}, std::nullopt},
  };
  REQUIRE(f.Run({.name = "train", .follow = true, .timestamps = true, .prefix = false}).ok());
  CHECK(f.out.str() == "2026-12-05T01:02:02.5Z first\n2026-12-05T01:02:03.25Z second\n2026-12-05T01:02:04Z third\n");
}

TEST_CASE("logs -f: a connection that never comes back is given up after 60 s, with the last error") {
  DroppingFixture f;
  DroppingClient& client = f.client;
  client.answers.push_back({{"2026-12-05T01:02:03Z up\n"}, kube::UnableToConnectError("unexpected EOF")});
  for (int i = 0; i < 40; ++i) client.answers.push_back({{}, kube::ConnectionRefusedError("127.0.0.1:6443")});
  Status status = f.Run({.name = "train", .follow = true});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message() == "the logs of 1 of 1 pods could not be followed (named above)");
  CHECK(f.err.str() ==
        "pod train-0-x7k2p: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host "
        "or port?\n");
  CHECK(f.out.str() == "[train-0 rank=0] up\n");
  // 0.5 + 1 + 2 + 4 s, then 4 s apart, until 60 s passed without a connection.
  std::chrono::nanoseconds slept{0};
  for (auto d : f.clock.sleeps()) slept += d;
  CHECK(slept >= std::chrono::seconds(60));
  CHECK(slept < std::chrono::seconds(64));
  CHECK(client.paths.size() == f.clock.sleeps().size() + 1);
}

}  // namespace
}  // namespace llm
