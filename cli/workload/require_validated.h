// `train`/`serve --require-validated[=MAX_AGE]`: keep a workload off GPU nodes
// that have not passed llm-gpu-check, and say before applying how many nodes
// qualify.
//
// The node affinity carries only `kubectl-llm.dev/gpu-check In (pass)`: a
// time bound in the pod template (Gt on the time labels) would change the
// template, and so restart every pod, on each re-apply. Age is enforced by the
// preflight count instead, from the labels validate-nodes --record writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/duration.h"
#include "util/result.h"
#include "util/rfc3339.h"
#include "workload/gpu_check_record.h"

namespace llm {

struct RequireValidated {
  /// A pass older than this does not count; nullopt: only valid-until applies.
  std::optional<Seconds> max_age;
};

/// The flag's value: "" (given without =MAX_AGE) or a duration ("24h", "7d").
Result<RequireValidated> ParseRequireValidated(std::string_view value);

/// {"key": "kubectl-llm.dev/gpu-check", "operator": "In", "values": ["pass"]}
template <class J = nlohmann::json>
J ValidatedNodeRequirement() {
  return J{{"key", kGpuCheckLabel}, {"operator", "In"}, {"values", J::array({"pass"})}};
}

/// Adds the requirement to a pod spec's required node affinity. Terms are
/// ORed, so it goes into every existing term (each must also demand a pass);
/// with no term, one is created. Idempotent. `J`: nlohmann::json, or the
/// renderer's ordered_json.
template <class J>
void AddValidatedNodeAffinity(J& pod_spec) {
  J& terms =
      pod_spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
  if (!terms.is_array() || terms.empty()) terms = J::array({J::object()});
  const J requirement = ValidatedNodeRequirement<J>();
  for (J& term : terms) {
    J& expressions = term["matchExpressions"];
    if (!expressions.is_array()) expressions = J::array();
    bool present = false;
    for (const J& e : expressions) present = present || e == requirement;
    if (!present) expressions.push_back(requirement);
  }
}

enum class NodeValidation {
  kValidated,  ///< pass, within MAX_AGE and before valid-until
  kExpired,    ///< pass, but older than MAX_AGE, past valid-until, or without readable time labels
  kFailed,     ///< fail or error
  kUnchecked,  ///< no verdict label
};

/// One node's recorded verdict at `now`, as --require-validated counts it.
NodeValidation ClassifyNodeValidation(const nlohmann::json& node, TimePoint now, const RequireValidated& rule);

struct ValidatedNodeCount {
  int gpu_nodes = 0;  ///< nodes with allocatable nvidia.com/gpu
  int validated = 0;  ///< pass, within MAX_AGE and before valid-until
  int expired = 0;    ///< pass, but older than MAX_AGE or past valid-until
  int failed = 0;     ///< fail or error
  int unchecked = 0;  ///< no verdict label
};

/// Counts GPU nodes (NodeList or array) by their recorded verdict at `now`.
/// A pass whose time labels are missing or unreadable counts as expired.
ValidatedNodeCount CountValidatedNodes(const nlohmann::json& nodes, TimePoint now, const RequireValidated& rule);

/// `nodes` (NodeList or array) as an array in which a pass that no longer
/// counts (older than MAX_AGE, past valid-until) has lost its verdict label, so
/// a GPU fit over it, honouring the rendered affinity, sees only validated nodes.
nlohmann::json WithoutStaleValidations(const nlohmann::json& nodes, TimePoint now, const RequireValidated& rule);

/// The preflight: Ok when at least `nodes_needed` GPU nodes are validated;
/// otherwise a kInvalidInput error in one sentence, e.g. "--require-validated:
/// 1 of 6 GPU nodes is validated, 3 needed (2 passed more than 1d ago or are
/// past their valid-until time, 1 failed, 2 were never checked); run
/// 'kubectl llm validate-nodes --record'".
Status CheckValidatedNodes(const ValidatedNodeCount& count, int nodes_needed, const RequireValidated& rule);

}  // namespace llm
