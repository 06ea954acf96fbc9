// The least-privilege RBAC of kubectl-llm's users, written down once
// (templates/rbac/): the namespaced Role that serve, train, scale, status,
// logs, diff and delete need, and an optional read-only ClusterRole for the
// GPU capacity checks. `kubectl llm doctor --print-rbac` prints both, `tenant
// create` binds its members to the Role, and the integration test runs the
// whole lifecycle as a user bound to exactly it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "render/template_source.h"
#include "util/result.h"
#include "util/yaml_document.h"

namespace llm {

/// The Role's name wherever the plugin makes it.
inline constexpr std::string_view kPluginRoleName = "kubectl-llm-user";

/// The Role (templates/rbac/kubectl-llm-user.yaml) in `ns`, named `name`.
Result<Json> RenderPluginRole(const TemplateSource& templates, const std::string& name, const std::string& ns);

/// The Role `kPluginRoleName` in `ns` and the ClusterRole, for doctor --print-rbac.
Result<std::vector<Json>> RenderPluginRbac(const TemplateSource& templates, const std::string& ns);

}  // namespace llm
