#include "engine_sim/engine_profiles.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace llm::engine_sim {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// vLLM's buckets (loggers.py).
const std::vector<double> kVllmTtftBuckets = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,  0.25,  0.5,   0.75,
                                              1.0,   2.5,   5.0,  7.5,  10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
const std::vector<double> kVllmRequestLatencyBuckets = {0.3,  0.5,   0.8,   1.0,   1.5,   2.0,    2.5,
                                                        5.0,  10.0,  15.0,  20.0,  30.0,  40.0,   50.0,
                                                        60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
const std::vector<double> kVllmInterTokenBuckets = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2,  0.3,  0.4, 0.5,
                                                    0.75, 1.0,   2.5,  5.0,   7.5, 10.0, 20.0, 40.0, 80.0};
// SGLang's default buckets (collector.py).
const std::vector<double> kSglangTtftBuckets = {0.1, 0.2, 0.4, 0.6, 0.8, 1,  2,   4,   6,
                                                8,   10,  20,  40,  60,  80, 100, 200, 400};
const std::vector<double> kSglangE2eBuckets = {0.1, 0.2, 0.4, 0.6, 0.8, 1,   2,   4,   6,    8,    10,
                                               20,  40,  60,  80,  100, 200, 400, 600, 1200, 1800, 2400};
const std::vector<double> kSglangInterTokenBuckets = {0.002, 0.004, 0.006, 0.008, 0.010, 0.015, 0.020, 0.025,
                                                      0.030, 0.035, 0.040, 0.060, 0.080, 0.100, 0.200, 0.400,
                                                      0.600, 0.800, 1.000, 2.000, 4.000, 6.000, 8.000};

/// TGI: 35 buckets from 0.0001 x 1.5, each 1.5 times the last (server.rs).
std::vector<double> TgiDurationBuckets() {
  std::vector<double> out;
  double value = 0.0001;
  for (int i = 0; i < 35; ++i) {
    value *= 1.5;
    out.push_back(value);
  }
  return out;
}

/// prometheus_client writes floats as Python's repr: 3.0, 0.25, 1e-05, +Inf.
std::string PythonFloat(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e16) return fmt::format("{:.1f}", v);
  return fmt::format("{}", v);
}

/// metrics-exporter-prometheus writes Rust's Display: 3, 0.25, +Inf.
std::string RustFloat(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  return fmt::format("{}", v);
}

class Writer {
 public:
  Writer(const Steering& s, bool python) : s_(s), python_(python) {}

  std::string Name(const std::string& family) const {
    auto it = s_.rename.find(family);
    return it == s_.rename.end() ? family : it->second;
  }

  void Header(const std::string& family, const char* type, const char* help) {
    const std::string name = Name(family);
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }

  void Sample(const std::string& name, const Labels& labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      for (size_t i = 0; i < labels.size(); ++i) {
        out_ += fmt::format("{}{}=\"{}\"", i == 0 ? "" : ",", labels[i].first, Escape(labels[i].second));
      }
      out_ += '}';
    }
    out_ += ' ' + (python_ ? PythonFloat(value) : RustFloat(value)) + '\n';
  }

  void Scalar(const std::string& family, const char* type, const char* help, const Labels& labels, double value,
              const std::string& suffix = "") {
    Header(family, type, help);
    Sample(Name(family) + suffix, labels, value);
  }

  void Histogram(const std::string& family, const char* help, const Labels& labels, const std::vector<double>& bounds,
                 const std::vector<double>& observations) {
    Header(family, "histogram", help);
    const std::string name = Name(family);
    double sum = 0;
    for (double o : observations) sum += o;
    std::vector<double> all = bounds;
    all.push_back(std::numeric_limits<double>::infinity());
    for (double bound : all) {
      double count = 0;
      for (double o : observations) count += o <= bound ? 1 : 0;  // le is inclusive
      Labels with_le = labels;
      with_le.emplace_back("le", python_ ? PythonFloat(bound) : RustFloat(bound));
      Sample(name + "_bucket", with_le, count);
    }
    Sample(name + "_count", labels, static_cast<double>(observations.size()));
    Sample(name + "_sum", labels, sum);
  }

  std::string Take() { return std::move(out_); }

 private:
  static std::string Escape(const std::string& v) {
    std::string out;
    for (char c : v) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out;
  }

  const Steering& s_;
  bool python_;
  std::string out_;
};

