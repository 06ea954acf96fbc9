#include "tenant/tenant_config.h"

#include <set>

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/quantity.h"

namespace llm::tenant {
namespace {

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

bool IsSystemNamespace(std::string_view name) {
  return name == "default" || name.starts_with("kube-") || name == kSystemNamespace || name == "kueue-system";
}

Status CheckNamespaceName(std::string_view name, std::string_view what) {
  if (!IsDns1123Label(name)) {
    return Usage(
        fmt::format("{}: '{}' is not a valid namespace name (a DNS-1123 label: lower case letters, "
                    "digits and '-', at most 63)",
                    what, name));
  }
  return Ok();
}

/// Parses one "PRODUCT=N".
Result<std::pair<std::string, int64_t>> ParseGpuProduct(std::string_view text) {
  const size_t eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return Usage(fmt::format("--gpu-product: expected PRODUCT=N (e.g. NVIDIA-H100-80GB-HBM3=8), got '{}'", text));
  }
  std::string product(text.substr(0, eq));
  LLM_RETURN_IF_ERROR(CheckLabelValue(product, "--gpu-product"));
  const std::string count(text.substr(eq + 1));
  int64_t n = 0;
  for (char c : count) {
    if (c < '0' || c > '9' || n > 1000000) {
      return Usage(fmt::format("--gpu-product {}: '{}' is not a whole number of GPUs", product, count));
    }
    n = n * 10 + (c - '0');
  }
  if (n <= 0) return Usage(fmt::format("--gpu-product {}: the number of GPUs must be at least 1", product));
  return std::pair<std::string, int64_t>{std::move(product), n};
}

}  // namespace

Status CheckTeamName(std::string_view team) {
  if (!IsDns1123Label(team)) {
    return Usage(
        fmt::format("TEAM: '{}' must be a DNS-1123 label (lower case letters, digits and '-', starting and "
                    "ending with a letter or digit, at most 63): it names the tenant's namespace",
                    team));
  }
  if (IsSystemNamespace(team)) {
    return Usage(fmt::format("TEAM: '{}' is a system namespace; a tenant needs a namespace of its own", team));
  }
  return Ok();
}

Result<Member> ParseMember(std::string_view text) {
  const std::string shown(text);
  const size_t colon = text.find(':');
  auto invalid = [&](std::string_view why) {
    return Usage(
        fmt::format("--member '{}': {} (expected user:NAME, group:NAME or serviceaccount:NAMESPACE/NAME)", shown, why));
  };
  if (colon == std::string_view::npos) return invalid("no kind");
  const std::string_view kind = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  if (kind == "user" || kind == "group") {
    if (rest.empty()) return invalid("the name is empty");
    for (char c : rest) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return invalid("the name holds a control character");
    }
    return Member{kind == "user" ? "User" : "Group", std::string(rest), "", shown};
  }
  if (kind == "serviceaccount" || kind == "sa") {
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return invalid("a ServiceAccount needs its namespace");
    const std::string ns(rest.substr(0, slash));
    const std::string name(rest.substr(slash + 1));
    if (!IsDns1123Label(ns)) return invalid(fmt::format("'{}' is not a namespace name", ns));
    if (!IsDns1123Subdomain(name)) return invalid(fmt::format("'{}' is not a ServiceAccount name", name));
    return Member{"ServiceAccount", name, ns, shown};
  }
  return invalid(fmt::format("unknown kind '{}'", kind));
}

std::pair<std::string, std::vector<std::string>> MemberIdentity(const Member& member) {
  if (member.kind == "ServiceAccount") {
    return {fmt::format("system:serviceaccount:{}:{}", member.ns, member.name),
            {"system:serviceaccounts", "system:serviceaccounts:" + member.ns, "system:authenticated"}};
  }
  if (member.kind == "Group") return {"", {member.name, "system:authenticated"}};
  return {member.name, {"system:authenticated"}};
}

