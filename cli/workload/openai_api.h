// The OpenAI-compatible API that vLLM, SGLang and TGI serve, as far as an
// endpoint test needs it: the request bodies it sends and what it checks in
// the answers (/v1/models ids, one completion choice with its usage, the
// chunks of a streamed completion), and the message inside an engine's error
// body. Pure functions over bodies; sending them is the caller's part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

/// POST /v1/completions: greedy (temperature 0), so every run asks the same;
/// streamed ones ask for the usage chunk (stream_options.include_usage).
nlohmann::json CompletionRequestBody(const std::string& model, const std::string& prompt, int max_tokens, bool stream);

/// The `data[].id`s of a GET /v1/models answer.
Result<std::vector<std::string>> ModelIds(std::string_view body);

struct Completion {
  std::string text;               ///< choices[0].text
  int64_t completion_tokens = 0;  ///< usage.completion_tokens
};

/// A non-streamed completion: exactly one choice, and usage.completion_tokens
/// between 1 and `max_tokens`. The error says what the answer held instead.
Result<Completion> ReadCompletion(std::string_view body, int max_tokens);

/// One `data:` payload of a streamed completion.
struct StreamChunk {
  bool done = false;                         ///< the `[DONE]` marker
  std::string text;                          ///< choices[0].text (or delta.content); "" for a usage-only chunk
  std::optional<int64_t> completion_tokens;  ///< from the usage chunk
  std::optional<std::string> error;          ///< an error object sent in the stream
};
Result<StreamChunk> ReadStreamChunk(std::string_view data);

/// The message inside an engine's error body: {"object":"error","message":..}
/// (vLLM, SGLang), {"error":"..."} (TGI, the API-key middleware),
/// {"error":{"message":..}} (OpenAI's shape); else the body itself, cut to 200
/// bytes; "" for an empty body.
std::string EngineErrorMessage(std::string_view body);

}  // namespace llm
