// How `diff` shows its object pairs, as kubectl diff's DiffProgram does: the
// built-in unified diff (what `diff -u -N` prints), or, with
// KUBECTL_EXTERNAL_DIFF set, that program run on two directories holding one
// YAML file per object (named <group.>version.Kind.namespace.name), e.g.
// `KUBECTL_EXTERNAL_DIFF="meld"` or `"colordiff -N -u"`. Its exit status keeps
// kubectl's convention: 0 no differences, 1 differences, above 1 an error.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/process_runner.h"
#include "util/environment.h"
#include "util/result.h"

namespace llm {

/// KUBECTL_EXTERNAL_DIFF as kubectl reads it: split on spaces, the first word
/// the program, each further word kept only when it is letters, digits, '-'
/// and '=' (kubectl drops the rest). nullopt when unset or empty.
std::optional<kube::ProcessSpec> ExternalDiffProgram(const std::optional<std::string>& value);

/// Shows the diff of each (from, to) pair (null for an absent side), the
/// sides labelled `from_dir` and `to_dir` ("LIVE", "MERGED", "REVISION-3"),
/// on `out`. True when they differ.
Result<bool> ShowObjectDiffs(const std::vector<std::pair<nlohmann::json, nlohmann::json>>& pairs,
                             std::string_view from_dir, std::string_view to_dir, bool show_managed_fields,
                             std::ostream& out, const Getenv& getenv = ProcessGetenv(),
                             kube::ProcessRunner* runner = nullptr);

}  // namespace llm
