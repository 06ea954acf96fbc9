// tenant verify: the tenant's isolation proven by the cluster's own answers
// (SubjectAccessReviews for each member, server dry runs for the namespace).
#include <algorithm>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/tenant_cluster.h"
#include "commands/tenant_command.h"
#include "kube/access_review.h"
#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "kube/well_known_names.h"
#include "tenant/tenant_names.h"
#include "tenant/tenant_verify.h"
#include "util/strings.h"

namespace llm {

using nlohmann::json;
using namespace tenant;  // NOLINT: this file is a tenant verb

Status RunTenantVerify(const std::string& team, ClusterSession& session, IoStreams streams) {
  LLM_RETURN_IF_ERROR(CheckTeamName(team));
  kube::RestClient& client = session.client();
  LLM_ASSIGN_OR_RETURN(json ns, TenantNamespace(client, team));
  const std::string object_name(kTenantObjectName);
  std::vector<VerifyRow> rows;

  // Members, from the tenant's RoleBinding.
  std::vector<Member> members;
  if (auto binding = GetIfPresent(client, {"rbac.authorization.k8s.io", "v1", "rolebindings", team, object_name, ""})) {
    for (const json& subject : ArrayAt(*binding, {"subjects"})) {
      Member member{StringAt(subject, {"kind"}), StringAt(subject, {"name"}), StringAt(subject, {"namespace"}), ""};
      member.text = member.kind == "ServiceAccount" ? fmt::format("serviceaccount:{}/{}", member.ns, member.name)
                                                    : fmt::format("{}:{}", Lower(member.kind), member.name);
      members.push_back(member);
    }
  }
  kube::ListOptions tenants;
  tenants.label_selector = std::string(kTenantLabel);
  LLM_ASSIGN_OR_RETURN(json namespaces, client.List(kube::core::Namespaces(), tenants));
  std::vector<std::string> others;
  for (const json& other : ItemsOf(namespaces)) {
    if (NameOf(other) != team) others.push_back(NameOf(other));
  }
  if (others.empty()) others.push_back("default");  // no other tenant: any namespace outside
  if (members.empty()) rows.push_back({"(members)", "someone may use the tenant", true, "no --member was given"});
  for (const Member& member : members) {
    auto [user, groups] = MemberIdentity(member);
    const kube::AccessSubject subject{user, groups};
    auto ask = [&](const kube::AccessQuestion& question, bool want_allowed, const std::string& check) -> Status {
      LLM_ASSIGN_OR_RETURN(kube::AccessAnswer answer, kube::AskAccessFor(client, question, subject));
      std::string detail = answer.allowed ? "allowed" : "denied";
      if (!answer.reason.empty()) detail += ": " + answer.reason;
      rows.push_back({member.text, check, answer.allowed == want_allowed, detail});
      return Ok();
    };
    // What serve and train create; pods are made by the controllers, so the
    // plugin's Role (render/plugin_rbac.h) does not let members create them.
    LLM_RETURN_IF_ERROR(
        ask({"create", "apps", "deployments", "", team}, true, "may create deployments.apps in " + team));
    LLM_RETURN_IF_ERROR(ask({"create", "batch", "jobs", "", team}, true, "may create jobs in " + team));
    for (const std::string& other : others) {
      LLM_RETURN_IF_ERROR(ask({"create", "", "pods", "", other}, false, "may not create pods in " + other));
    }
    LLM_RETURN_IF_ERROR(ask({"get", "", "secrets", "", ""}, false, "may not read Secrets in every namespace"));
    LLM_RETURN_IF_ERROR(ask({"list", "", "secrets", "", "kube-system"}, false, "may not read Secrets in kube-system"));
    if (others.front() != "default") {
      LLM_RETURN_IF_ERROR(
          ask({"get", "", "secrets", "", others.front()}, false, "may not read Secrets in " + others.front()));
    }
  }

  // The namespace's own guards, by server dry runs the cluster answers.
  const std::string where = "namespace " + team;
  auto dry_run = [&](const json& pod) -> std::optional<std::string> {
    auto created = client.Create(kube::core::Pods(team), pod, /*dry_run=*/true);
    if (created.ok()) return std::nullopt;
    return created.error().message();
  };
  std::optional<int64_t> max_per_container;
  if (auto limits = GetIfPresent(client, kube::core::LimitRanges(team, object_name))) {
    for (const json& item : ArrayAt(*limits, {"spec", "limits"})) {
      if (const json* max = FindPath(item, {"max", kGpuResource})) max_per_container = ParseCountQuantity(*max);
    }
  }
  std::optional<json> quota = GetIfPresent(client, kube::core::ResourceQuotas(team, object_name));
  const std::string gpu_key = "requests." + std::string(kGpuResource);
  const json* hard = quota ? FindPath(*quota, {"status", "hard", gpu_key}) : nullptr;
  if (hard == nullptr) {
    rows.push_back({where, "a pod over the GPU quota is refused", false,
                    "no ResourceQuota " + object_name + " with " + gpu_key + " (or its status is not written yet)"});
  } else {
    const int64_t limit = ParseCountQuantity(*hard).value_or(0);
    const json* used_value = FindPath(*quota, {"status", "used", gpu_key});
    const int64_t used = used_value == nullptr ? 0 : ParseCountQuantity(*used_value).value_or(0);
    const int64_t ask = std::max<int64_t>(limit - used, 0) + 1;
    auto refused = dry_run(ProbePod(team, "kubectl-llm-verify-quota", SplitGpus(ask, max_per_container)));
    const std::string check = fmt::format("a pod of {} GPUs ({} of {} used) is refused by the quota", ask, used, limit);
    if (!refused)
      rows.push_back({where, check, false, "admitted (server dry run)"});
    else
      rows.push_back({where, check, RefusedByQuota(*refused), *refused});
  }
  if (max_per_container) {
    const std::string check =
        fmt::format("a container of {} GPUs is refused by the LimitRange", *max_per_container + 1);
    auto refused = dry_run(ProbePod(team, "kubectl-llm-verify-limit", {*max_per_container + 1}));
    if (!refused)
      rows.push_back({where, check, false, "admitted (server dry run)"});
    else
      rows.push_back({where, check, RefusedByLimitRange(*refused), *refused});
  }
  {
    const std::string check =
        "a privileged pod is refused by Pod Security (" + LabelOf(ns, "pod-security.kubernetes.io/enforce") + ")";
    auto refused = dry_run(ProbePod(team, "kubectl-llm-verify-privileged", {0}, /*privileged=*/true));
    if (!refused)
      rows.push_back({where, check, false, "admitted (server dry run)"});
    else
      rows.push_back({where, check, RefusedByPodSecurity(*refused), *refused});
  }
  {
    auto policy = GetIfPresent(client, {"networking.k8s.io", "v1", "networkpolicies", team, "default-deny", ""});
    rows.push_back({where, "NetworkPolicy default-deny is present", policy.has_value(),
                    policy ? "enforced only where the cluster's network plugin enforces NetworkPolicy" : "missing"});
  }
  streams.out << VerifyTable(rows).Render(false);
  const auto holes = std::count_if(rows.begin(), rows.end(), [](const VerifyRow& row) { return !row.ok; });
  if (holes > 0) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("tenant \"{}\": {} hole{} found (see HOLE above)", team, holes, holes == 1 ? "" : "s"));
  }
  streams.out << fmt::format("tenant \"{}\": no hole found\n", team);
  return Ok();
}

}  // namespace llm
