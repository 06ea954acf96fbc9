#include "workload/openai_api.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("openai: the completion request an endpoint test sends") {
  nlohmann::json plain = CompletionRequestBody("m", "Hello", 1, false);
  CHECK(plain == nlohmann::json{{"model", "m"}, {"prompt", "Hello"}, {"max_tokens", 1}, {"temperature", 0}});
  nlohmann::json streamed = CompletionRequestBody("m", "Hello", 16, true);
  CHECK(streamed["stream"] == true);
  CHECK(streamed["stream_options"]["include_usage"] == true);
}

TEST_CASE("openai: /v1/models ids as vLLM, SGLang and TGI list them") {
  auto ids = ModelIds(R"({"object":"list","data":[{"id":"Qwen/Qwen2.5-0.5B-Instruct","object":"model",
      "owned_by":"vllm","root":"Qwen/Qwen2.5-0.5B-Instruct"},{"id":"lora-a","object":"model"}]})");
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{"Qwen/Qwen2.5-0.5B-Instruct", "lora-a"});
  auto html = ModelIds("<html>404 page not found</html>");
  REQUIRE_FALSE(html.ok());
  CHECK(html.error().message() == "the /v1/models answer is not a JSON object: <html>404 page not found</html>");
  auto no_data = ModelIds(R"({"object":"list"})");
  REQUIRE_FALSE(no_data.ok());
  CHECK(no_data.error().message() == R"(the /v1/models answer has no data list: {"object":"list"})");
}

TEST_CASE("openai: a completion has one choice and its usage") {
  auto ok = ReadCompletion(R"({"choices":[{"index":0,"text":" Paris"}],"usage":{"completion_tokens":1}})", 1);
  REQUIRE(ok.ok());
  CHECK(ok->text == " Paris");
  CHECK(ok->completion_tokens == 1);
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"choices":[],"usage":{"completion_tokens":1}})", "the completion has 0 choices instead of 1"},
      {R"({"choices":[{"text":"a"},{"text":"b"}]})", "the completion has 2 choices instead of 1"},
      {R"({"choices":[{"text":"a"}]})", "the completion has no usage.completion_tokens"},
      {R"({"choices":[{"text":"a"}],"usage":{"completion_tokens":0}})",
       "the completion reports 0 completion tokens for max_tokens 1"},
      {R"({"choices":[{"text":"a"}],"usage":{"completion_tokens":5}})",
       "the completion reports 5 completion tokens for max_tokens 1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    auto read = ReadCompletion(c.body, 1);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().message() == c.message);
  }
}

TEST_CASE("openai: streamed chunks, the usage chunk, errors in the stream and [DONE]") {
  auto text = ReadStreamChunk(R"({"object":"text_completion","choices":[{"index":0,"text":" Hi"}],"usage":null})");
  REQUIRE(text.ok());
  CHECK(text->text == " Hi");
  CHECK_FALSE(text->completion_tokens.has_value());
  auto chat = ReadStreamChunk(R"({"choices":[{"index":0,"delta":{"content":"Hi"}}]})");
  REQUIRE(chat.ok());
  CHECK(chat->text == "Hi");
  auto usage = ReadStreamChunk(R"({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":16}})");
  REQUIRE(usage.ok());
  CHECK(usage->text.empty());
  CHECK(usage->completion_tokens == 16);
  auto error = ReadStreamChunk(R"({"object":"error","message":"CUDA error: an illegal memory access","code":500})");
  REQUIRE(error.ok());
  CHECK(error->error == "CUDA error: an illegal memory access");
  auto done = ReadStreamChunk("[DONE]");
  REQUIRE(done.ok());
  CHECK(done->done);
}

TEST_CASE("openai: the message inside each engine's error body") {
  CHECK(EngineErrorMessage(R"({"object":"error","message":"The model `x` does not exist.","type":"NotFoundError"})") ==
        "The model `x` does not exist.");
  CHECK(EngineErrorMessage(R"({"error":"Unauthorized"})") == "Unauthorized");
  CHECK(EngineErrorMessage(R"({"error":"unhealthy","error_type":"healthcheck"})") == "unhealthy");
  CHECK(EngineErrorMessage(R"({"error":{"message":"rate limited","type":"x"}})") == "rate limited");
  CHECK(EngineErrorMessage("  plain text\n") == "plain text");
  CHECK(EngineErrorMessage("") == "");
  CHECK(EngineErrorMessage(std::string(300, 'x')) == std::string(200, 'x') + "...");
}

}  // namespace
}  // namespace llm
