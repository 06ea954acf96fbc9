#include "workload/require_validated.h"

#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "output/human_duration.h"
#include "workload/gpu_check_record.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

std::optional<long long> UnixLabel(const std::map<std::string, std::string>& labels, const char* key) {
  const auto it = labels.find(key);
  if (it == labels.end() || it->second.empty() || it->second.size() > 18) return std::nullopt;
  for (char ch : it->second) {
    if (std::isdigit(static_cast<unsigned char>(ch)) == 0) return std::nullopt;
  }
  return std::stoll(it->second);
}

std::string Plural(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

Result<RequireValidated> ParseRequireValidated(std::string_view value) {
  RequireValidated rule;
  if (value.empty()) return rule;
  LLM_ASSIGN_OR_RETURN(Seconds age, ParseDuration(value, "--require-validated"));
  if (age <= Seconds(0)) return Error(ErrorKind::kUsage, "--require-validated: MAX_AGE must be longer than 0s");
  rule.max_age = age;
  return rule;
}

NodeValidation ClassifyNodeValidation(const nlohmann::json& node, TimePoint now, const RequireValidated& rule) {
  const auto labels = LabelsOf(node);
  const auto verdict = labels.find(kGpuCheckLabel);
  if (verdict == labels.end()) return NodeValidation::kUnchecked;
  if (verdict->second != "pass") return NodeValidation::kFailed;
  const long long now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto checked = UnixLabel(labels, kGpuCheckTimeLabel);
  const auto valid_until = UnixLabel(labels, kGpuCheckValidUntilLabel);
  const bool fresh =
      checked && valid_until && now_s < *valid_until && (!rule.max_age || now_s - *checked <= rule.max_age->count());
  return fresh ? NodeValidation::kValidated : NodeValidation::kExpired;
}

ValidatedNodeCount CountValidatedNodes(const nlohmann::json& nodes, TimePoint now, const RequireValidated& rule) {
  ValidatedNodeCount count;
  for (const auto& node : ItemsOf(nodes)) {
    if (AllocatableGpus(node) <= 0) continue;
    ++count.gpu_nodes;
    switch (ClassifyNodeValidation(node, now, rule)) {
      case NodeValidation::kValidated:
        ++count.validated;
        break;
      case NodeValidation::kExpired:
        ++count.expired;
        break;
      case NodeValidation::kFailed:
        ++count.failed;
        break;
      case NodeValidation::kUnchecked:
        ++count.unchecked;
        break;
    }
  }
  return count;
}

nlohmann::json WithoutStaleValidations(const nlohmann::json& nodes, TimePoint now, const RequireValidated& rule) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& node : ItemsOf(nodes)) {
    out.push_back(node);
    if (ClassifyNodeValidation(node, now, rule) == NodeValidation::kExpired) {
      out.back()["metadata"]["labels"].erase(kGpuCheckLabel);
    }
  }
  return out;
}

Status CheckValidatedNodes(const ValidatedNodeCount& count, int nodes_needed, const RequireValidated& rule) {
  if (count.validated >= nodes_needed && count.validated > 0) return Ok();
  std::vector<std::string> why;
  if (count.expired > 0) {
    why.push_back(rule.max_age ? fmt::format("{} more than {} ago or {} past their valid-until time",
                                             count.expired == 1 ? "1 passed" : fmt::format("{} passed", count.expired),
                                             HumanDuration(*rule.max_age), count.expired == 1 ? "is" : "are")
                               : fmt::format("{} past {} valid-until time",
                                             count.expired == 1 ? "1 is" : fmt::format("{} are", count.expired),
                                             count.expired == 1 ? "its" : "their"));
  }
  if (count.failed > 0) why.push_back(fmt::format("{} failed", count.failed));
  if (count.unchecked > 0) {
    why.push_back(
        fmt::format("{} never checked", count.unchecked == 1 ? "1 was" : fmt::format("{} were", count.unchecked)));
  }
  std::string reasons;
  for (std::size_t i = 0; i < why.size(); ++i) reasons += (i == 0 ? "" : ", ") + why[i];
  const std::string head =
      count.gpu_nodes == 0
          ? std::string("--require-validated: the cluster has no GPU nodes (no node has allocatable nvidia.com/gpu)")
          : fmt::format("--require-validated: {} of {} {} validated, {} needed", count.validated,
                        Plural(count.gpu_nodes, "GPU node", "GPU nodes"), count.validated == 1 ? "is" : "are",
                        std::max(nodes_needed, 1));
  return Error(
      ErrorKind::kInvalidInput,
      reasons.empty() ? head : fmt::format("{} ({}); run 'kubectl llm validate-nodes --record'", head, reasons));
}

}  // namespace llm
