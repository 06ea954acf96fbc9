#include "render/render_pipeline.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "render/manifest_check.h"
#include "render/manifest_patch.h"
#include "render/template_renderer.h"
#include "render/values.h"
#include "render/workload.h"
#include "workload/pod_templates.h"
#include "workload/require_validated.h"

namespace llm {
namespace {

Result<Values> GatherValues(const RenderRequest& r, const WorkloadSpec& workload, const ReadFileFn& read_file,
                            std::set<std::string>* used_context_defaults) {
  Values values(workload.values);
  for (const std::string& file : r.value_files) {
    LLM_ASSIGN_OR_RETURN(std::string text, read_file(file));
    LLM_RETURN_IF_ERROR(values.MergeFile(text, file));
  }
  for (const std::string& assignment : r.set_values) LLM_RETURN_IF_ERROR(values.ApplySet(assignment));
  for (const auto& [key, occurrences] : r.flags) {
    const ValueSpec* spec = values.Find(key);
    if (spec == nullptr) return Error(ErrorKind::kInternal, fmt::format("flag for unknown value '{}'", key));
    LLM_RETURN_IF_ERROR(values.ApplyFlag(*spec, occurrences));
  }
  for (const auto& [key, context] : r.context_defaults) {
    const ValueSpec* spec = values.Find(key);
    if (spec == nullptr) continue;  // a workload without this value (gpu-check has no queue)
    LLM_ASSIGN_OR_RETURN(bool used, values.ApplyContextDefault(*spec, context.value, context.origin));
    if (used && used_context_defaults != nullptr) used_context_defaults->insert(key);
  }
  return values;
}

std::string Describe(const Json& m) {
  const std::string kind = m.is_object() ? m.value("kind", "?") : "?";
  const std::string name =
      m.is_object() && m.contains("metadata") && m["metadata"].is_object() ? m["metadata"].value("name", "?") : "?";
  return fmt::format("{} {}", kind, name);
}

}  // namespace

Result<std::string> ReadLocalFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorKind::kUsage, fmt::format("cannot read '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::vector<Json>> RenderManifests(const RenderRequest& r, const TemplateSource& templates,
                                          const ReadFileFn& read_file, std::set<std::string>* used_context_defaults,
                                          std::vector<std::string>* notes) {
  const WorkloadSpec* workload = FindWorkload(r.workload);
  if (workload == nullptr) return Error(ErrorKind::kUsage, fmt::format("unknown workload '{}'", r.workload));
  if (!workload->takes_trailing_command && !r.trailing.empty()) {
    return Error(ErrorKind::kUsage, fmt::format("{} takes no command after '--'", r.workload));
  }
  LLM_ASSIGN_OR_RETURN(Values values, GatherValues(r, *workload, read_file, used_context_defaults));
  std::optional<Backend> backend;
  if (r.backend) {
    LLM_ASSIGN_OR_RETURN(backend, ParseBackend(*r.backend));
  }
  WorkloadRequest request{r.name,     r.namespace_,         values,        r.served, backend,
                          r.trailing, r.pod_monitor_labels, r.start_nodes, r.trial};
  LLM_ASSIGN_OR_RETURN(RenderPlan plan, workload->plan(request));
  if (notes != nullptr) *notes = plan.notes;

  std::vector<Json> manifests;
  for (const std::string& name : plan.templates) {
    LLM_ASSIGN_OR_RETURN(std::string text, RenderTemplate(templates, name, plan.view));
    auto docs = ParseYamlDocuments(text, fmt::format("{} ({})", name, templates.Describe()));
    if (!docs.ok()) return docs.error().WithContext("the rendered template does not parse back");
    for (Json& doc : *docs) {
      LLM_RETURN_IF_ERROR(CheckManifest(doc, fmt::format("{}: {}", name, Describe(doc))));
      manifests.push_back(std::move(doc));
    }
  }
  // Before --patch, so a user's patch has the last word on the pod templates.
  if (r.require_validated_nodes) {
    for (Json& manifest : manifests) {
      ForEachPodTemplate(manifest, [](Json& pod_template, int64_t) { AddValidatedNodeAffinity(pod_template["spec"]); });
    }
  }
  for (const std::string& flag : r.patches) {
    LLM_ASSIGN_OR_RETURN(PatchTarget target, ParsePatchFlag(flag));
    LLM_ASSIGN_OR_RETURN(std::string text, read_file(target.file));
    LLM_RETURN_IF_ERROR(ApplyManifestPatch(manifests, target, text));
  }
  if (!r.patches.empty()) {
    for (const Json& m : manifests) {
      auto checked = CheckManifest(m, Describe(m));
      if (!checked.ok()) return checked.error().WithContext("after --patch");
    }
  }
  return manifests;
}

}  // namespace llm
