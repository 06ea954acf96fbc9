// Install order: the kind order Helm installs a release in (helm
// pkg/releaseutil/kind_sorter.go InstallOrder), so namespaces, CRDs, accounts
// and configuration exist before the workloads that use them. kubectl apply
// keeps input order instead; a set of objects with CRDs and their custom
// resources needs this order.
//
// Stages: what must be in place before what. Helm installs a kind's objects
// together; so does this, and further, kinds whose admission looks nothing
// of the others up share a stage: the prerequisites of pods (policies,
// configuration, claims, services) one, the workloads and their scalers the
// next. A kind that other objects' admission or authorization looks up
// (namespaces, quotas and limit ranges, service accounts, storage classes,
// CRDs, RBAC, webhooks) and every custom resource kind is a stage of its own.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm::kube {

/// The rank of a kind; kinds Helm does not know (custom resources) rank after all of them.
int InstallRank(std::string_view kind);
/// Stable sort by InstallRank; unknown kinds are ordered by kind name among
/// themselves, as Helm does; objects of one kind keep their input order.
void SortForInstall(std::vector<nlohmann::json>& objects);
/// Objects sorted by SortForInstall, cut into stages to apply one after
/// another: the objects of a stage may be applied together.
std::vector<std::span<nlohmann::json>> InstallStages(std::vector<nlohmann::json>& sorted);
/// The reverse: workloads first, namespaces last (used when pruning).
void SortForUninstall(std::vector<nlohmann::json>& objects);

}  // namespace llm::kube
