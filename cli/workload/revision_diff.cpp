#include "workload/revision_diff.h"

#include <charconv>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "workload/object_diff.h"

namespace llm {
namespace {

std::optional<int> PositiveNumber(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

/// What makes two sides one object: the group, not the version (a revision
/// written before an API version moved is still the same object).
std::string Identity(const nlohmann::json& object) {
  const std::string api_version = StringAt(object, {"apiVersion"});
  const size_t slash = api_version.find('/');
  return fmt::format("{}/{}/{}/{}", slash == std::string::npos ? "" : api_version.substr(0, slash),
                     StringAt(object, {"kind"}), StringAt(object, {"metadata", "namespace"}),
                     StringAt(object, {"metadata", "name"}));
}

}  // namespace

Result<RevisionRange> ParseRevisionRange(std::string_view text) {
  const auto invalid = [&] {
    return Error(ErrorKind::kUsage,
                 fmt::format("--revision must be A (revision A against the live objects) or A..B (two revisions), "
                             "revisions 1 or more, got \"{}\"",
                             text));
  };
  const size_t dots = text.find("..");
  RevisionRange range;
  std::optional<int> from = PositiveNumber(text.substr(0, dots));
  if (!from) return invalid();
  range.from = *from;
  if (dots != std::string_view::npos) {
    range.to = PositiveNumber(text.substr(dots + 2));
    if (!range.to) return invalid();
  }
  return range;
}

std::vector<std::pair<nlohmann::json, nlohmann::json>> PairObjectLists(const std::vector<nlohmann::json>& from,
                                                                       const std::vector<nlohmann::json>& to) {
  std::vector<std::pair<nlohmann::json, nlohmann::json>> pairs;
  std::vector<bool> matched(to.size(), false);
  for (const nlohmann::json& object : from) {
    const nlohmann::json* other = nullptr;
    for (size_t i = 0; i < to.size() && other == nullptr; ++i) {
      if (!matched[i] && Identity(to[i]) == Identity(object)) {
        matched[i] = true;
        other = &to[i];
      }
    }
    pairs.emplace_back(object, other ? *other : nlohmann::json());
  }
  for (size_t i = 0; i < to.size(); ++i) {
    if (!matched[i]) pairs.emplace_back(nlohmann::json(), to[i]);
  }
  return pairs;
}

std::string DiffObjectLists(const std::vector<nlohmann::json>& from, const std::vector<nlohmann::json>& to,
                            std::string_view from_dir, std::string_view to_dir, bool show_managed_fields) {
  std::string text;
  for (const auto& [a, b] : PairObjectLists(from, to))
    text += DiffObjectAs(a, b, from_dir, to_dir, show_managed_fields);
  return text;
}

}  // namespace llm
