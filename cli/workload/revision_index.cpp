#include "workload/revision_index.h"

#include <algorithm>

#include <fmt/format.h>

#include "kube/object_fields.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr std::string_view kIndexApiVersion = "kubectl-llm.dev/v1alpha1";
constexpr std::string_view kIndexKind = "RevisionIndex";

/// The digest the index says is at rest: the newest revision's, when it is deployed and applied objects.
std::string DeployedDigest(const std::vector<RevisionAudit>& revisions) {
  if (revisions.empty()) return "";
  const RevisionAudit& newest = revisions.back();
  if (newest.status != RevisionStatus::kDeployed || newest.operation == "delete") return "";
  return newest.digest;
}

/// The JSON Pointer to one annotation (the library escapes the "/" in its name).
std::string AnnotationPointer(std::string_view annotation) {
  return (json::json_pointer("/metadata/annotations") / std::string(annotation)).to_string();
}

json Test(std::string_view annotation, std::string_view value) {
  return {{"op", "test"}, {"path", AnnotationPointer(annotation)}, {"value", value}};
}

json Replace(std::string_view annotation, std::string_view value) {
  return {{"op", "replace"}, {"path", AnnotationPointer(annotation)}, {"value", value}};
}

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
            {"labels", {{kRevisionIndexOfLabel, workload}}},
            {"annotations", {{kDeployedDigestAnnotation, DeployedDigest(revisions)}, {kReapplyLeaseAnnotation, ""}}}}},
          {"data", {{kRevisionIndexKey, GzipJsonData(index)}}}};
}

json ClaimReapplyPatch(std::string_view digest, std::string_view until) {
  return json::array({Test(kDeployedDigestAnnotation, digest), Test(kReapplyLeaseAnnotation, ""),
                      Replace(kReapplyLeaseAnnotation, until)});
}

json ReleaseReapplyPatch(std::string_view until) {
  return json::array({Test(kReapplyLeaseAnnotation, until), Replace(kReapplyLeaseAnnotation, "")});
}

json ReplaceUnlessReappliedPatch(const json& index_secret) {
  const std::string digest = index_secret.at("metadata").at("annotations").at(kDeployedDigestAnnotation);
  return json::array({Test(kReapplyLeaseAnnotation, ""),
                      {{"op", "replace"}, {"path", "/data"}, {"value", index_secret.at("data")}},
                      Replace(kDeployedDigestAnnotation, digest)});
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
