// RestMapper: Kind -> resource and scope, from discovery, never by pluralising
// by hand. A miss refreshes discovery once (the cache may predate a CRD), the
// rule kubectl follows before reporting "no matches for kind".
#pragma once

#include <string>
#include <string_view>

#include "kube/discovery.h"
#include "kube/resource_ref.h"
#include "util/result.h"

namespace llm::kube {

struct GroupKind {
  std::string group;  ///< "" for core
  std::string kind;

  /// "Deployment.apps", or "Secret" for the core group (the ApplySet annotation form).
  std::string ToString() const;
  auto operator<=>(const GroupKind&) const = default;
};

/// Splits "apps/v1" into group and version ("v1" has the core group).
GroupKind GroupKindOf(std::string_view api_version, std::string_view kind);
std::string VersionOf(std::string_view api_version);

struct RestMapping {
  ResourceRef resource;  ///< group, version, resource filled; ns and name left empty
  std::string kind;
  bool namespaced = false;
};

class RestMapper {
 public:
  explicit RestMapper(Discovery& discovery) : discovery_(discovery) {}

  /// The resource serving `kind` in `api_version` ("apps/v1", "v1").
  /// Error kNotFound: `no matches for kind "X" in version "g/v"`.
  Result<RestMapping> Map(std::string_view api_version, std::string_view kind);
  /// The same, at the group's preferred version that serves the kind.
  Result<RestMapping> MapGroupKind(const GroupKind& group_kind);
  /// Whether the server serves this kind in this group at any version (used to
  /// pick backends: LeaderWorkerSet, JobSet, ScaledObject, Kueue).
  Result<bool> HasGroupKind(const GroupKind& group_kind);
  Result<bool> HasGroup(std::string_view group);
  /// Forgets discovery, e.g. after a CRD became Established.
  void Reset() { discovery_.Invalidate(); }

 private:
  template <typename Finder>
  Result<bool> FindWithRefresh(const Finder& find);

  Discovery& discovery_;
};

}  // namespace llm::kube
