#include "node_validation/node_patch.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

const TimePoint kCheckedAt = std::chrono::system_clock::from_time_t(1795867200);  // 2026-11-28T12:00:00Z

/// A taint list. Not `json t = {taint}`: with one element that is an array
/// under GCC 12 but a copy of `taint` under clang 16 (the asan preset).
nlohmann::json Taints(std::initializer_list<nlohmann::json> taints) {
  nlohmann::json list = nlohmann::json::array();
  for (const nlohmann::json& taint : taints) list.push_back(taint);
  return list;
}

nlohmann::json NodeWithTaints(nlohmann::json taints) {
  nlohmann::json node = {{"apiVersion", "v1"},
                         {"kind", "Node"},
                         {"metadata",
                          {{"name", "gpu-a"},
                           {"resourceVersion", "4711"},
                           {"labels", {{"pool", "gpu"}}},
                           {"annotations", {{"other", "x"}}}}},
                         {"spec", nlohmann::json::object()}};
  if (!taints.is_null()) node["spec"]["taints"] = std::move(taints);
  return node;
}

const nlohmann::json kOurs = {{"key", "kubectl-llm.dev/gpu-check"}, {"value", "failed"}, {"effect", "NoSchedule"}};
const nlohmann::json kGpuTaint = {{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}};
const nlohmann::json kUnreachable = {
    {"key", "node.kubernetes.io/unreachable"}, {"effect", "NoExecute"}, {"timeAdded", "2026-11-28T11:00:00Z"}};

NodeResult ResultFor(Verdict v) {
  NodeResult r;
  r.node = "gpu-a";
  r.verdict = v;
  r.reason = v == Verdict::kPass ? "" : "hbm: gpu 3 below floor";
  r.product = "NVIDIA-H100-80GB-HBM3";
  r.model = "H100-SXM-80GB";
  r.gpu_count = 8;
  r.exit_code = v == Verdict::kPass ? 0 : 1;
  r.started_at = kCheckedAt - std::chrono::seconds(75);
  r.finished_at = kCheckedAt;
  r.bandwidth.hbm = 2874.44;
  r.bandwidth.h2d = 51.96;
  r.bandwidth.allreduce_busbw = 478.25;
  return r;
}

RecordSettings Settings(bool record, bool taint) {
  RecordSettings s;
  s.record = record;
  s.taint_failed = taint;
  s.tool_version = "0.1.0";
  s.image = "ghcr.io/kubectl-llm/llm-gpu-check:0.1.0";
  s.profile = "quick";
  return s;
}

/// The node as the API server would store it after the merge patch.
nlohmann::json Patched(const nlohmann::json& node, const nlohmann::json& patch) {
  nlohmann::json out = node;
  out.merge_patch(patch);
  return out;
}

}  // namespace

TEST_CASE("--record: verdict, time and valid-until labels plus the summary annotation, nothing else touched") {
  const nlohmann::json node = NodeWithTaints(nullptr);
  const auto patch = ComputeNodePatch(ResultFor(Verdict::kPass), node, Settings(true, false), kCheckedAt);
  REQUIRE(patch.has_value());
  CHECK_FALSE(patch->contains("spec"));
  CHECK_FALSE((*patch)["metadata"].contains("resourceVersion"));  // labels cannot conflict
  const nlohmann::json after = Patched(node, *patch);
  CHECK(after["metadata"]["labels"] == nlohmann::json{{"pool", "gpu"},
                                                      {"kubectl-llm.dev/gpu-check", "pass"},
                                                      {"kubectl-llm.dev/gpu-check-time", "1795867200"},
                                                      {"kubectl-llm.dev/gpu-check-valid-until", "1796472000"}});
  CHECK(after["metadata"]["annotations"]["other"] == "x");
  const auto summary =
      nlohmann::json::parse(after["metadata"]["annotations"]["kubectl-llm.dev/gpu-check-summary"].get<std::string>());
  CHECK(summary.dump() ==
        R"({"apiVersion":"kubectl-llm.dev/v1alpha1","bandwidthGBps":{"allReduceBusBw":478.3,"d2h":null,"h2d":52.0,)"
        R"("hbm":2874.4,"p2pMin":null},"checkedAt":"2026-11-28T12:00:00Z","durationSeconds":75,"exitCode":0,)"
        R"("gpuCount":8,"image":"ghcr.io/kubectl-llm/llm-gpu-check:0.1.0","model":"H100-SXM-80GB",)"
        R"("product":"NVIDIA-H100-80GB-HBM3","profile":"quick","reason":"","suspectGpus":[],"toolVersion":"0.1.0",)"
        R"("validUntil":"2026-12-05T12:00:00Z","verdict":"pass"})");
  // Key order is stable for people reading the annotation.
  CHECK(NodeCheckSummary(ResultFor(Verdict::kPass), Settings(true, false), kCheckedAt).begin().key() == "apiVersion");
}

