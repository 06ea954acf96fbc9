#include "engine_sim/pod_state.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace llm::engine_sim {
namespace {

std::vector<double> Numbers(const nlohmann::json& doc, const char* key, std::string& error) {
  std::vector<double> out;
  if (!doc.contains(key)) return out;
  if (!doc[key].is_array()) {
    error = std::string(key) + " must be a list of numbers";
    return out;
  }
  for (const auto& v : doc[key]) {
    if (!v.is_number()) {
      error = std::string(key) + " must be a list of numbers";
      return {};
    }
    out.push_back(v.get<double>());
  }
  return out;
}

template <class T>
bool Field(const nlohmann::json& doc, const char* key, T& into, std::string& error) {
  if (!doc.contains(key)) return true;
  try {
    into = doc[key].get<T>();
    return true;
  } catch (const nlohmann::json::exception&) {
    error = std::string("field ") + key + " has the wrong type";
    return false;
  }
}

}  // namespace

std::optional<Steering> ParseSteering(const nlohmann::json& doc, std::string& error) {
  Steering s;
  if (!doc.is_object()) {
    error = "the steering file must hold a JSON object";
    return std::nullopt;
  }
  std::string health = "ok", generation = "ok";
  if (!Field(doc, "engine", s.engine, error) || !Field(doc, "model", s.model, error) ||
      !Field(doc, "health", health, error) || !Field(doc, "generation", generation, error) ||
      !Field(doc, "apiKey", s.api_key, error) || !Field(doc, "ttftMs", s.ttft_ms, error) ||
      !Field(doc, "itlMs", s.itl_ms, error)) {
    return std::nullopt;
  }
  if (s.engine != "vllm" && s.engine != "sglang" && s.engine != "tgi") {
    error = "engine must be vllm, sglang or tgi";
    return std::nullopt;
  }
  if ((health != "ok" && health != "fail") || (generation != "ok" && generation != "error")) {
    error = "health must be ok or fail, generation ok or error";
    return std::nullopt;
  }
  s.healthy = health == "ok";
  s.generation_fails = generation == "error";
  if (doc.contains("metrics")) {
    const nlohmann::json& m = doc["metrics"];
    if (!m.is_object()) {
      error = "metrics must be an object";
      return std::nullopt;
    }
    std::string label;
    if (!Field(m, "running", s.running, error) || !Field(m, "waiting", s.waiting, error) ||
        !Field(m, "kvCacheUsage", s.kv_cache_usage, error) ||
        !Field(m, "promptTokensPerSecond", s.prompt_tokens_per_second, error) ||
        !Field(m, "generationTokensPerSecond", s.generation_tokens_per_second, error) ||
        !Field(m, "rename", s.rename, error) || !Field(m, "dropModelLabel", s.drop_model_label, error)) {
      return std::nullopt;
    }
    if (m.contains("modelLabel")) {
      if (!Field(m, "modelLabel", label, error)) return std::nullopt;
      s.model_label = label;
    }
    s.ttft_observations = Numbers(m, "ttftObservations", error);
    s.e2e_observations = Numbers(m, "e2eObservations", error);
    if (!error.empty()) return std::nullopt;
  }
  return s;
}

std::shared_ptr<PodState> PodStates::For(const std::string& ip) {
  std::string path = dir_ + "/pods/" + ip + ".json";
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    path = dir_ + "/default.json";
    if (stat(path.c_str(), &st) != 0) path.clear();
  }
  const long long mtime =
      path.empty() ? 0 : static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  const long long size = path.empty() ? 0 : static_cast<long long>(st.st_size);
  std::lock_guard<std::mutex> lock(mu_);
  Entry& entry = entries_[ip];
  if (entry.state && entry.path == path && entry.mtime_ns == mtime && entry.size == size) return entry.state;
  auto state = std::make_shared<PodState>();
  if (!path.empty()) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    std::string error;
    std::optional<Steering> steering = doc.is_discarded() ? std::nullopt : ParseSteering(doc, error);
    if (doc.is_discarded()) error = "not JSON";
    if (steering) {
      state->steering = std::move(*steering);
    } else {
      state->error = "engine simulator: " + path + ": " + error;
    }
  }
  entry = Entry{path, mtime, size, state};
  return state;
}

}  // namespace llm::engine_sim
