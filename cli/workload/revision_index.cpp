#include "workload/revision_index.h"

#include <algorithm>

#include <fmt/format.h>

#include "kube/object_fields.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr std::string_view kIndexApiVersion = "kubectl-llm.dev/v1alpha1";
constexpr std::string_view kIndexKind = "RevisionIndex";

}  // namespace

std::string RevisionIndexSecretName(std::string_view workload) { return fmt::format("kubectl-llm.{}.index", workload); }

json RevisionIndexSecret(std::string_view workload, std::string_view ns, std::vector<RevisionAudit> revisions) {
  std::sort(revisions.begin(), revisions.end(),
            [](const RevisionAudit& a, const RevisionAudit& b) { return a.number < b.number; });
  json entries = json::array();
  for (const RevisionAudit& revision : revisions) {
    json metadata = RevisionMetadata(revision);
    // The name read back is the Secret's own (an older record may differ from today's naming).
    if (!revision.secret_name.empty()) metadata["name"] = revision.secret_name;
    entries.push_back(std::move(metadata));
  }
  const json index = {
      {"apiVersion", kIndexApiVersion}, {"kind", kIndexKind}, {"workload", workload}, {"revisions", entries}};
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", kRevisionIndexSecretType},
          {"metadata",
           {{"name", RevisionIndexSecretName(workload)},
            {"namespace", ns},
            {"labels", {{kRevisionIndexOfLabel, workload}}}}},
          {"data", {{kRevisionIndexKey, GzipJsonData(index)}}}};
}

Result<std::vector<json>> RevisionIndexEntries(const json& index_secret) {
  const std::string name = NameOf(index_secret);
  LLM_ASSIGN_OR_RETURN(const json index, ReadGzipJsonData(index_secret, kRevisionIndexKey));
  if (!index.is_object() || index.value("kind", "") != kIndexKind || !index.contains("revisions") ||
      !index["revisions"].is_array()) {
    return Error(
        ErrorKind::kInvalidInput,
        fmt::format("Secret {}: data.{} holds no RevisionIndex with a revisions list", name, kRevisionIndexKey));
  }
  std::vector<json> entries;
  for (const json& metadata : index["revisions"]) {
    if (!metadata.is_object()) {
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("Secret {}: data.{}: each revision must be an object", name, kRevisionIndexKey));
    }
    entries.push_back({{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", metadata}});
  }
  return entries;
}

}  // namespace llm
