#include "render/plugin_rbac.h"

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/manifest_check.h"
#include "render/template_renderer.h"

namespace llm {

Result<std::vector<Json>> RenderPluginRbac(const TemplateSource& templates, const std::string& ns) {
  if (ns.empty()) return Error(ErrorKind::kInternal, "the RBAC needs a namespace");
  LLM_RETURN_IF_ERROR(CheckNamespaceFlag(ns));
  ViewData view;
  view.set("namespace", ns);
  std::vector<Json> manifests;
  for (const char* name : {"rbac/role.yaml", "rbac/cluster-role.yaml"}) {
    LLM_ASSIGN_OR_RETURN(std::string text, RenderTemplate(templates, name, view));
    LLM_ASSIGN_OR_RETURN(std::vector<Json> docs, ParseYamlDocuments(text, name));
    for (Json& doc : docs) {
      LLM_RETURN_IF_ERROR(CheckManifest(doc, name));
      manifests.push_back(std::move(doc));
    }
  }
  return manifests;
}

}  // namespace llm
