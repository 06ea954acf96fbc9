#include "commands/endpoint_test.h"

#include <doctest/doctest.h>

#include "unit/commands/served_model_fixture.h"

namespace llm {
namespace {
using std::chrono::milliseconds;
using testing::ServedModelFixture;

EndpointTestReport Run(ServedModelFixture& f, EndpointTestOptions options = {}) {
  if (options.name.empty()) options.name = "chat";
  auto report = RunEndpointTest(options, f.client, f.mapper, "ml", f.clock);
  REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().message()));
  return *report;
}

/// Options for workload "chat" with one field changed.
template <class Edit>
EndpointTestOptions Chat(Edit edit) {
  EndpointTestOptions options;
  options.name = "chat";
  edit(options);
  return options;
}

const TestStageResult& StageOf(const EndpointTestReport& r, TestStage stage) {
  for (const TestStageResult& s : r.stages) {
    if (s.stage == stage) return s;
  }
  FAIL("no stage " << TestStageName(stage));
  return r.stages.front();
}

int Calls(const ServedModelFixture& f, const std::string& what) {
  int n = 0;
  for (const std::string& call : f.client.calls()) n += call.find(what) != std::string::npos ? 1 : 0;
  for (const kube::HttpRequest& r : f.client.routes.requests()) n += r.path.find(what) != std::string::npos ? 1 : 0;
  return n;
}

TEST_CASE("endpoint test: a healthy model passes every stage, each pod's health and the Service's answers") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.QueueStream(16, milliseconds(120), milliseconds(10));
  const EndpointTestReport r = Run(f);
  CHECK(r.passed());
  CHECK(r.exit_code == 0);
  CHECK(r.engine == "vllm");
  CHECK(r.model == "Qwen/Qwen2.5-0.5B-Instruct");
  REQUIRE(r.stages.size() == 6);
  for (const TestStageResult& s : r.stages) CHECK(s.outcome == CheckOutcome::kPassed);
  CHECK(StageOf(r, TestStage::kEndpoints).checks[0].detail == "2/2 ready");
  const TestStageResult& health = StageOf(r, TestStage::kHealth);
  REQUIRE(health.checks.size() == 2);
  CHECK(health.checks[0].target == "pod/chat-a");
  CHECK(health.checks[0].detail == "GET /health 200");
  CHECK(StageOf(r, TestStage::kModels).checks.size() == 1);  // the Service only, without --per-pod
  CHECK(StageOf(r, TestStage::kModels).checks[0].target == "service/chat");
  const TestCheck& stream = StageOf(r, TestStage::kStream).checks[0];
  CHECK(stream.ttft_seconds == doctest::Approx(0.120));
  CHECK(stream.itl_seconds == doctest::Approx(0.010));
  CHECK(stream.tokens == 16);
  CHECK(stream.detail == "16 tokens, TTFT 120ms, ITL 10ms");
  CHECK(f.client.access_reviews == 4);  // get/create services/proxy, get pods/proxy, list endpointslices
  // The streamed request asks for 16 tokens and the usage chunk.
  const nlohmann::json body = nlohmann::json::parse(f.client.stream_requests().at(0).body);
  CHECK(body["max_tokens"] == kStreamMinTokens);
  CHECK(body["stream_options"]["include_usage"] == true);
  CHECK(f.client.stream_requests().at(0).path == "/api/v1/namespaces/ml/services/chat:8000/proxy/v1/completions");
}

TEST_CASE("endpoint test: a Role's rules answer the access stage in one request, and only serve's kinds are listed") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.QueueStream(16, milliseconds(5), milliseconds(5));
  // The README's Role for a CI runner.
  f.client.rules = nlohmann::json::parse(R"([
      {"verbs":["get","create"],"apiGroups":[""],"resources":["services/proxy","pods/proxy"]},
      {"verbs":["get","list"],"apiGroups":[""],"resources":["services","pods"]},
      {"verbs":["list"],"apiGroups":["discovery.k8s.io"],"resources":["endpointslices"]}])");
  CHECK(Run(f).passed());
  CHECK(f.client.access_reviews == 0);
  CHECK(Calls(f, "LIST deployments.apps") == 1);
  CHECK(Calls(f, "statefulsets") + Calls(f, "jobs") == 0);
}

