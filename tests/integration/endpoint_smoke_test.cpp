// `kubectl llm test` against the real control plane: models served with
// `kubectl llm serve`, kwok running their pods, the API server proxying to
// the engine simulator on the pod network (tests/cluster/pod-network.sh).
// Each case steers the simulator and checks the stages, the exit code and
// the one-sentence explanation.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/engine_simulator.h"
#include "integration/token_kubeconfig.h"

namespace llm::testing {
namespace {
using nlohmann::json;

constexpr const char* kModel = "Qwen/Qwen2.5-0.5B-Instruct";

CommandOutput Llm(const std::string& user, const std::vector<std::string>& args) {
  return TestCluster::Get().Plugin(user, args);
}

json Healthy(const std::string& engine = "vllm") { return {{"engine", engine}, {"model", kModel}, {"itlMs", 2}}; }

/// Serves "chat" with one pod, waits until it is a ready endpoint and makes it
/// answer as `steering` says; returns the pod's name.
std::string ServeOne(ServedModel& served, const json& steering, std::vector<std::string> serve_args = {}) {
  serve_args.insert(serve_args.end(), {"--gpus", "1", "--wait"});
  served.Serve("chat", kModel, serve_args);
  const auto [pod, ip] = *served.ReadyPods("chat", 1).begin();
  served.Steer(ip, steering);
  return pod;
}

TEST_CASE("test: a healthy deployment passes every stage through the API server's proxy, each stage timed") {
  ServedModel served("endpoint-healthy");
  served.Serve("chat", kModel, {"--gpus", "1", "--replicas", "2", "--wait"});
  const auto pods = served.ReadyPods("chat", 2);
  for (const auto& [pod, ip] : pods) served.Steer(ip, Healthy());

  CommandOutput out = Llm("admin", {"test", "chat", "-n", served.ns(), "--per-pod"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 0);
  CHECK(out.err.empty());
  for (const char* stage : {"access", "endpoints", "health", "models", "completion", "stream"}) {
    CHECK(out.out.find(std::string("\n") + stage + " ") != std::string::npos);
  }
  for (const auto& [pod, ip] : pods) CHECK(out.out.find("pod/" + pod) != std::string::npos);
  CHECK(out.out.find("2/2 ready") != std::string::npos);
  CHECK(out.out.find("TTFT is an upper bound") != std::string::npos);

  CommandOutput doc = Llm("admin", {"test", "chat", "-n", served.ns(), "-o", "json"});
  REQUIRE(doc.exit_code == 0);
  const json report = json::parse(doc.out);
  CHECK(report["kind"] == "EndpointTest");
  CHECK(report["spec"]["model"] == kModel);
  CHECK(report["status"]["passed"] == true);
  REQUIRE(report["status"]["stages"].size() == 6);
  for (const json& stage : report["status"]["stages"]) {
    CHECK(stage["result"] == "passed");
    CHECK(stage["durationSeconds"].get<double>() > 0);
  }
  const json& stream = report["status"]["stages"][5]["checks"][0];
  CHECK(stream["target"] == "service/chat");
  CHECK(stream["completionTokens"] == 16);
  // 15 gaps of 2 ms at the engine. The proxy may hold back the first tokens and
  // pass the rest in a burst, so the mean gap alone is no bound; the last
  // token's arrival (TTFT + 15 gaps) is never earlier than the engine's 30 ms.
  const double last_token =
      stream["timeToFirstTokenSeconds"].get<double>() + 15 * stream["interTokenLatencySeconds"].get<double>();
  CHECK(last_token >= 0.030);
  CHECK(stream["timeToFirstTokenIsUpperBound"] == true);
}

TEST_CASE("test: a pod whose health lies while its generation fails is named, with the completion stage's exit code") {
  ServedModel served("endpoint-lying-health");
  served.Serve("chat", kModel, {"--gpus", "1", "--replicas", "2", "--wait"});
  const auto pods = served.ReadyPods("chat", 2);
  const std::string bad = pods.rbegin()->first;
  for (const auto& [pod, ip] : pods) {
    json steering = Healthy();
    if (pod == bad) steering["generation"] = "error";  // vLLM's /health stays 200 (vllm#24207)
    served.Steer(ip, steering);
  }
  CommandOutput out = Llm("admin", {"test", "chat", "-n", served.ns(), "--per-pod"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 7);
  CHECK(out.err == "error: pod/" + bad +
                       " answered a completion (POST /v1/completions) with HTTP 500: EngineCore "
                       "encountered an issue. See stack trace (above) for the root cause.\n");
  CHECK(out.out.find("health       pod/" + bad) != std::string::npos);  // its health passed: it lied
}

TEST_CASE("test: SGLang is asked /health_generate, which does not lie (the engine table's health path)") {
  ServedModel served("endpoint-sglang");
  json steering = Healthy("sglang");
  steering["generation"] = "error";
  const std::string pod = ServeOne(served, steering, {"--engine", "sglang"});
  CommandOutput out = Llm("admin", {"test", "chat", "-n", served.ns()});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 5);
  CHECK(out.err == "error: pod/" + pod + " answered GET /health_generate with HTTP 503\n");
}

TEST_CASE("test: a wrong model id fails the models stage") {
  ServedModel served("endpoint-wrong-model");
  json steering = Healthy();
  steering["model"] = "Qwen/Qwen2.5-7B-Instruct";
  ServeOne(served, steering);
  CommandOutput out = Llm("admin", {"test", "chat", "-n", served.ns()});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 6);
  CHECK(out.err ==
        "error: service/chat serves 'Qwen/Qwen2.5-7B-Instruct' at /v1/models, not "
        "'Qwen/Qwen2.5-0.5B-Instruct' (the workload's served model name; --model sets another)\n");
}

TEST_CASE("test: a missing endpoint fails the endpoints stage, naming the pod") {
  ServedModel served("endpoint-missing");
  // No node has this GPU: the pod stays Pending and never becomes an endpoint.
  served.Serve("chat", kModel, {"--gpus", "1", "--gpu-product", "NVIDIA-B200", "--skip-preflight"});
  CommandOutput out;
  for (int i = 0; i < 40; ++i) {  // until the pod exists
    out = Llm("admin", {"test", "chat", "-n", served.ns()});
    if (out.err.find("has no endpoint (Pending)") != std::string::npos) break;
  }
  INFO(out.out << out.err);
  CHECK(out.exit_code == 4);
  CHECK(out.err.starts_with("error: service/chat has no ready endpoint: pod chat-"));
  CHECK(out.err.ends_with(" has no endpoint (Pending)\n"));
}

TEST_CASE("test: a first token slower than --ttft-budget fails with its own exit code") {
  ServedModel served("endpoint-slow-ttft");
  json steering = Healthy();
  steering["ttftMs"] = 1500;
  ServeOne(served, steering);
  CommandOutput out = Llm("admin", {"test", "chat", "-n", served.ns(), "--ttft-budget", "1s", "-o", "json"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 9);
  const json report = json::parse(out.out);
  CHECK(report["status"]["failedStage"] == "stream");
  const double ttft = report["status"]["stages"][5]["checks"][0]["timeToFirstTokenSeconds"];
  CHECK(ttft >= 1.5);
  CHECK(out.err.starts_with("error: service/chat took "));
  CHECK(out.err.find("over --ttft-budget 1s (measured through the API server's proxy") != std::string::npos);
  CHECK(Llm("admin", {"test", "chat", "-n", served.ns(), "--ttft-budget", "5s"}).exit_code == 0);
}

TEST_CASE("test: an engine started with an API key answers 401, and the reason is said") {
  ServedModel served("endpoint-api-key");
  json steering = Healthy();
  steering["apiKey"] = "s3cret";
  ServeOne(served, steering);
  CommandOutput out = Llm("admin", {"test", "chat", "-n", served.ns()});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 6);
  CHECK(out.err.find("answered GET /v1/models with HTTP 401 Unauthorized: the engine requires an API key, and the "
                     "API server removes the Authorization header") != std::string::npos);
}

TEST_CASE("test: a user without services/proxy gets the preflight message before anything is read") {
  // dev may do what serve needs in team-a, but nothing through the proxy.
  CommandOutput out = Llm("dev", {"test", "chat"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 3);
  CHECK(out.err ==
        "error: you may not get services/proxy, create services/proxy, get pods/proxy, list "
        "endpointslices.discovery.k8s.io in namespace \"team-a\": kubectl llm test reaches the model only "
        "through the API server's proxy and needs get and create on services/proxy and pods/proxy, and "
        "list on endpointslices.discovery.k8s.io (ask for a Role granting them)\n");
}

TEST_CASE("test: the Role the README documents is all a CI runner needs") {
  ServedModel served("endpoint-ci-role");
  ServeOne(served, Healthy());
  const TestCluster& cluster = TestCluster::Get();
  const std::string role = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: kubectl-llm-test}
rules:
- apiGroups: [""]
  resources: [services/proxy, pods/proxy]
  verbs: [get, create]
- apiGroups: [""]
  resources: [services, pods]
  verbs: [get, list]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list]
- apiGroups: [apps, leaderworkerset.x-k8s.io, jobset.x-k8s.io, batch]
  resources: [deployments, statefulsets, leaderworkersets, jobsets, jobs]
  verbs: [list]
)";
  REQUIRE(cluster.Kubectl("admin", {"apply", "-n", served.ns(), "-f", "-"}, role).exit_code == 0);
  REQUIRE(cluster.Kubectl("admin", {"create", "serviceaccount", "ci", "-n", served.ns()}).exit_code == 0);
  REQUIRE(cluster
              .Kubectl("admin", {"create", "rolebinding", "ci", "-n", served.ns(), "--role", "kubectl-llm-test",
                                 "--serviceaccount", served.ns() + ":ci"})
              .exit_code == 0);
  CommandOutput token = cluster.Kubectl("admin", {"create", "token", "ci", "-n", served.ns()});
  REQUIRE(token.exit_code == 0);
  ScopedTokenKubeconfig ci("endpoint-ci", served.ns(), token.out.substr(0, token.out.find_last_not_of('\n') + 1));
  CommandOutput out = Llm(ci.user(), {"test", "chat"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 0);
}

}  // namespace
}  // namespace llm::testing
