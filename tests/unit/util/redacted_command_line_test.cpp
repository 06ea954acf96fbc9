#include "util/redacted_command_line.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("redacted command line: secret-looking keys in every spelling") {
  CHECK(IsSecretLookingKey("token"));
  CHECK(IsSecretLookingKey("HF_TOKEN"));
  CHECK(IsSecretLookingKey("env.hfToken"));
  CHECK(IsSecretLookingKey("db-password"));
  CHECK(IsSecretLookingKey("OPENAI_API_KEY"));
  CHECK(IsSecretLookingKey("client-key"));
  CHECK(IsSecretLookingKey("imagePullSecret"));
  CHECK_FALSE(IsSecretLookingKey("model"));
  CHECK_FALSE(IsSecretLookingKey("replicas"));
  CHECK_FALSE(IsSecretLookingKey("max-model-len"));
}

TEST_CASE("redacted command line: flag values, assignments and a trailing command") {
  CHECK(RedactedCommandLine({"serve", "chat", "--model", "meta/llama", "--token", "abc", "-n", "ml"}) ==
        "kubectl llm serve chat --model meta/llama --token '<redacted>' -n ml");
  CHECK(RedactedCommandLine({"serve", "chat", "--token=abc"}) == "kubectl llm serve chat '--token=<redacted>'");
  CHECK(RedactedCommandLine({"serve", "chat", "--set", "env.HF_TOKEN=hf_x", "--set", "replicas=2"}) ==
        "kubectl llm serve chat --set 'env.HF_TOKEN=<redacted>' --set replicas=2");
  CHECK(RedactedCommandLine({"serve", "chat", "--set=apiKey=k"}) == "kubectl llm serve chat '--set=apiKey=<redacted>'");
  // After "--" the words are the trainer's, redacted by the same rules.
  CHECK(RedactedCommandLine({"train", "t", "--", "env", "WANDB_API_KEY=w", "python", "a b.py", "--hf-token", "x"}) ==
        "kubectl llm train t -- env 'WANDB_API_KEY=<redacted>' python 'a b.py' --hf-token '<redacted>'");
  CHECK(RedactedCommandLine({"serve", "it's"}) == "kubectl llm serve 'it'\\''s'");
  CHECK(RedactedCommandLine({}) == "kubectl llm");
}

}  // namespace
}  // namespace llm
