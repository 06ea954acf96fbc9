// tenant delete: exactly what tenant create made, refused while the tenant
// runs pods or holds claims unless --force.
#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/delete_command.h"
#include "commands/managed_workloads.h"
#include "commands/tenant_command.h"
#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "tenant/tenant_names.h"
#include "util/duration.h"

namespace llm {
namespace {

using nlohmann::json;
using namespace tenant;  // NOLINT: this file is a tenant verb

std::vector<std::string> PodNames(const json& pods, bool running_only) {
  std::vector<std::string> names;
  for (const json& pod : ItemsOf(pods)) {
    const std::string phase = StringAt(pod, {"status", "phase"});
    if (running_only && (phase == "Succeeded" || phase == "Failed")) continue;
    names.push_back(NameOf(pod));
  }
  return names;
}

std::string Few(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 3; ++i) {
    if (i > 0) out += ", ";  // two appends: `sep + text` trips GCC 12's false -Wrestrict at -O3
    out += names[i];
  }
  if (names.size() > 3) out += fmt::format(" and {} more", names.size() - 3);
  return out;
}

}  // namespace

Status RunTenantDelete(const TenantDeleteOptions& options, ClusterSession& session, IoStreams streams,
                       std::optional<int>& error_exit_code) {
  LLM_RETURN_IF_ERROR(CheckTeamName(options.team));
  LLM_ASSIGN_OR_RETURN(Seconds timeout, ParseDuration(options.timeout, "--timeout"));
  kube::RestClient& client = session.client();
  const kube::ResourceRef parent = kube::core::Secrets(std::string(kSystemNamespace), TenantSetName(options.team));
  if (auto got = client.Get(parent); !got.ok()) {
    if (got.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, fmt::format("no tenant \"{}\" (no ApplySet \"{}\" in namespace {})",
                                                     options.team, parent.name, kSystemNamespace));
    }
    return got.error();
  }
  if (!options.force) {
    LLM_ASSIGN_OR_RETURN(json pods, client.List(kube::core::Pods(options.team), {}));
    std::vector<std::string> running = PodNames(pods, /*running_only=*/true);
    if (!running.empty()) {
      return Error(
          ErrorKind::kInvalidInput,
          fmt::format("tenant \"{}\" still runs {} pod{} ({}): delete its workloads first (kubectl llm delete "
                      "NAME -n {}), or pass --force, which deletes them with the namespace",
                      options.team, running.size(), running.size() == 1 ? "" : "s", Few(running), options.team));
    }
    LLM_ASSIGN_OR_RETURN(json claims, client.List(kube::core::PersistentVolumeClaims(options.team), {}));
    std::vector<std::string> held = PodNames(claims, /*running_only=*/false);
    if (!held.empty()) {
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("tenant \"{}\" holds {} PersistentVolumeClaim{} ({}), whose data deleting the namespace "
                               "would destroy: delete them first, or pass --force",
                               options.team, held.size(), held.size() == 1 ? "" : "s", Few(held)));
    }
  }
  kube::ApplierOptions applier = WorkloadApplierOptions(std::string(kSystemNamespace), false);
  auto outcome = session.applier().Delete({TenantSetName(options.team), std::string(kSystemNamespace)}, applier);
  if (!outcome.ok()) return outcome.error();
  return FinishDelete(*outcome, fmt::format("tenant \"{}\"", options.team), options.wait, timeout, session, streams,
                      error_exit_code);
}

}  // namespace llm
