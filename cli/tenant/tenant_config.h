// `tenant create`'s flags, checked into a plain config where every decision
// about the tenant is made (tenant_objects.h lays it out as objects). Nothing
// here talks to a cluster: bad input is refused before anything is read or
// written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tenant/tenant_names.h"
#include "util/result.h"

namespace llm::tenant {

/// As given on the command line.
struct TenantFlags {
  std::string team;
  std::optional<int64_t> gpus;
  std::vector<std::string> gpu_products;  ///< PRODUCT=N
  std::optional<int64_t> max_gpus_per_pod;
  std::string cpu, memory, storage;  ///< "" when not given
  std::optional<int64_t> pods;
  std::vector<std::string> members;     ///< user:NAME, group:NAME, serviceaccount:NS/NAME
  std::vector<std::string> allow_from;  ///< namespaces
  std::string pod_security = "baseline";
  std::optional<int64_t> borrow_limit;
  std::string priority;  ///< "" or a PriorityLevel name
  std::string monitoring_namespace = "monitoring";
};

/// An RBAC subject.
struct Member {
  std::string kind;  ///< User, Group, ServiceAccount
  std::string name;
  std::string ns;    ///< ServiceAccount only
  std::string text;  ///< as given, "user:alice"
};

struct TenantConfig {
  std::string team;
  int64_t gpus = 0;
  /// --gpu-product, in the order given; empty: all GPUs of the one product.
  std::vector<std::pair<std::string, int64_t>> gpu_products;
  std::optional<int64_t> max_gpus_per_pod;
  std::optional<std::string> cpu, memory, storage;
  std::optional<int64_t> pods;
  std::vector<Member> members;
  std::vector<std::string> allow_from;
  std::string pod_security;  ///< baseline or restricted
  int64_t borrow_limit = 0;  ///< GPUs it may borrow from the cohort beyond `gpus`
  const PriorityLevel* priority = nullptr;
  std::string monitoring_namespace;

  /// The ResourceQuota's GPU ceiling: its own GPUs plus what it may borrow.
  int64_t GpuCeiling() const { return gpus + borrow_limit; }
};

/// A DNS-1123 label that does not name a system namespace (kube-*, default,
/// kubectl-llm-system, kueue-system).
Status CheckTeamName(std::string_view team);
/// user:NAME, group:NAME or serviceaccount:NS/NAME.
Result<Member> ParseMember(std::string_view text);
/// The user name and groups the API server gives a member, for SubjectAccessReviews.
std::pair<std::string, std::vector<std::string>> MemberIdentity(const Member& member);

Result<TenantConfig> BuildTenantConfig(const TenantFlags& flags);

}  // namespace llm::tenant
