#include "workload/pod_templates.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::ordered_json;

TEST_CASE("ForEachPodTemplate reaches every template of a mutable, ordered object") {
  // PodTemplatesOf (manifest_requirements_test) covers the pod counts of each
  // kind through the same walk; this checks the walk can change what it visits.
  ordered_json lws = ordered_json::parse(R"({"kind":"LeaderWorkerSet","spec":{"replicas":2,"leaderWorkerTemplate":{
      "size":3,"leaderTemplate":{"spec":{}},"workerTemplate":{"spec":{}}}}})");
  ordered_json jobset = ordered_json::parse(R"({"kind":"JobSet","spec":{"replicatedJobs":[
      {"replicas":1,"template":{"spec":{"parallelism":2,"template":{"spec":{}}}}},
      {"replicas":2,"template":{"spec":{"template":{"spec":{}}}}}]}})");
  ordered_json pod = ordered_json::parse(R"({"kind":"Pod","spec":{}})");
  ordered_json service = ordered_json::parse(R"({"kind":"Service","spec":{"template":{"spec":{}}}})");
  int visited = 0;
  for (ordered_json* object : {&lws, &jobset, &pod, &service}) {
    ForEachPodTemplate(*object, [&](ordered_json& pod_template, int64_t pods) {
      pod_template["spec"]["pods"] = pods;
      ++visited;
    });
  }
  CHECK(visited == 5);
  CHECK(lws["spec"]["leaderWorkerTemplate"]["leaderTemplate"]["spec"]["pods"] == 2);
  CHECK(lws["spec"]["leaderWorkerTemplate"]["workerTemplate"]["spec"]["pods"] == 4);
  CHECK(jobset["spec"]["replicatedJobs"][0]["template"]["spec"]["template"]["spec"]["pods"] == 2);
  CHECK(jobset["spec"]["replicatedJobs"][1]["template"]["spec"]["template"]["spec"]["pods"] == 2);
  CHECK(pod["spec"]["pods"] == 1);
  CHECK_FALSE(service["spec"]["template"]["spec"].contains("pods"));
}

TEST_CASE("ForEachPodTemplate skips missing or malformed templates") {
  int visited = 0;
  const auto count = [&](const nlohmann::json&, int64_t) { ++visited; };
  for (const char* text : {R"({"kind":"Deployment","spec":{"template":"nope"}})", R"({"kind":"Deployment"})",
                           R"({"kind":"JobSet","spec":{"replicatedJobs":{}}})", R"("not an object")"}) {
    const nlohmann::json object = nlohmann::json::parse(text);
    ForEachPodTemplate(object, count);
  }
  CHECK(visited == 0);
}

}  // namespace
}  // namespace llm
