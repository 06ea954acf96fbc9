#include "node_validation/node_patch.h"

#include <cmath>

#include "kube/object_fields.h"

namespace llm {
namespace {

nlohmann::json Rounded(const std::optional<double>& gbps) {
  if (!gbps) return nullptr;
  return std::round(*gbps * 10.0) / 10.0;
}

long long UnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool IsOurTaint(const nlohmann::json& taint) {
  return StringAt(taint, {"key"}) == kGpuCheckTaintKey && StringAt(taint, {"effect"}) == kGpuCheckTaintEffect;
}

/// The taint list this verdict calls for; nullopt when it stays as it is.
std::optional<nlohmann::json> NewTaints(Verdict verdict, const nlohmann::json& current) {
  if (verdict == Verdict::kError) return std::nullopt;
  nlohmann::json taints = nlohmann::json::array();
  bool changed = false;
  bool have_ours = false;
  for (const auto& taint : current) {
    if (!IsOurTaint(taint)) {
      taints.push_back(taint);
      continue;
    }
    if (verdict == Verdict::kPass) {
      changed = true;  // drop it
      continue;
    }
    if (have_ours) {  // a duplicate cannot be made by the API server, but never keep two
      changed = true;
      continue;
    }
    have_ours = true;
    if (StringAt(taint, {"value"}) != kGpuCheckTaintValue) {
      nlohmann::json fixed = taint;
      fixed["value"] = kGpuCheckTaintValue;
      taints.push_back(std::move(fixed));
      changed = true;
    } else {
      taints.push_back(taint);
    }
  }
  if (verdict == Verdict::kFail && !have_ours) {
    taints.push_back({{"key", kGpuCheckTaintKey}, {"value", kGpuCheckTaintValue}, {"effect", kGpuCheckTaintEffect}});
    changed = true;
  }
  if (!changed) return std::nullopt;
  return taints;
}

}  // namespace

nlohmann::ordered_json NodeCheckSummary(const NodeResult& r, const RecordSettings& s, TimePoint checked_at) {
  nlohmann::ordered_json j;
  j["apiVersion"] = "kubectl-llm.dev/v1alpha1";
  j["verdict"] = VerdictName(r.verdict);
  j["reason"] = r.reason;
  j["checkedAt"] = FormatRfc3339(checked_at);
  j["validUntil"] = FormatRfc3339(checked_at + s.validity);
  if (r.started_at && r.finished_at) {
    j["durationSeconds"] = std::chrono::duration_cast<std::chrono::seconds>(*r.finished_at - *r.started_at).count();
  } else {
    j["durationSeconds"] = nullptr;
  }
  j["exitCode"] = r.exit_code ? nlohmann::ordered_json(*r.exit_code) : nlohmann::ordered_json(nullptr);
  j["toolVersion"] = s.tool_version;
  j["image"] = s.image;
  j["profile"] = s.profile;
  j["product"] = r.product;
  j["model"] = r.model;
  j["gpuCount"] = r.gpu_count;
  j["bandwidthGBps"] = {{"hbm", Rounded(r.bandwidth.hbm)},
                        {"h2d", Rounded(r.bandwidth.h2d)},
                        {"d2h", Rounded(r.bandwidth.d2h)},
                        {"p2pMin", Rounded(r.bandwidth.p2p_min)},
                        {"allReduceBusBw", Rounded(r.bandwidth.allreduce_busbw)}};
  j["suspectGpus"] = r.suspect_gpus;
  return j;
}

void KeepPatchFields(nlohmann::json& node) {
  KeepOnlyPaths(node, {{"metadata", "name"}, {"metadata", "resourceVersion"}, {"spec", "taints"}});
}

std::optional<nlohmann::json> ComputeNodePatch(const NodeResult& result, const nlohmann::json& current_node,
                                               const RecordSettings& settings, TimePoint checked_at) {
  nlohmann::json patch = nlohmann::json::object();
  if (settings.record) {
    patch["metadata"]["labels"] = {
        {kGpuCheckLabel, std::string(VerdictName(result.verdict))},
        {kGpuCheckTimeLabel, std::to_string(UnixSeconds(checked_at))},
        {kGpuCheckValidUntilLabel, std::to_string(UnixSeconds(checked_at + settings.validity))}};
    patch["metadata"]["annotations"] = {
        {kGpuCheckSummaryAnnotation, NodeCheckSummary(result, settings, checked_at).dump()}};
  }
  if (settings.taint_failed) {
    const nlohmann::json& current = ArrayAt(current_node, {"spec", "taints"});
    if (std::optional<nlohmann::json> taints = NewTaints(result.verdict, current)) {
      // null deletes the field (RFC 7386): how a node with no taints looks.
      patch["spec"]["taints"] = taints->empty() ? nlohmann::json(nullptr) : *taints;
      const std::string rv = StringAt(current_node, {"metadata", "resourceVersion"});
      if (!rv.empty()) patch["metadata"]["resourceVersion"] = rv;
    }
  }
  if (patch.empty()) return std::nullopt;
  return patch;
}

}  // namespace llm
