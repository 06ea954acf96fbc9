#include "workload/elastic_training.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

/// An elastic Indexed Job as train renders it, at `nodes` of MIN:MAX.
json ElasticJobObject(const std::string& bounds, int nodes) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", {{"name", "t"}, {"annotations", {{"kubectl-llm.dev/elastic-nodes", bounds}}}}},
          {"spec",
           {{"parallelism", nodes},
            {"completions", nodes},
            {"template",
             {{"spec",
               {{"containers",
                 json::array({{{"name", "trainer"},
                               {"env", json::array({{{"name", "PET_MAX_RESTARTS"}, {"value", "3"}}})}}})}}}}}}},
          {"status", {{"failed", 2}}}};
}

TEST_CASE("ParseNodeRange: MIN:MAX with 1 <= MIN <= MAX <= the limit, digits only") {
  CHECK(ParseNodeRange("2:4", 10000) == NodeRange{2, 4});
  CHECK(ParseNodeRange("3:3", 10000) == NodeRange{3, 3});
  CHECK(ParseNodeRange("1:10000", 10000) == NodeRange{1, 10000});
  for (const char* bad : {"4:2", "0:2", "2:0", "2", "2:", ":4", "a:4", "2:b", "-1:4", "+2:4", "2:4:6", " 2:4", "2.0:4",
                          "1:10001", "", ":"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseNodeRange(bad, 10000).has_value());
  }
  CHECK(FormatNodeRange({2, 8}) == "2:8");
}

TEST_CASE("ReadElasticJob: a Job's bounds, size, failed pods and torchrun's max restarts") {
  const auto job = ReadElasticJob(ElasticJobObject("2:4", 3));
  REQUIRE(job.has_value());
  CHECK(job->kind == "Job");
  CHECK(job->bounds == NodeRange{2, 4});
  CHECK(job->nodes == 3);
  CHECK(job->restarts == 2);
  CHECK(job->max_restarts == 3);
  CHECK_FALSE(job->queued);
  CHECK_FALSE(job->kueue_elastic);
  CHECK_FALSE(job->finished);

  json complete = ElasticJobObject("2:4", 3);
  complete["status"]["conditions"] = json::array({{{"type", "Complete"}, {"status", "True"}}});
  CHECK(ReadElasticJob(complete)->finished);

  // Not elastic: no annotation, a bad one, or another kind.
  json fixed = ElasticJobObject("2:4", 3);
  fixed["metadata"].erase("annotations");
  CHECK_FALSE(ReadElasticJob(fixed).has_value());
  CHECK_FALSE(ReadElasticJob(ElasticJobObject("4:2", 3)).has_value());
  json deployment = ElasticJobObject("2:4", 3);
  deployment["kind"] = "Deployment";
  CHECK_FALSE(ReadElasticJob(deployment).has_value());
}

TEST_CASE("ReadElasticJob: Kueue lets a queued job resize only when its webhook gated the pods (the feature gate)") {
  json queued = ElasticJobObject("2:4", 2);
  queued["metadata"]["labels"] = {{"kueue.x-k8s.io/queue-name", "team-a"}};
  queued["metadata"]["annotations"]["kueue.x-k8s.io/elastic-job"] = "true";
  auto job = ReadElasticJob(queued);
  REQUIRE(job.has_value());
  CHECK(job->queued);
  CHECK_FALSE(job->kueue_elastic);  // the annotation alone: Kueue's gate is off

  queued["spec"]["template"]["spec"]["schedulingGates"] = json::array({{{"name", "kueue.x-k8s.io/elastic-job"}}});
  CHECK(ReadElasticJob(queued)->kueue_elastic);
}

TEST_CASE("ReadElasticJob: a JobSet's size is its replicated job's parallelism, its restarts the group's") {
  const json jobset = {
      {"apiVersion", "jobset.x-k8s.io/v1alpha2"},
      {"kind", "JobSet"},
      {"metadata", {{"name", "t"}, {"annotations", {{"kubectl-llm.dev/elastic-nodes", "1:8"}}}}},
      {"spec",
       {{"replicatedJobs",
         json::array({{{"name", "node"}, {"replicas", 1}, {"template", {{"spec", {{"parallelism", 5}}}}}}})}}},
      {"status", {{"restarts", 1}, {"conditions", json::array({{{"type", "Failed"}, {"status", "True"}}})}}}};
  const auto job = ReadElasticJob(jobset);
  REQUIRE(job.has_value());
  CHECK(job->bounds == NodeRange{1, 8});
  CHECK(job->nodes == 5);
  CHECK(job->restarts == 1);
  CHECK(job->max_restarts == -1);
  CHECK(job->finished);
}

}  // namespace
}  // namespace llm