TEST_CASE("--taint-failed: computes the whole taint list from the node, keeping other taints") {
  struct Case {
    const char* name;
    Verdict verdict;
    nlohmann::json before;  ///< null: no spec.taints
    nlohmann::json after;   ///< null: no spec.taints; "unchanged": no patch
  };
  const nlohmann::json kUnchanged = "unchanged";
  const nlohmann::json kWrongValue = {
      {"key", "kubectl-llm.dev/gpu-check"}, {"value", "suspect"}, {"effect", "NoSchedule"}};
  const nlohmann::json kOtherEffect = {
      {"key", "kubectl-llm.dev/gpu-check"}, {"value", "failed"}, {"effect", "NoExecute"}};
  const std::vector<Case> cases = {
      {"fail on an untainted node", Verdict::kFail, nullptr, Taints({kOurs})},
      {"fail keeps other taints in order", Verdict::kFail, {kGpuTaint, kUnreachable}, {kGpuTaint, kUnreachable, kOurs}},
      {"fail on an already tainted node", Verdict::kFail, {kGpuTaint, kOurs}, kUnchanged},
      {"fail corrects the value in place", Verdict::kFail, {kWrongValue, kGpuTaint}, {kOurs, kGpuTaint}},
      {"pass removes ours, keeps the rest",
       Verdict::kPass,
       {kGpuTaint, kOurs, kUnreachable},
       {kGpuTaint, kUnreachable}},
      {"pass removing the only taint", Verdict::kPass, Taints({kOurs}), nullptr},
      {"pass leaves a same-key taint with another effect", Verdict::kPass, Taints({kOtherEffect}), kUnchanged},
      {"pass on an untainted node", Verdict::kPass, nullptr, kUnchanged},
      {"error never touches taints", Verdict::kError, Taints({kOurs}), kUnchanged},
      {"error on an untainted node", Verdict::kError, nullptr, kUnchanged},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const nlohmann::json node = NodeWithTaints(c.before);
    const auto patch = ComputeNodePatch(ResultFor(c.verdict), node, Settings(false, true), kCheckedAt);
    if (c.after == kUnchanged) {
      CHECK_FALSE(patch.has_value());
      continue;
    }
    REQUIRE(patch.has_value());
    CHECK((*patch)["metadata"]["resourceVersion"] == "4711");  // optimistic concurrency for the list
    CHECK_FALSE((*patch)["metadata"].contains("labels"));
    const nlohmann::json after = Patched(node, *patch);
    if (c.after.is_null()) {
      CHECK_FALSE(after["spec"].contains("taints"));
    } else {
      CHECK(after["spec"]["taints"] == c.after);
    }
    CHECK(after["metadata"]["labels"] == nlohmann::json{{"pool", "gpu"}});
  }
}

TEST_CASE("--record with --taint-failed: one patch carries both") {
  const nlohmann::json node = NodeWithTaints(Taints({kGpuTaint}));
  const auto patch = ComputeNodePatch(ResultFor(Verdict::kFail), node, Settings(true, true), kCheckedAt);
  REQUIRE(patch.has_value());
  const nlohmann::json after = Patched(node, *patch);
  CHECK(after["metadata"]["labels"]["kubectl-llm.dev/gpu-check"] == "fail");
  CHECK(after["spec"]["taints"] == nlohmann::json{kGpuTaint, kOurs});
  CHECK(nlohmann::json::parse(
            after["metadata"]["annotations"]["kubectl-llm.dev/gpu-check-summary"].get<std::string>())["reason"] ==
        "hbm: gpu 3 below floor");
  CHECK_FALSE(ComputeNodePatch(ResultFor(Verdict::kFail), node, Settings(false, false), kCheckedAt).has_value());
}

TEST_CASE("a node cut to KeepPatchFields gives the same patch as the whole node, for every verdict") {
  for (const nlohmann::json& taints : {nlohmann::json(nullptr), Taints({kGpuTaint}), Taints({kOurs, kUnreachable})}) {
    nlohmann::json whole = NodeWithTaints(taints);
    whole["status"] = {{"images", {{{"names", {"registry/x:1"}}}}}};
    nlohmann::json cut = whole;
    KeepPatchFields(cut);
    CHECK_FALSE(cut.contains("status"));
    CHECK_FALSE(cut["metadata"].contains("labels"));
    for (const Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kError}) {
      CHECK(ComputeNodePatch(ResultFor(v), cut, Settings(true, true), kCheckedAt) ==
            ComputeNodePatch(ResultFor(v), whole, Settings(true, true), kCheckedAt));
    }
  }
}

}  // namespace llm
