#include "tenant/tenant_verify.h"

#include <algorithm>

#include "kube/well_known_names.h"

namespace llm::tenant {

nlohmann::json ProbePod(const std::string& ns, const std::string& name, const std::vector<int64_t>& gpus_per_container,
                        bool privileged) {
  nlohmann::json containers = nlohmann::json::array();
  for (size_t i = 0; i < gpus_per_container.size(); ++i) {
    nlohmann::json resources = {{"cpu", "10m"}, {"memory", "16Mi"}};
    if (gpus_per_container[i] > 0) resources[std::string(kGpuResource)] = std::to_string(gpus_per_container[i]);
    nlohmann::json security = {{"allowPrivilegeEscalation", false}, {"capabilities", {{"drop", {"ALL"}}}}};
    if (privileged) security = {{"privileged", true}};
    containers.push_back({{"name", "probe-" + std::to_string(i)},
                          {"image", "registry.k8s.io/pause:3.10"},
                          {"resources", {{"requests", resources}, {"limits", resources}}},
                          {"securityContext", security}});
  }
  nlohmann::json pod_security = {
      {"runAsNonRoot", true}, {"runAsUser", 65534}, {"seccompProfile", {{"type", "RuntimeDefault"}}}};
  if (privileged) pod_security = nlohmann::json::object();
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"labels",
             {{std::string(kManagedByLabel), std::string(kManagedByValue)},
              {std::string(kComponentLabel), "tenant-verify"}}}}},
          {"spec",
           {{"restartPolicy", "Never"},
            {"tolerations", {{{"operator", "Exists"}}}},
            {"securityContext", pod_security},
            {"containers", containers}}}};
}

std::vector<int64_t> SplitGpus(int64_t total, std::optional<int64_t> max_per_container) {
  std::vector<int64_t> out;
  if (!max_per_container || *max_per_container <= 0) return {total};
  while (total > 0) {
    const int64_t take = std::min(total, *max_per_container);
    out.push_back(take);
    total -= take;
  }
  if (out.empty()) out.push_back(0);
  return out;
}

bool RefusedByQuota(const std::string& message) { return message.find("exceeded quota") != std::string::npos; }

bool RefusedByLimitRange(const std::string& message) {
  return message.find("maximum " + std::string(kGpuResource) + " usage per Container") != std::string::npos;
}

bool RefusedByPodSecurity(const std::string& message) {
  return message.find("violates PodSecurity") != std::string::npos;
}

Table VerifyTable(const std::vector<VerifyRow>& rows) {
  Table table({{"SUBJECT"}, {"CHECK"}, {"RESULT"}, {"DETAIL"}});
  for (const VerifyRow& row : rows) table.AddRow({row.subject, row.check, row.ok ? "ok" : "HOLE", row.detail});
  return table;
}

}  // namespace llm::tenant
