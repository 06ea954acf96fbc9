#include "workload/require_validated.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1795867200);
constexpr long long kNowS = 1795867200;

nlohmann::json GpuNode(const std::string& name, std::map<std::string, std::string> labels, int gpus = 8) {
  nlohmann::json node = {{"metadata", {{"name", name}, {"labels", labels}}},
                         {"status", {{"allocatable", nlohmann::json::object()}}}};
  if (gpus > 0) node["status"]["allocatable"]["nvidia.com/gpu"] = std::to_string(gpus);
  return node;
}

std::map<std::string, std::string> Pass(long long checked, long long valid_until) {
  return {{"kubectl-llm.dev/gpu-check", "pass"},
          {"kubectl-llm.dev/gpu-check-time", std::to_string(checked)},
          {"kubectl-llm.dev/gpu-check-valid-until", std::to_string(valid_until)}};
}

nlohmann::json Fleet() {
  return {
      {"items",
       {GpuNode("fresh", Pass(kNowS - 3600, kNowS + 86400)),
        GpuNode("old", Pass(kNowS - 3 * 86400, kNowS + 86400)),  // older than 1d
        GpuNode("past-valid-until", Pass(kNowS - 3600, kNowS - 1)),
        GpuNode("no-time", {{"kubectl-llm.dev/gpu-check", "pass"}}),
        GpuNode("failed", {{"kubectl-llm.dev/gpu-check", "fail"}}),
        GpuNode("errored", {{"kubectl-llm.dev/gpu-check", "error"}}), GpuNode("never", {}), GpuNode("cpu", {}, 0)}}};
}

}  // namespace

TEST_CASE("ParseRequireValidated") {
  CHECK_FALSE(ParseRequireValidated("")->max_age.has_value());
  CHECK(ParseRequireValidated("24h")->max_age == Seconds(86400));
  CHECK(ParseRequireValidated("7d")->max_age == Seconds(7 * 86400));
  auto bad = ParseRequireValidated("yesterday");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kUsage);
  CHECK(bad.error().message().starts_with("invalid --require-validated \"yesterday\": expected a number"));
  CHECK(ParseRequireValidated("0").error().message() == "--require-validated: MAX_AGE must be longer than 0s");
}

TEST_CASE("AddValidatedNodeAffinity: required In (pass) in every term, idempotent") {
  nlohmann::json spec = nlohmann::json::object();
  AddValidatedNodeAffinity(spec);
  CHECK(spec.dump() ==
        R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":)"
        R"([{"matchExpressions":[{"key":"kubectl-llm.dev/gpu-check","operator":"In","values":["pass"]}]}]}}}})");
  AddValidatedNodeAffinity(spec);
  CHECK(spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
            ["matchExpressions"]
                .size() == 1);

  // Terms are ORed: each existing term must demand a pass too.
  nlohmann::json two = nlohmann::json::parse(R"({"affinity":{"nodeAffinity":{
      "requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
        {"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]},
        {"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]}]},
      "preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"preference":{}}]}}})");
  AddValidatedNodeAffinity(two);
  const auto& terms =
      two["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
  REQUIRE(terms.size() == 2);
  CHECK(terms[0]["matchExpressions"].size() == 2);
  CHECK(terms[0]["matchExpressions"][1] == ValidatedNodeRequirement());
  CHECK(terms[1]["matchExpressions"] == nlohmann::json::array({ValidatedNodeRequirement()}));
  CHECK(terms[1]["matchFields"].size() == 1);
  CHECK(two["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"].size() == 1);
}

TEST_CASE("CountValidatedNodes: fresh, expired, failed, never checked") {
  RequireValidated one_day;
  one_day.max_age = Seconds(86400);
  ValidatedNodeCount c = CountValidatedNodes(Fleet(), kNow, one_day);
  CHECK(c.gpu_nodes == 7);
  CHECK(c.validated == 1);
  CHECK(c.expired == 3);  // old, past-valid-until, no-time
  CHECK(c.failed == 2);
  CHECK(c.unchecked == 1);

  c = CountValidatedNodes(Fleet(), kNow, RequireValidated{});  // only valid-until
  CHECK(c.validated == 2);
  CHECK(c.expired == 2);
}

TEST_CASE("CheckValidatedNodes: one clear sentence") {
  RequireValidated one_day;
  one_day.max_age = Seconds(86400);
  const ValidatedNodeCount c = CountValidatedNodes(Fleet(), kNow, one_day);
  CHECK(CheckValidatedNodes(c, 1, one_day).ok());
  Status s = CheckValidatedNodes(c, 2, one_day);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind() == ErrorKind::kInvalidInput);
  CHECK(s.error().message() ==
        "--require-validated: 1 of 7 GPU nodes is validated, 2 needed (3 passed more than 24h ago or are past their "
        "valid-until time, 2 failed, 1 was never checked); run 'kubectl llm validate-nodes --record'");

  ValidatedNodeCount none;
  none.gpu_nodes = 2;
  none.expired = 1;
  none.unchecked = 1;
  s = CheckValidatedNodes(none, 1, RequireValidated{});
  CHECK(s.error().message() ==
        "--require-validated: 0 of 2 GPU nodes are validated, 1 needed (1 is past its valid-until time, 1 was never "
        "checked); run 'kubectl llm validate-nodes --record'");
  s = CheckValidatedNodes(ValidatedNodeCount{}, 1, RequireValidated{});
  CHECK(s.error().message() ==
        "--require-validated: the cluster has no GPU nodes (no node has allocatable nvidia.com/gpu)");
}

TEST_CASE("ClassifyNodeValidation and WithoutStaleValidations drop only passes that no longer count") {
  RequireValidated one_day;
  one_day.max_age = Seconds(86400);
  const nlohmann::json fleet = Fleet();
  CHECK(ClassifyNodeValidation(fleet["items"][0], kNow, one_day) == NodeValidation::kValidated);
  CHECK(ClassifyNodeValidation(fleet["items"][1], kNow, one_day) == NodeValidation::kExpired);
  CHECK(ClassifyNodeValidation(fleet["items"][1], kNow, RequireValidated{}) == NodeValidation::kValidated);
  CHECK(ClassifyNodeValidation(fleet["items"][4], kNow, one_day) == NodeValidation::kFailed);
  CHECK(ClassifyNodeValidation(fleet["items"][6], kNow, one_day) == NodeValidation::kUnchecked);

  const nlohmann::json kept = WithoutStaleValidations(fleet, kNow, one_day);
  REQUIRE(kept.size() == fleet["items"].size());
  std::vector<std::string> still_labelled;
  for (const auto& node : kept) {
    if (node["metadata"]["labels"].contains("kubectl-llm.dev/gpu-check")) {
      still_labelled.push_back(node["metadata"]["name"]);
    }
  }
  CHECK(still_labelled == std::vector<std::string>{"fresh", "failed", "errored"});
  CHECK(kept[1]["metadata"]["labels"].contains("kubectl-llm.dev/gpu-check-time"));  // only the verdict goes
}

TEST_CASE("AddValidatedNodeAffinity keeps the renderer's key order (ordered_json)") {
  nlohmann::ordered_json spec = nlohmann::ordered_json::parse(R"({"containers":[],"nodeSelector":{"a":"b"}})");
  AddValidatedNodeAffinity(spec);
  CHECK(
      spec.dump() ==
      R"({"containers":[],"nodeSelector":{"a":"b"},"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
      R"({"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubectl-llm.dev/gpu-check","operator":"In","values":["pass"]}]}]}}}})");
}

}  // namespace llm
