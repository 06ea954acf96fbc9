#include "workload/openai_api.h"

#include <fmt/format.h>

#include "util/strings.h"

namespace llm {
namespace {

constexpr size_t kQuoteLimit = 200;

Result<nlohmann::json> ParseJsonObject(std::string_view body, std::string_view what) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{} is not a JSON object: {}", what, EngineErrorMessage(body)));
  }
  return doc;
}

std::string Cut(std::string_view text) {
  text = Trim(text);
  if (text.size() <= kQuoteLimit) return std::string(text);
  return std::string(text.substr(0, kQuoteLimit)) + "...";
}

}  // namespace

nlohmann::json CompletionRequestBody(const std::string& model, const std::string& prompt, int max_tokens, bool stream) {
  nlohmann::json body = {{"model", model}, {"prompt", prompt}, {"max_tokens", max_tokens}, {"temperature", 0}};
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

Result<std::vector<std::string>> ModelIds(std::string_view body) {
  LLM_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonObject(body, "the /v1/models answer"));
  const auto data = doc.find("data");
  if (data == doc.end() || !data->is_array()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("the /v1/models answer has no data list: {}", Cut(body)));
  }
  std::vector<std::string> ids;
  for (const nlohmann::json& model : *data) {
    if (model.is_object() && model.contains("id") && model["id"].is_string()) ids.push_back(model["id"]);
  }
  return ids;
}

Result<Completion> ReadCompletion(std::string_view body, int max_tokens) {
  LLM_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonObject(body, "the completion"));
  const auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->size() != 1) {
    const size_t n = choices != doc.end() && choices->is_array() ? choices->size() : 0;
    return Error(ErrorKind::kInvalidInput, fmt::format("the completion has {} choices instead of 1", n));
  }
  Completion out;
  const nlohmann::json& choice = (*choices)[0];
  if (choice.is_object() && choice.contains("text") && choice["text"].is_string()) out.text = choice["text"];
  const nlohmann::json usage = doc.value("usage", nlohmann::json::object());
  if (!usage.is_object() || !usage.contains("completion_tokens") || !usage["completion_tokens"].is_number_integer()) {
    return Error(ErrorKind::kInvalidInput, "the completion has no usage.completion_tokens");
  }
  out.completion_tokens = usage["completion_tokens"];
  if (out.completion_tokens < 1 || out.completion_tokens > max_tokens) {
    return Error(ErrorKind::kInvalidInput, fmt::format("the completion reports {} completion tokens for max_tokens {}",
                                                       out.completion_tokens, max_tokens));
  }
  return out;
}

Result<StreamChunk> ReadStreamChunk(std::string_view data) {
  StreamChunk out;
  if (Trim(data) == "[DONE]") {
    out.done = true;
    return out;
  }
  LLM_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonObject(data, "a streamed chunk"));
  if (doc.contains("error") || doc.value("object", "") == "error") {
    out.error = EngineErrorMessage(data);
    return out;
  }
  const nlohmann::json choices = doc.value("choices", nlohmann::json::array());
  if (choices.is_array() && !choices.empty() && choices[0].is_object()) {
    const nlohmann::json& choice = choices[0];
    if (choice.contains("text") && choice["text"].is_string()) {
      out.text = choice["text"];
    } else if (choice.contains("delta") && choice["delta"].is_object() && choice["delta"].contains("content") &&
               choice["delta"]["content"].is_string()) {
      out.text = choice["delta"]["content"];
    }
  }
  const auto usage = doc.find("usage");
  if (usage != doc.end() && usage->is_object() && usage->contains("completion_tokens") &&
      (*usage)["completion_tokens"].is_number_integer()) {
    out.completion_tokens = (*usage)["completion_tokens"].get<int64_t>();
  }
  return out;
}

std::string EngineErrorMessage(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && doc.is_object()) {
    if (doc.contains("message") && doc["message"].is_string()) return Cut(doc["message"].get<std::string>());
    if (doc.contains("error")) {
      const nlohmann::json& error = doc["error"];
      if (error.is_string()) return Cut(error.get<std::string>());
      if (error.is_object() && error.contains("message") && error["message"].is_string()) {
        return Cut(error["message"].get<std::string>());
      }
    }
    // FastAPI's own answers (vLLM and SGLang serve with it): {"detail": "Not Found"}.
    if (doc.contains("detail") && doc["detail"].is_string()) return Cut(doc["detail"].get<std::string>());
  }
  return Cut(body);
}

}  // namespace llm