std::vector<double> Join(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

/// The model label, unless the steering drops it or writes another value.
Labels ModelLabels(const Steering& s, Labels more) {
  Labels out;
  if (!s.drop_model_label) out.emplace_back("model_name", s.model_label.value_or(s.model));
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

std::string VllmExposition(const Steering& s, const Served& served, double prompt, double generation) {
  Writer w(s, true);
  const Labels labels = ModelLabels(s, {{"engine", "0"}});
  w.Scalar("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.", labels,
           s.running + served.in_flight);
  w.Scalar("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.", labels, s.waiting);
  w.Scalar("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.", labels, s.kv_cache_usage);
  w.Scalar("vllm:prefix_cache_queries_total", "counter", "Prefix cache queries, in terms of number of queried tokens.",
           labels, prompt);
  w.Scalar("vllm:prefix_cache_hits_total", "counter", "Prefix cache hits, in terms of number of cached tokens.", labels,
           0);
  w.Scalar("vllm:num_preemptions_total", "counter", "Cumulative number of preemption from the engine.", labels, 0);
  w.Scalar("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.", labels, prompt);
  w.Scalar("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.", labels, generation);
  w.Header("vllm:request_success_total", "counter", "Count of successfully processed requests.");
  for (const char* reason : {"stop", "length", "abort"}) {
    Labels with_reason = labels;
    with_reason.emplace_back("finished_reason", reason);
    w.Sample(w.Name("vllm:request_success_total"), with_reason,
             std::string(reason) == "length" ? static_cast<double>(served.succeeded) : 0.0);
  }
  w.Histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels,
              kVllmTtftBuckets, Join(s.ttft_observations, served.ttft));
  w.Histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels,
              kVllmRequestLatencyBuckets, Join(s.e2e_observations, served.e2e));
  w.Histogram("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", labels,
              kVllmRequestLatencyBuckets, {});
  w.Histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", labels,
              kVllmInterTokenBuckets, {});
  return w.Take();
}

std::string SglangExposition(const Steering& s, const Served& served, double prompt, double generation) {
  Writer w(s, true);
  const Labels scheduler = ModelLabels(s, {{"tp_rank", "0"}, {"pp_rank", "0"}});
  const Labels tokenizer = ModelLabels(s, {});
  w.Scalar("sglang:num_running_reqs", "gauge", "The number of running requests.", scheduler,
           s.running + served.in_flight);
  w.Scalar("sglang:num_used_tokens", "gauge", "The number of used tokens.", scheduler,
           std::floor(s.kv_cache_usage * 100000));
  w.Scalar("sglang:token_usage", "gauge", "The token usage.", scheduler, s.kv_cache_usage);
  w.Scalar("sglang:gen_throughput", "gauge", "The generation throughput (token/s).", scheduler,
           s.generation_tokens_per_second);
  w.Scalar("sglang:num_queue_reqs", "gauge", "The number of requests in the waiting queue.", scheduler, s.waiting);
  w.Scalar("sglang:cache_hit_rate", "gauge", "The prefix cache hit rate.", scheduler, 0);
  w.Scalar("sglang:prompt_tokens_total", "counter", "Number of prefill tokens processed.", tokenizer, prompt);
  w.Scalar("sglang:generation_tokens_total", "counter", "Number of generation tokens processed.", tokenizer,
           generation);
  w.Scalar("sglang:num_requests_total", "counter", "Number of requests processed.", tokenizer, served.succeeded);
  w.Histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", tokenizer,
              kSglangTtftBuckets, Join(s.ttft_observations, served.ttft));
  w.Histogram("sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds", tokenizer,
              kSglangE2eBuckets, Join(s.e2e_observations, served.e2e));
  w.Histogram("sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", tokenizer,
              kSglangInterTokenBuckets, {});
  return w.Take();
}

