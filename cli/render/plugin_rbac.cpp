#include "render/plugin_rbac.h"

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/manifest_check.h"
#include "render/template_renderer.h"

namespace llm {
namespace {

constexpr const char* kRoleTemplate = "rbac/kubectl-llm-user.yaml";
constexpr const char* kClusterRoleTemplate = "rbac/kubectl-llm-node-reader.yaml";

/// The template's one document, parsed back and checked like any manifest.
Result<Json> RenderOne(const TemplateSource& templates, const char* name, const ViewData& view) {
  LLM_ASSIGN_OR_RETURN(std::string text, RenderTemplate(templates, name, view));
  LLM_ASSIGN_OR_RETURN(std::vector<Json> docs, ParseYamlDocuments(text, name));
  if (docs.size() != 1) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} ({}) must hold one object, found {}", name, templates.Describe(), docs.size()));
  }
  LLM_RETURN_IF_ERROR(CheckManifest(docs.front(), name));
  return std::move(docs.front());
}

}  // namespace

Result<Json> RenderPluginRole(const TemplateSource& templates, const std::string& name, const std::string& ns) {
  if (ns.empty()) return Error(ErrorKind::kInternal, "the RBAC needs a namespace");
  LLM_RETURN_IF_ERROR(CheckNamespaceFlag(ns));
  ViewData view;
  view.set("name", name);
  view.set("namespace", ns);
  return RenderOne(templates, kRoleTemplate, view);
}

Result<std::vector<Json>> RenderPluginRbac(const TemplateSource& templates, const std::string& ns) {
  std::vector<Json> manifests;
  LLM_ASSIGN_OR_RETURN(Json role, RenderPluginRole(templates, std::string(kPluginRoleName), ns));
  manifests.push_back(std::move(role));
  LLM_ASSIGN_OR_RETURN(Json cluster_role, RenderOne(templates, kClusterRoleTemplate, ViewData()));
  manifests.push_back(std::move(cluster_role));
  return manifests;
}

}  // namespace llm