TEST_CASE("endpoint test: the served model name comes from --served-model-name, and --model overrides it") {
  nlohmann::json container = testing::ServingContainer();
  container["args"].push_back("--served-model-name=chat-small");
  CHECK(ServedModelName(*FindServeEngine("vllm"), container, "org/m") == "chat-small");
  CHECK(ServedModelName(*FindServeEngine("tgi"), container, "org/m") == "org/m");  // TGI lists its --model-id
  CHECK(ServedModelName(*FindServeEngine("vllm"), testing::ServingContainer(), "org/m") == "org/m");

  ServedModelFixture f;
  f.AnswerHealthy();
  f.QueueStream(16, milliseconds(5), milliseconds(5));
  const EndpointTestReport r = Run(f, Chat([](auto& o) { o.model = "Qwen/Other"; }));
  CHECK(r.exit_code == kTestExitModels);
  CHECK(r.message ==
        "service/chat serves 'Qwen/Qwen2.5-0.5B-Instruct' at /v1/models, not 'Qwen/Other' (the "
        "workload's served model name; --model sets another)");
}

TEST_CASE("endpoint test: missing proxy permissions stop the run before anything else is read (exit 3)") {
  ServedModelFixture f;
  f.client.denied = {"create services/proxy", "get pods/proxy"};
  const EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitAccess);
  CHECK(r.message ==
        "you may not create services/proxy, get pods/proxy in namespace \"ml\": kubectl llm test "
        "reaches the model only through the API server's proxy and needs get and create on "
        "services/proxy and pods/proxy, and list on endpointslices.discovery.k8s.io (ask for a Role "
        "granting them)");
  CHECK(Calls(f, "endpointslices") == 0);
  CHECK(Calls(f, "/proxy") == 0);
  for (size_t i = 1; i < r.stages.size(); ++i) CHECK(r.stages[i].outcome == CheckOutcome::kSkipped);
}

TEST_CASE("endpoint test: --per-pod also needs create on pods/proxy") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.QueueStream(16, milliseconds(5), milliseconds(5));
  f.client.denied = {"create pods/proxy"};
  CHECK(Run(f).passed());  // without --per-pod nothing is POSTed to a pod
  const EndpointTestReport r = Run(f, Chat([](auto& o) { o.per_pod = true; }));
  CHECK(r.exit_code == kTestExitAccess);
  CHECK(r.message.starts_with("you may not create pods/proxy in namespace \"ml\""));
}

TEST_CASE("endpoint test: a serving pod that is not a ready endpoint fails the endpoints stage (exit 4)") {
  ServedModelFixture f;
  f.AddPod("chat-c", "10.1.0.4", false);
  REQUIRE(
      f.client.MergePatch({"apps", "v1", "deployments", "ml", "chat", ""}, {{"spec", {{"replicas", 3}}}}, false).ok());
  const EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitEndpoints);
  CHECK(r.message == "only 2 of 3 serving pods are ready endpoints of service/chat: pod chat-c is not ready (Running)");
  CHECK(StageOf(r, TestStage::kEndpoints).checks[0].detail == "2/3 ready");
  CHECK(StageOf(r, TestStage::kHealth).outcome == CheckOutcome::kSkipped);
}

TEST_CASE("endpoint test: no ready endpoint at all, and a workload scaled to zero") {
  ServedModelFixture f;
  REQUIRE(f.client.Delete({"discovery.k8s.io", "v1", "endpointslices", "ml", "chat-x7k2p", ""}, {}).ok());
  EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitEndpoints);
  CHECK(r.message == "service/chat has no ready endpoint: pod chat-a has no endpoint (Running)");
  REQUIRE(
      f.client.MergePatch({"apps", "v1", "deployments", "ml", "chat", ""}, {{"spec", {{"replicas", 0}}}}, false).ok());
  r = Run(f);
  CHECK(r.exit_code == kTestExitEndpoints);
  CHECK(r.message == "chat is scaled to 0 replicas: nothing serves the model");
}

TEST_CASE("endpoint test: every pod's health is asked, and the first bad one named (exit 5)") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.Answer("GET", "pods/chat-b", "/health", 503, R"({"error":"unhealthy","error_type":"healthcheck"})");
  const EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitHealth);
  CHECK(r.message == "pod/chat-b answered GET /health with HTTP 503: unhealthy");
  const TestStageResult& health = StageOf(r, TestStage::kHealth);
  REQUIRE(health.checks.size() == 2);
  CHECK(health.checks[0].outcome == CheckOutcome::kPassed);
  CHECK(health.checks[1].outcome == CheckOutcome::kFailed);
}