std::string TgiExposition(const Steering& s, const Served& served, double prompt, double generation) {
  Writer w(s, false);
  const int requests = served.succeeded;
  w.Scalar("tgi_request_count", "counter", "Total number of requests", {}, requests);
  w.Scalar("tgi_request_success", "counter", "Number of successful requests", {}, requests);
  w.Scalar("tgi_queue_size", "gauge", "Current queue size", {}, s.waiting);
  w.Scalar("tgi_batch_current_size", "gauge", "Current batch size", {}, s.running + served.in_flight);
  w.Scalar("tgi_batch_current_max_tokens", "gauge", "Maximum tokens for the current batch", {}, 0);
  const std::vector<double> durations = TgiDurationBuckets();
  w.Histogram("tgi_request_duration", "Request duration", {}, durations, Join(s.e2e_observations, served.e2e));
  w.Histogram("tgi_request_queue_duration", "Time spent in the queue per request", {}, durations, {});
  w.Histogram("tgi_request_mean_time_per_token_duration", "Mean time per token per request", {}, durations, {});
  // The token histograms' sums are what the steered rates and served requests add up to.
  w.Header("tgi_request_input_length", "histogram", "Input token length per request");
  w.Sample(w.Name("tgi_request_input_length") + "_bucket", {{"le", "+Inf"}}, requests);
  w.Sample(w.Name("tgi_request_input_length") + "_sum", {}, prompt);
  w.Sample(w.Name("tgi_request_input_length") + "_count", {}, requests);
  w.Header("tgi_request_generated_tokens", "histogram", "Number of generated tokens per request");
  w.Sample(w.Name("tgi_request_generated_tokens") + "_bucket", {{"le", "+Inf"}}, requests);
  w.Sample(w.Name("tgi_request_generated_tokens") + "_sum", {}, generation);
  w.Sample(w.Name("tgi_request_generated_tokens") + "_count", {}, requests);
  return w.Take();
}

HttpResponse Json(int status, const nlohmann::json& body) {
  return HttpResponse{status, "application/json", body.dump(), {}};
}

/// vLLM's and SGLang's OpenAI-style error body.
nlohmann::json OpenAiError(const std::string& message, const std::string& type, int code) {
  return {{"object", "error"}, {"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
}

}  // namespace

std::string Exposition(const Steering& s, const Served& served, double elapsed_seconds) {
  const double prompt = served.prompt_tokens + std::floor(s.prompt_tokens_per_second * elapsed_seconds);
  const double generation = served.generation_tokens + std::floor(s.generation_tokens_per_second * elapsed_seconds);
  if (s.engine == "sglang") return SglangExposition(s, served, prompt, generation);
  if (s.engine == "tgi") return TgiExposition(s, served, prompt, generation);
  return VllmExposition(s, served, prompt, generation);
}

std::string ModelsBody(const Steering& s) {
  nlohmann::json model;
  if (s.engine == "tgi") {
    model = {{"id", s.model}, {"object", "model"}, {"created", 0}, {"owned_by", s.model}};
  } else if (s.engine == "sglang") {
    model = {{"id", s.model},        {"object", "model"}, {"created", 1757000000},
             {"owned_by", "sglang"}, {"root", s.model},   {"max_model_len", 32768}};
  } else {
    model = {{"id", s.model},   {"object", "model"}, {"created", 1757000000},  {"owned_by", "vllm"},
             {"root", s.model}, {"parent", nullptr}, {"max_model_len", 32768}, {"permission", nlohmann::json::array()}};
  }
  return nlohmann::json{{"object", "list"}, {"data", {model}}}.dump();
}

HttpResponse ModelNotFound(const Steering&, const std::string& model) {
  return Json(404, OpenAiError(fmt::format("The model `{}` does not exist.", model), "NotFoundError", 404));
}

HttpResponse GenerationFailed(const Steering& s) {
  if (s.engine == "tgi") {
    return Json(424, {{"error",
                       "Request failed during generation: Server error: CUDA error: an illegal memory "
                       "access was encountered"},
                      {"error_type", "generation"}});
  }
  if (s.engine == "sglang") {
    return Json(500, OpenAiError("CUDA error: an illegal memory access was encountered", "InternalServerError", 500));
  }
  return Json(500, OpenAiError("EngineCore encountered an issue. See stack trace (above) for the root cause.",
                               "InternalServerError", 500));
}

HttpResponse Unauthorized(const Steering& s) {
  if (s.engine == "tgi") return HttpResponse{401, "text/plain", "", {}};  // axum's bare status
  return Json(401, {{"error", "Unauthorized"}});
}

HttpResponse Health(const Steering& s, const std::string& path) {
  if (path == "/health_generate" && s.engine != "sglang") {
    return Json(404, {{"detail", "Not Found"}});  // FastAPI's (vLLM) / axum's 404
  }
  // /health_generate runs a generation: it fails when generation fails, whatever /health says.
  const bool ok = path == "/health_generate" ? s.healthy && !s.generation_fails : s.healthy;
  if (ok) return HttpResponse{200, "text/plain", "", {}};
  if (s.engine == "tgi") return Json(503, {{"error", "unhealthy"}, {"error_type", "healthcheck"}});
  if (s.engine == "sglang") return HttpResponse{503, "text/plain", "", {}};
  return HttpResponse{500, "text/plain", "", {}};  // vLLM: the engine core is dead (EngineDeadError)
}

}  // namespace llm::engine_sim
