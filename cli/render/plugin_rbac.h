// The least-privilege RBAC of kubectl-llm's users, written down once
// (templates/rbac/): the namespaced Role that serve, train, scale, status,
// logs, diff and delete need, and an optional read-only ClusterRole for the
// GPU capacity checks. `kubectl llm doctor --print-rbac` prints it; the
// integration test runs the whole lifecycle as a user bound to exactly it.
#pragma once

#include <string>
#include <vector>

#include "render/template_source.h"
#include "util/result.h"
#include "util/yaml_document.h"

namespace llm {

/// The Role (in `ns`) and the ClusterRole, rendered and checked like any manifest.
Result<std::vector<Json>> RenderPluginRbac(const TemplateSource& templates, const std::string& ns);

}  // namespace llm
