#include "engine_sim/simulator.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine_sim/engine_profiles.h"

namespace llm::engine_sim {
namespace {

using Clock = std::chrono::steady_clock;

// The words of every answer: greedy decoding gives the same text each time.
constexpr const char* kWords[] = {" The", " capital", " of",  " France", " is",     " Paris", ".",    " It",
                                  " is",  " known",   " for", " the",    " Eiffel", " Tower", " and", " museums"};

std::string Token(int i) { return kWords[i % static_cast<int>(std::size(kWords))]; }

int PromptTokens(const nlohmann::json& body, bool chat) {
  std::string text;
  if (chat) {
    for (const auto& m : body.value("messages", nlohmann::json::array())) {
      if (m.is_object() && m.contains("content") && m["content"].is_string())
        text += " " + m["content"].get<std::string>();
    }
  } else if (body.contains("prompt") && body["prompt"].is_string()) {
    text = body["prompt"];
  }
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return std::max(words, 1);
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  return HttpResponse{status, "application/json", body.dump(), {}};
}

void Sleep(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

/// Records a finished request in what the pod's /metrics reports.
void Record(PodState& pod, int prompt, int generated, double ttft, double e2e) {
  std::lock_guard<std::mutex> lock(pod.mu);
  pod.served.prompt_tokens += prompt;
  pod.served.generation_tokens += generated;
  pod.served.succeeded += 1;
  pod.served.ttft.push_back(ttft);
  pod.served.e2e.push_back(e2e);
  pod.served.in_flight -= 1;
}

}  // namespace

HttpResponse Simulator::Handle(const HttpRequest& request) {
  std::shared_ptr<PodState> pod = pods_.For(request.local_ip);
  if (!pod->error.empty()) return JsonResponse(500, {{"error", pod->error}});
  const Steering& s = pod->steering;
  const bool get = request.method == "GET";
  if (get && (request.path == "/health" || request.path == "/health_generate")) return Health(s, request.path);
  if (get && request.path == "/metrics") {
    Served served;
    double elapsed = 0;
    {
      std::lock_guard<std::mutex> lock(pod->mu);
      served = pod->served;
      elapsed = std::chrono::duration<double>(Clock::now() - pod->since).count();
    }
    const char* type = s.engine == "tgi" ? "text/plain; charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8";
    return HttpResponse{200, type, Exposition(s, served, elapsed), {}};
  }
  const bool v1 = request.path.rfind("/v1/", 0) == 0;
  if (v1 && !s.api_key.empty() && request.Header("authorization") != "Bearer " + s.api_key) return Unauthorized(s);
  if (get && request.path == "/v1/models") return HttpResponse{200, "application/json", ModelsBody(s), {}};
  if (request.method == "POST" && (request.path == "/v1/completions" || request.path == "/v1/chat/completions")) {
    return Generate(request, pod, request.path == "/v1/chat/completions");
  }
  return JsonResponse(404, {{"detail", "Not Found"}});
}

HttpResponse Simulator::Generate(const HttpRequest& request, const std::shared_ptr<PodState>& pod, bool chat) {
  const Steering& s = pod->steering;
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return JsonResponse(
        400,
        {{"object", "error"}, {"message", "request body is not JSON"}, {"type", "BadRequestError"}, {"code", 400}});
  }
  const std::string model = body.value("model", "");
  if (s.engine != "tgi" && model != s.model) return ModelNotFound(s, model);
  if (s.generation_fails) return GenerationFailed(s);
  const int max_tokens = body.contains("max_tokens") && body["max_tokens"].is_number_integer()
                             ? std::max(1, body["max_tokens"].get<int>())
                             : 16;
  const int prompt = PromptTokens(body, chat);
  const bool stream = body.value("stream", false);
  const bool usage_in_stream = body.contains("stream_options") && body["stream_options"].is_object() &&
                               body["stream_options"].value("include_usage", false);
  const std::string id = chat ? "chatcmpl-sim" : "cmpl-sim";
  const std::string object = chat ? "chat.completion" : "text_completion";
  const nlohmann::json usage = {
      {"prompt_tokens", prompt}, {"completion_tokens", max_tokens}, {"total_tokens", prompt + max_tokens}};
  {
    std::lock_guard<std::mutex> lock(pod->mu);
    pod->served.in_flight += 1;
  }
  const auto started = Clock::now();
  if (!stream) {
    Sleep(s.ttft_ms);
    const double ttft = std::chrono::duration<double>(Clock::now() - started).count();
    std::string text;
    for (int i = 0; i < max_tokens; ++i) {
      if (i > 0) Sleep(s.itl_ms);
      text += Token(i);
    }
    nlohmann::json choice =
        chat ? nlohmann::json{{"index", 0},
                              {"message", {{"role", "assistant"}, {"content", text}}},
                              {"finish_reason", "length"}}
             : nlohmann::json{{"index", 0}, {"text", text}, {"logprobs", nullptr}, {"finish_reason", "length"}};
    Record(*pod, prompt, max_tokens, ttft, std::chrono::duration<double>(Clock::now() - started).count());
    return JsonResponse(200, {{"id", id},
                              {"object", object},
                              {"created", 1757000000},
                              {"model", s.model},
                              {"choices", {choice}},
                              {"usage", usage}});
  }
  HttpResponse response{200, "text/event-stream", "", {}};
  response.stream = [=](StreamWriter& out) {
    const std::string chunk_object = chat ? "chat.completion.chunk" : "text_completion";
    Sleep(s.ttft_ms);
    double ttft = 0;
    for (int i = 0; i < max_tokens; ++i) {
      if (i > 0) Sleep(s.itl_ms);
      nlohmann::json choice =
          chat ? nlohmann::json{{"index", 0}, {"delta", {{"content", Token(i)}}}, {"finish_reason", nullptr}}
               : nlohmann::json{{"index", 0}, {"text", Token(i)}, {"logprobs", nullptr}, {"finish_reason", nullptr}};
      if (i == max_tokens - 1) choice["finish_reason"] = "length";
      nlohmann::json chunk = {
          {"id", id}, {"object", chunk_object}, {"created", 1757000000}, {"model", s.model}, {"choices", {choice}}};
      if (usage_in_stream) chunk["usage"] = nullptr;
      if (i == 0) ttft = std::chrono::duration<double>(Clock::now() - started).count();
      if (!out.Write("data: " + chunk.dump() + "\n\n")) break;
    }
    if (usage_in_stream) {
      nlohmann::json last = {{"id", id},
                             {"object", chunk_object},
                             {"created", 1757000000},
                             {"model", s.model},
                             {"choices", nlohmann::json::array()},
                             {"usage", usage}};
      out.Write("data: " + last.dump() + "\n\n");
    }
    out.Write("data: [DONE]\n\n");
    Record(*pod, prompt, max_tokens, ttft, std::chrono::duration<double>(Clock::now() - started).count());
  };
  return response;
}

}  // namespace llm::engine_sim