TEST_CASE("endpoint test: health that lies, generation that fails: --per-pod names the replica (exit 7)") {
  ServedModelFixture f;
  f.AnswerHealthy();
  const std::string dead =
      R"({"object":"error","message":"EngineCore encountered an issue.","type":"InternalServerError","code":500})";
  f.Answer("POST", "pods/chat-b", "/v1/completions", 500, dead);
  f.Answer("POST", "services/chat", "/v1/completions", 500, dead);
  const EndpointTestReport per_pod = Run(f, Chat([](auto& o) { o.per_pod = true; }));
  CHECK(per_pod.exit_code == kTestExitCompletion);
  CHECK(per_pod.message ==
        "pod/chat-b answered a completion (POST /v1/completions) with HTTP 500: EngineCore "
        "encountered an issue.");
  CHECK(StageOf(per_pod, TestStage::kHealth).outcome == CheckOutcome::kPassed);
  const EndpointTestReport service_only = Run(f);
  CHECK(service_only.exit_code == kTestExitCompletion);
  CHECK(service_only.message.starts_with("service/chat answered a completion"));
}

TEST_CASE("endpoint test: a completion with the wrong shape is a completion failure") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.Answer("POST", "services/chat", "/v1/completions", 200, R"({"choices":[],"usage":{"completion_tokens":1}})");
  const EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitCompletion);
  CHECK(r.message ==
        "service/chat answered a completion (POST /v1/completions), but the completion has 0 choices "
        "instead of 1");
}

TEST_CASE("endpoint test: an engine started with an API key answers 401, and the reason is said") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.Answer("GET", "services/chat", "/v1/models", 401, R"({"error":"Unauthorized"})");
  const EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitModels);
  CHECK(r.message ==
        "service/chat answered GET /v1/models with HTTP 401 Unauthorized: the engine requires an API "
        "key, and the API server removes the Authorization header from proxied requests, so this model "
        "cannot be tested through the API server (test it from inside the cluster or through a "
        "port-forward)");
}

TEST_CASE("endpoint test: a slow first token over --ttft-budget (exit 9), within it passes") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.QueueStream(16, milliseconds(1520), milliseconds(20));
  const EndpointTestReport slow = Run(f, Chat([](auto& o) { o.ttft_budget = milliseconds(1000); }));
  CHECK(slow.exit_code == kTestExitTtftBudget);
  CHECK(slow.message ==
        "service/chat took 1.52s to the first token, over --ttft-budget 1s (measured through the "
        "API server's proxy, which flushes streams on an interval: an upper bound)");
  CHECK(StageOf(slow, TestStage::kStream).outcome == CheckOutcome::kFailed);
  f.QueueStream(16, milliseconds(400), milliseconds(20));
  CHECK(Run(f, Chat([](auto& o) { o.ttft_budget = milliseconds(1000); })).passed());
}

TEST_CASE("endpoint test: a stream that errors, or ends without tokens or [DONE], fails the stream stage (exit 8)") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.client.QueueStream([](const kube::HttpRequest&, const kube::ChunkSink& sink) -> Result<kube::HttpResponse> {
    sink("data: {\"choices\":[{\"text\":\" a\"}]}\n\ndata: {\"object\":\"error\",\"message\":\"CUDA error\"}\n\n");
    return kube::HttpResponse{200, {}, ""};
  });
  EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitStream);
  CHECK(r.message == "service/chat sent an error in the middle of a streamed completion: CUDA error");
  f.client.QueueStream([](const kube::HttpRequest&, const kube::ChunkSink& sink) -> Result<kube::HttpResponse> {
    sink("data: {\"choices\":[{\"text\":\" a\"}]}\n\n");
    return kube::HttpResponse{200, {}, ""};
  });
  r = Run(f);
  CHECK(r.message == "service/chat ended a streamed completion without its [DONE] marker");
  f.client.QueueStream([](const kube::HttpRequest&, const kube::ChunkSink&) -> Result<kube::HttpResponse> {
    return kube::HttpResponse{500, {}, R"({"object":"error","message":"boom"})"};
  });
  r = Run(f);
  CHECK(r.message == "service/chat answered a streamed completion with HTTP 500: boom");
}

TEST_CASE("endpoint test: the API server's own refusal is named as such") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.client.routes.OnHandler("GET", "/api/v1/namespaces/ml/pods/chat-a:8000/proxy/health",
                            [](const kube::HttpRequest&) -> Result<kube::HttpResponse> {
                              return testing::FakeTransport::Json(
                                  503, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                                       R"("message":"error trying to reach service: dial tcp )"
                                       R"(10.1.0.2:8000: connect: connection refused",)"
                                       R"("reason":"ServiceUnavailable","code":503})");
                            });
  const EndpointTestReport r = Run(f);
  CHECK(r.exit_code == kTestExitHealth);
  CHECK(r.message ==
        "the API server could not proxy GET /health to pod/chat-a: Error from server "
        "(ServiceUnavailable): error trying to reach service: dial tcp 10.1.0.2:8000: connect: "
        "connection refused");
}

