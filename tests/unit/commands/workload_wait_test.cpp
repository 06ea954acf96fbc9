#include "commands/workload_wait.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

json Job(int parallelism, json status) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", {{"name", "t"}, {"generation", 1}}},
          {"spec", {{"parallelism", parallelism}}},
          {"status", status}};
}

TEST_CASE("TrainReady: a Job is ready when every pod runs, done when Complete, failed when Failed") {
  struct Case {
    const char* name;
    json job;
    kube::WaitState state;
  };
  const std::vector<Case> cases = {
      {"no pods yet", Job(2, json::object()), kube::WaitState::kPending},
      {"one of two", Job(2, {{"active", 2}, {"ready", 1}}), kube::WaitState::kPending},
      {"all running", Job(2, {{"active", 2}, {"ready", 2}}), kube::WaitState::kDone},
      {"complete", Job(2, {{"conditions", {{{"type", "Complete"}, {"status", "True"}}}}}), kube::WaitState::kDone},
      {"failed",
       Job(2, {{"conditions", {{{"type", "Failed"}, {"status", "True"}, {"reason", "BackoffLimitExceeded"}}}}}),
       kube::WaitState::kFailed},
  };
  const kube::WaitPredicate ready = TrainReady();
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(ready(&c.job).state == c.state);
  }
  CHECK(ready(nullptr).state == kube::WaitState::kPending);
  json running = Job(2, {{"active", 2}, {"ready", 2}});
  CHECK(ready(&running).message == "job \"t\": all 2 pods running");
}

}  // namespace
}  // namespace llm