Result<TenantConfig> BuildTenantConfig(const TenantFlags& f) {
  TenantConfig c;
  LLM_RETURN_IF_ERROR(CheckTeamName(f.team));
  c.team = f.team;
  if (!f.gpus) return Usage("--gpus is required: the tenant's GPU quota");
  if (*f.gpus < 0 || *f.gpus > 1000000) return Usage(fmt::format("--gpus must be 0 to 1000000, got {}", *f.gpus));
  c.gpus = *f.gpus;
  std::set<std::string> products;
  int64_t sum = 0;
  for (const std::string& text : f.gpu_products) {
    LLM_ASSIGN_OR_RETURN(auto product, ParseGpuProduct(text));
    if (!products.insert(product.first).second) {
      return Usage(fmt::format("--gpu-product {} is given twice", product.first));
    }
    sum += product.second;
    c.gpu_products.push_back(std::move(product));
  }
  if (!c.gpu_products.empty() && sum != c.gpus) {
    return Usage(
        fmt::format("--gpu-product quotas add up to {} GPUs, but --gpus is {}: they must be equal", sum, c.gpus));
  }
  if (f.max_gpus_per_pod) {
    if (*f.max_gpus_per_pod < 1 || *f.max_gpus_per_pod > 1024) {
      return Usage(fmt::format("--max-gpus-per-pod must be 1 to 1024, got {}", *f.max_gpus_per_pod));
    }
    c.max_gpus_per_pod = f.max_gpus_per_pod;
  }
  auto quantity = [](const std::string& value, std::string_view flag) -> Result<std::optional<std::string>> {
    if (value.empty()) return std::optional<std::string>();
    LLM_RETURN_IF_ERROR(CheckPositiveQuantity(value, flag));
    return std::optional<std::string>(value);
  };
  LLM_ASSIGN_OR_RETURN(c.cpu, quantity(f.cpu, "--cpu"));
  LLM_ASSIGN_OR_RETURN(c.memory, quantity(f.memory, "--memory"));
  LLM_ASSIGN_OR_RETURN(c.storage, quantity(f.storage, "--storage"));
  if (f.pods) {
    if (*f.pods < 1 || *f.pods > 1000000) return Usage(fmt::format("--pods must be 1 to 1000000, got {}", *f.pods));
    c.pods = f.pods;
  }
  std::set<std::string> seen;
  for (const std::string& text : f.members) {
    LLM_ASSIGN_OR_RETURN(Member member, ParseMember(text));
    if (!seen.insert(member.kind + "/" + member.ns + "/" + member.name).second) {
      return Usage(fmt::format("--member '{}' is given twice", text));
    }
    c.members.push_back(std::move(member));
  }
  std::set<std::string> from;
  for (const std::string& ns : f.allow_from) {
    LLM_RETURN_IF_ERROR(CheckNamespaceName(ns, "--allow-from"));
    if (ns == c.team) return Usage(fmt::format("--allow-from {}: the tenant's own pods always reach each other", ns));
    if (from.insert(ns).second) c.allow_from.push_back(ns);
  }
  if (f.pod_security != "baseline" && f.pod_security != "restricted") {
    return Usage(fmt::format("--pod-security must be 'baseline' or 'restricted', got '{}'", f.pod_security));
  }
  c.pod_security = f.pod_security;
  if (f.borrow_limit) {
    if (*f.borrow_limit < 0 || *f.borrow_limit > 1000000) {
      return Usage(fmt::format("--borrow-limit must be 0 to 1000000, got {}", *f.borrow_limit));
    }
    c.borrow_limit = *f.borrow_limit;
  }
  if (!f.priority.empty()) {
    c.priority = FindPriorityLevel(f.priority);
    if (c.priority == nullptr) {
      return Usage(fmt::format("--priority must be 'serving', 'training' or 'experiment', got '{}'", f.priority));
    }
  }
  LLM_RETURN_IF_ERROR(CheckNamespaceName(f.monitoring_namespace, "--monitoring-namespace"));
  c.monitoring_namespace = f.monitoring_namespace;
  return c;
}

}  // namespace llm::tenant
