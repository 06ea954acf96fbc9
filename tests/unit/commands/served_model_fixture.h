// A served model as `kubectl llm serve chat` leaves it, in a FakeRestClient:
// Deployment chat (vLLM, 2 replicas) in namespace ml, its Service, two
// running pods and an EndpointSlice listing both as ready; plus answers to
// SelfSubjectAccessReviews and rules reviews. Tests add the proxied answers of the engine.
#pragma once

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "kube/discovery.h"
#include "kube/rest_mapper.h"

namespace llm::testing {

/// Allows every access review except those listed as "verb resource/subresource";
/// answers a rules review with `rules` (none unless a test sets them).
class ServedModelClient : public FakeRestClient {
 public:
  std::set<std::string> denied;
  nlohmann::json rules = nlohmann::json::array();
  int access_reviews = 0;
  Result<nlohmann::json> Create(const kube::ResourceRef& ref, const nlohmann::json& object, bool dry_run) override {
    if (ref.resource == "selfsubjectrulesreviews") {
      nlohmann::json answer = object;
      answer["status"] = {{"resourceRules", rules}, {"incomplete", false}};
      return answer;
    }
    if (ref.resource != "selfsubjectaccessreviews") return FakeRestClient::Create(ref, object, dry_run);
    ++access_reviews;
    const nlohmann::json& a = object["spec"]["resourceAttributes"];
    std::string key = a.value("verb", "") + " " + a.value("resource", "");
    if (!a.value("subresource", "").empty()) key += "/" + a.value("subresource", "");
    nlohmann::json answer = object;
    answer["status"] = {{"allowed", !denied.contains(key)}};
    return answer;
  }
};

inline nlohmann::json ServeLabels() {
  return {{"app.kubernetes.io/name", "vllm"},
          {"app.kubernetes.io/instance", "chat"},
          {"app.kubernetes.io/component", "serve"},
          {"app.kubernetes.io/managed-by", "kubectl-llm"}};
}

inline nlohmann::json ServingContainer() {
  return {{"name", "vllm"},
          {"image", "vllm/vllm-openai:v0.10.2"},
          {"command", {"vllm", "serve"}},
          {"args", {"Qwen/Qwen2.5-0.5B-Instruct", "--host", "0.0.0.0", "--port", "8000"}},
          {"ports", {{{"name", "http"}, {"containerPort", 8000}}}}};
}

struct ServedModelFixture {
  ServedModelClient client;
  FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};

  ServedModelFixture() {
    ServeAggregatedDiscovery(client);
    client.Put({"apps", "v1", "deployments", "ml", "chat", ""},
               {{"apiVersion", "apps/v1"},
                {"kind", "Deployment"},
                {"metadata",
                 {{"name", "chat"},
                  {"namespace", "ml"},
                  {"labels", ServeLabels()},
                  {"annotations", {{"kubectl-llm.dev/model", "Qwen/Qwen2.5-0.5B-Instruct"}}}}},
                {"spec",
                 {{"replicas", 2},
                  {"template",
                   {{"metadata", {{"labels", ServeLabels()}}}, {"spec", {{"containers", {ServingContainer()}}}}}}}}});
    client.Put({"", "v1", "services", "ml", "chat", ""},
               {{"apiVersion", "v1"},
                {"kind", "Service"},
                {"metadata", {{"name", "chat"}, {"namespace", "ml"}, {"labels", ServeLabels()}}},
                {"spec",
                 {{"selector", {{"app.kubernetes.io/component", "serve"}, {"app.kubernetes.io/instance", "chat"}}},
                  {"ports", {{{"name", "http"}, {"port", 8000}, {"targetPort", "http"}}}}}}});
    AddPod("chat-a", "10.1.0.2", true);
    AddPod("chat-b", "10.1.0.3", true);
  }

  /// A running pod and its endpoint in the Service's EndpointSlice.
  void AddPod(const std::string& name, const std::string& ip, bool ready) {
    client.Put({"", "v1", "pods", "ml", name, ""},
               {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata",
                 {{"name", name},
                  {"namespace", "ml"},
                  {"labels", ServeLabels()},
                  {"annotations", {{"prometheus.io/port", "8000"}, {"prometheus.io/path", "/metrics"}}}}},
                {"spec", {{"containers", {ServingContainer()}}}},
                {"status", {{"phase", "Running"}, {"podIP", ip}}}});
    endpoints_.push_back({{"addresses", {ip}},
                          {"conditions", {{"ready", ready}}},
                          {"targetRef", {{"kind", "Pod"}, {"name", name}, {"namespace", "ml"}}}});
    client.Put({"discovery.k8s.io", "v1", "endpointslices", "ml", "chat-x7k2p", ""},
               {{"apiVersion", "discovery.k8s.io/v1"},
                {"kind", "EndpointSlice"},
                {"metadata",
                 {{"name", "chat-x7k2p"}, {"namespace", "ml"}, {"labels", {{"kubernetes.io/service-name", "chat"}}}}},
                {"addressType", "IPv4"},
                {"ports", {{{"name", "http"}, {"port", 8000}, {"protocol", "TCP"}}}},
                {"endpoints", endpoints_}});
  }

  /// What the engine behind `target` ("pods/chat-a", "services/chat") answers at `path`.
  void Answer(const std::string& method, const std::string& target, const std::string& path, int status,
              const std::string& body) {
    // A handler, so a later Answer for the same request replaces an earlier one.
    kube::HttpResponse response{status, {{"Content-Type", "application/json"}}, body};
    client.routes.OnHandler(method, "/api/v1/namespaces/ml/" + target + ":8000/proxy" + path,
                            [response](const kube::HttpRequest&) -> Result<kube::HttpResponse> { return response; });
  }

  /// A healthy vLLM behind both pods and the Service, for /health, /v1/models and a completion.
  void AnswerHealthy() {
    for (const std::string target : {"pods/chat-a", "pods/chat-b", "services/chat"}) {
      Answer("GET", target, "/health", 200, "");
      Answer("GET", target, "/v1/models", 200,
             R"({"object":"list","data":[{"id":"Qwen/Qwen2.5-0.5B-Instruct","object":"model"}]})");
      Answer("POST", target, "/v1/completions", 200,
             R"({"object":"text_completion","choices":[{"index":0,"text":" The"}],"usage":{"completion_tokens":1}})");
    }
  }

  /// The next streamed request answers `tokens` text chunks, `ttft` after the request and `itl` apart.
  void QueueStream(int tokens, std::chrono::milliseconds ttft, std::chrono::milliseconds itl) {
    client.QueueStream(
        [this, tokens, ttft, itl](const kube::HttpRequest&, const kube::ChunkSink& sink) -> Result<kube::HttpResponse> {
          clock.Advance(ttft);
          for (int i = 0; i < tokens; ++i) {
            if (i > 0) clock.Advance(itl);
            sink("data: {\"choices\":[{\"index\":0,\"text\":\" w\"}],\"usage\":null}\n\n");
          }
          sink("data: {\"choices\":[],\"usage\":{\"completion_tokens\":" + std::to_string(tokens) + "}}\n\n");
          sink("data: [DONE]\n\n");
          return kube::HttpResponse{200, {{"Content-Type", "text/event-stream"}}, ""};
        });
  }

 private:
  nlohmann::json endpoints_ = nlohmann::json::array();
};

}  // namespace llm::testing
