// Install order: the kind order Helm installs a release in (helm
// pkg/releaseutil/kind_sorter.go InstallOrder), so namespaces, CRDs, accounts
// and configuration exist before the workloads that use them. kubectl apply
// keeps input order instead; a set of objects with CRDs and their custom
// resources needs this order.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm::kube {

/// The rank of a kind; kinds Helm does not know (custom resources) rank after all of them.
int InstallRank(std::string_view kind);
/// Stable sort by InstallRank; unknown kinds are ordered by kind name among
/// themselves, as Helm does; objects of one kind keep their input order.
void SortForInstall(std::vector<nlohmann::json>& objects);
/// The reverse: workloads first, namespaces last (used when pruning).
void SortForUninstall(std::vector<nlohmann::json>& objects);

}  // namespace llm::kube
