#include "tenant/tenant_config.h"

#include <doctest/doctest.h>

namespace llm::tenant {
namespace {

TenantFlags Flags(std::string team = "ml-team", int64_t gpus = 16) {
  TenantFlags f;
  f.team = std::move(team);
  f.gpus = gpus;
  return f;
}

std::string ErrorOf(const TenantFlags& flags) {
  auto config = BuildTenantConfig(flags);
  REQUIRE_FALSE(config.ok());
  return config.error().message();
}

TEST_CASE("a minimal tenant: baseline Pod Security, no borrowing, no priority") {
  auto c = BuildTenantConfig(Flags());
  REQUIRE(c.ok());
  CHECK(c->team == "ml-team");
  CHECK(c->gpus == 16);
  CHECK(c->pod_security == "baseline");
  CHECK(c->borrow_limit == 0);
  CHECK(c->GpuCeiling() == 16);
  CHECK(c->priority == nullptr);
  CHECK(c->monitoring_namespace == "monitoring");
}

TEST_CASE("team names: DNS-1123 labels that are no system namespace") {
  for (const char* bad : {"Team", "team_a", "-a", "a-", "", "kube-system", "kube-anything", "default",
                          "kubectl-llm-system", "kueue-system"}) {
    CAPTURE(bad);
    CHECK(ErrorOf(Flags(bad)).starts_with("TEAM: '"));
  }
  CHECK(ErrorOf(Flags("default")) == "TEAM: 'default' is a system namespace; a tenant needs a namespace of its own");
  CHECK(BuildTenantConfig(Flags("a")).ok());
}

TEST_CASE("bad quantities and counts are refused with the flag's name") {
  TenantFlags f = Flags();
  f.cpu = "lots";
  CHECK(ErrorOf(f).find("--cpu") != std::string::npos);
  f = Flags();
  f.memory = "0";
  CHECK(ErrorOf(f).find("--memory") != std::string::npos);
  f = Flags();
  f.gpus.reset();
  CHECK(ErrorOf(f) == "--gpus is required: the tenant's GPU quota");
  f = Flags();
  f.gpus = -1;
  CHECK(ErrorOf(f).starts_with("--gpus must be"));
  f = Flags();
  f.max_gpus_per_pod = 0;
  CHECK(ErrorOf(f).starts_with("--max-gpus-per-pod must be"));
  f = Flags();
  f.borrow_limit = -2;
  CHECK(ErrorOf(f).starts_with("--borrow-limit must be"));
  f = Flags();
  f.pod_security = "privileged";
  CHECK(ErrorOf(f) == "--pod-security must be 'baseline' or 'restricted', got 'privileged'");
  f = Flags();
  f.priority = "urgent";
  CHECK(ErrorOf(f).starts_with("--priority must be"));
}

TEST_CASE("--gpu-product splits --gpus exactly") {
  TenantFlags f = Flags("t", 16);
  f.gpu_products = {"NVIDIA-H100-80GB-HBM3=8", "NVIDIA-A100-SXM4-80GB=8"};
  auto c = BuildTenantConfig(f);
  REQUIRE(c.ok());
  REQUIRE(c->gpu_products.size() == 2);
  CHECK(c->gpu_products[0] == std::pair<std::string, int64_t>{"NVIDIA-H100-80GB-HBM3", 8});
  f.gpu_products = {"NVIDIA-H100-80GB-HBM3=8"};
  CHECK(ErrorOf(f) == "--gpu-product quotas add up to 8 GPUs, but --gpus is 16: they must be equal");
  f.gpu_products = {"NVIDIA-H100-80GB-HBM3"};
  CHECK(ErrorOf(f).starts_with("--gpu-product: expected PRODUCT=N"));
  f.gpu_products = {"X=8", "X=8"};
  CHECK(ErrorOf(f) == "--gpu-product X is given twice");
  f.gpu_products = {"X=0"};
  CHECK(ErrorOf(f).find("at least 1") != std::string::npos);
}

TEST_CASE("members: users, groups and ServiceAccounts, as RBAC subjects and as the API server sees them") {
  auto user = ParseMember("user:alice@example.com");
  REQUIRE(user.ok());
  CHECK(user->kind == "User");
  CHECK(user->name == "alice@example.com");
  CHECK(MemberIdentity(*user) ==
        std::pair<std::string, std::vector<std::string>>{"alice@example.com", {"system:authenticated"}});
  auto group = ParseMember("group:ml-researchers");
  REQUIRE(group.ok());
  CHECK(MemberIdentity(*group).first.empty());
  CHECK(MemberIdentity(*group).second == std::vector<std::string>{"ml-researchers", "system:authenticated"});
  auto sa = ParseMember("serviceaccount:ci/deployer");
  REQUIRE(sa.ok());
  CHECK(sa->kind == "ServiceAccount");
  CHECK(sa->ns == "ci");
  CHECK(MemberIdentity(*sa).first == "system:serviceaccount:ci:deployer");
  for (const char* bad : {"alice", "robot:x", "user:", "serviceaccount:deployer", "serviceaccount:Bad/x",
                          "serviceaccount:ci/Bad_Name", "user:a\nb"}) {
    CAPTURE(bad);
    auto member = ParseMember(bad);
    REQUIRE_FALSE(member.ok());
    CHECK(member.error().message().starts_with("--member '"));
    CHECK(member.error().kind() == ErrorKind::kUsage);
  }
  TenantFlags f = Flags();
  f.members = {"user:alice", "user:alice"};
  CHECK(ErrorOf(f) == "--member 'user:alice' is given twice");
}

TEST_CASE("--allow-from takes namespace names, not the tenant's own") {
  TenantFlags f = Flags("ml");
  f.allow_from = {"gateway", "gateway", "web"};
  auto c = BuildTenantConfig(f);
  REQUIRE(c.ok());
  CHECK(c->allow_from == std::vector<std::string>{"gateway", "web"});
  f.allow_from = {"ml"};
  CHECK(ErrorOf(f).find("always reach each other") != std::string::npos);
  f.allow_from = {"Not_A_Namespace"};
  CHECK(ErrorOf(f).starts_with("--allow-from: 'Not_A_Namespace' is not a valid namespace name"));
}

TEST_CASE("the ResourceQuota's ceiling holds what the tenant may borrow") {
  TenantFlags f = Flags("t", 8);
  f.borrow_limit = 8;
  auto c = BuildTenantConfig(f);
  REQUIRE(c.ok());
  CHECK(c->GpuCeiling() == 16);
}

}  // namespace
}  // namespace llm::tenant