TEST_CASE("endpoint test: what cannot start is an error, not a stage") {
  ServedModelFixture f;
  auto missing = RunEndpointTest(Chat([](auto& o) { o.name = "nope"; }), f.client, f.mapper, "ml", f.clock);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind() == ErrorKind::kNotFound);
  f.client.Put({"batch", "v1", "jobs", "ml", "train", ""}, {{"apiVersion", "batch/v1"},
                                                            {"kind", "Job"},
                                                            {"metadata",
                                                             {{"name", "train"},
                                                              {"namespace", "ml"},
                                                              {"labels",
                                                               {{"app.kubernetes.io/instance", "train"},
                                                                {"app.kubernetes.io/managed-by", "kubectl-llm"},
                                                                {"app.kubernetes.io/component", "train"}}}}}});
  auto job = RunEndpointTest(Chat([](auto& o) { o.name = "train"; }), f.client, f.mapper, "ml", f.clock);
  REQUIRE_FALSE(job.ok());
  CHECK(job.error().message() ==
        "Job/train does not serve a model (app.kubernetes.io/component=train): test and "
        "metrics need a workload made by `kubectl llm serve`");
}

TEST_CASE("endpoint test: the EndpointTest object and the table") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.Answer("GET", "pods/chat-b", "/health", 503, "");
  const EndpointTestReport r = Run(f, Chat([](auto& o) { o.ttft_budget = milliseconds(2000); }));
  const nlohmann::ordered_json doc = EndpointTestJson(r);
  CHECK(doc["apiVersion"] == "kubectl-llm.dev/v1alpha1");
  CHECK(doc["kind"] == "EndpointTest");
  CHECK(doc["metadata"]["name"] == "chat");
  CHECK(doc["spec"]["engine"] == "vllm");
  CHECK(doc["spec"]["ttftBudgetSeconds"] == 2.0);
  CHECK(doc["status"]["passed"] == false);
  CHECK(doc["status"]["exitCode"] == kTestExitHealth);
  CHECK(doc["status"]["failedStage"] == "health");
  CHECK(doc["status"]["message"] == "pod/chat-b answered GET /health with HTTP 503");
  REQUIRE(doc["status"]["stages"].size() == 6);
  CHECK(doc["status"]["stages"][2]["checks"][1]["httpStatus"] == 503);
  CHECK(doc["status"]["stages"][3]["result"] == "skipped");
  CHECK(EndpointTestTable(r) ==
        "STAGE        TARGET         RESULT    TIME   DETAIL\n"
        "access       namespace/ml   passed    0ms    may get services/proxy, create services/proxy, get "
        "pods/proxy, list endpointslices.discovery.k8s.io\n"
        "endpoints    service/chat   passed    0ms    2/2 ready\n"
        "health       pod/chat-a     passed    0ms    GET /health 200\n"
        "health       pod/chat-b     failed    0ms    GET /health 503\n"
        "models                      skipped          \n"
        "completion                  skipped          \n"
        "stream                      skipped          \n");
}

TEST_CASE(
    "endpoint test: after a stream, the table says TTFT is an upper bound and ITL is not, the object marks TTFT") {
  ServedModelFixture f;
  f.AnswerHealthy();
  f.QueueStream(16, milliseconds(120), milliseconds(10));
  const EndpointTestReport r = Run(f);
  REQUIRE(r.passed());
  const std::string table = EndpointTestTable(r);
  CHECK(
      table.ends_with("TTFT is an upper bound: the API server's proxy flushes streamed answers on an interval "
                      "(which can also bunch tokens, so ITL, the mean gap as they arrived, may read shorter or "
                      "longer than the engine's).\n"));
  const nlohmann::ordered_json doc = EndpointTestJson(r);
  const nlohmann::ordered_json& stream = doc["status"]["stages"][5]["checks"][0];
  CHECK(stream["timeToFirstTokenIsUpperBound"] == true);
  CHECK(stream["timeToFirstTokenSeconds"] == doctest::Approx(0.120));
  CHECK(stream["interTokenLatencySeconds"] == doctest::Approx(0.010));
}

}  // namespace
}  // namespace llm
