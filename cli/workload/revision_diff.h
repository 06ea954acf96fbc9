// `kubectl llm diff NAME --revision A[..B]`: which revisions to compare, and
// the unified diff of two sets of objects matched by identity (group, kind,
// namespace, name), so an object that one side lacks (pruned, or a kind the
// engine change replaced) shows as removed or added, as `diff -u -N` of two
// directories does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

struct RevisionRange {
  int from = 0;
  std::optional<int> to;  ///< nullopt: the live objects
};

/// "3" (revision 3 against the live objects) or "3..5"; errors name --revision
/// and the accepted forms.
Result<RevisionRange> ParseRevisionRange(std::string_view text);

/// The objects of both sides paired by group, kind, namespace and name, in
/// `from`'s order and then the objects only `to` has (null for a missing side).
std::vector<std::pair<nlohmann::json, nlohmann::json>> PairObjectLists(const std::vector<nlohmann::json>& from,
                                                                       const std::vector<nlohmann::json>& to);

/// One DiffObjectAs per pair of PairObjectLists; "" when the sides hold the same objects.
std::string DiffObjectLists(const std::vector<nlohmann::json>& from, const std::vector<nlohmann::json>& to,
                            std::string_view from_dir, std::string_view to_dir, bool show_managed_fields = false);

}  // namespace llm
