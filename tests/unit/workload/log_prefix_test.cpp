#include "workload/log_prefix.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

const nlohmann::json& PodNamed(const nlohmann::json& list, const std::string& name) {
  for (const auto& pod : list["items"]) {
    if (pod["metadata"]["name"] == name) return pod;
  }
  throw std::runtime_error("no pod " + name);
}

TEST_CASE("log prefixes from the labels LWS, Job and JobSet set") {
  const nlohmann::json pods = testing::LoadWorkloadFixture("progress-pods.json");
  struct Case {
    const char* pod;
    const char* prefix;
  };
  const Case cases[] = {
      {"chat-0", "[chat-0 leader]"},
      {"chat-0-1", "[chat-0-1 worker]"},
      {"chat-1", "[chat-1 leader]"},
      {"train-node-0-0-5xq9d", "[train-node-0-0 node rank=0]"},        // JobSet: the child Job and the replicated job
      {"finetune-1-p9q2w", "[finetune-1 rank=1]"},                     // Indexed Job: the random suffix is dropped
      {"chat-small-6b8c9d7f5-h7j2k", "[chat-small-6b8c9d7f5-h7j2k]"},  // Deployment: the pod name alone
  };
  for (const Case& c : cases) {
    CAPTURE(c.pod);
    CHECK(LogPrefix(PodNamed(pods, c.pod)) == c.prefix);
  }
  CHECK(LogPrefix(PodNamed(pods, "chat-0"), "vllm") == "[chat-0 leader vllm]");
}

TEST_CASE("an indexed Job's rank, also from the older annotation") {
  nlohmann::json pod = {{"metadata",
                         {{"name", "train-3-k2j4h"},
                          {"labels", {{"batch.kubernetes.io/job-name", "train"}}},
                          {"annotations", {{"batch.kubernetes.io/job-completion-index", "3"}}}}}};
  CHECK(LogPrefix(pod) == "[train-3 rank=3]");
  PodIdentity id = IdentifyPod(pod);
  CHECK(id.display_name == "train-3");
  CHECK(id.role == "rank=3");
}

}  // namespace
}  // namespace llm
