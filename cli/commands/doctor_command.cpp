#include "commands/doctor_command.h"

#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/controller_liveness.h"
#include "kube/client_config.h"
#include "render/manifest_printer.h"
#include "render/plugin_rbac.h"
#include "util/environment.h"
#include "workload/gpu_nodes.h"
#include "workload/workload_controller.h"

namespace llm {
namespace {

struct CrdCheck {
  const char* api_version;
  const char* kind;
  const char* crd;      ///< what to install
  const char* enables;  ///< what it is for
};

constexpr CrdCheck kCrdChecks[] = {
    {"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "LeaderWorkerSet (sigs.k8s.io/lws)",
     "multi-node serving (serve --nodes N>1)"},
    {"jobset.x-k8s.io/v1alpha2", "JobSet", "JobSet (sigs.k8s.io/jobset)",
     "train as a JobSet; without it train uses an Indexed Job and a headless Service"},
    {"keda.sh/v1alpha1", "ScaledObject", "KEDA ScaledObject (keda.sh)",
     "serve --autoscale-metric (KEDA on a Prometheus metric); plain --autoscale uses a HorizontalPodAutoscaler"},
    {"kueue.x-k8s.io/v1beta1", "LocalQueue", "Kueue LocalQueue (kueue.x-k8s.io)", "queueing jobs with --queue"},
};

/// What serve and train create in the namespace, and why.
struct PermissionNeed {
  const char* group;
  const char* resource;
  const char* subresource;
  std::vector<const char*> verbs;
  const char* needed_by;
};

const std::vector<PermissionNeed>& NamespacePermissions() {
  static const std::vector<PermissionNeed> kNeeds = {
      {"apps", "deployments", "", {"get", "list", "create", "patch", "delete"}, "serve"},
      {"apps", "deployments", "scale", {"get", "patch"}, "scale"},
      {"", "services", "", {"get", "list", "create", "patch", "delete"}, "serve, train"},
      {"batch", "jobs", "", {"get", "list", "create", "patch", "delete"}, "train"},
      {"", "secrets", "", {"get", "create", "patch"}, "the ApplySet record of serve/train/delete"},
      {"", "pods", "", {"get", "list", "watch"}, "status, serve --wait"},
      {"", "pods", "log", {"get"}, "logs"},
      {"", "events", "", {"list"}, "explaining a stuck rollout"},
  };
  return kNeeds;
}

/// kubectl's "deployments.apps/scale".
std::string ResourceName(const char* group, const char* resource, const char* subresource) {
  std::string name = resource;
  if (*group != '\0') name += std::string(".") + group;
  if (*subresource != '\0') name += std::string("/") + subresource;
  return name;
}

void Emit(std::vector<DoctorCheck>& checks, IoStreams& streams, CheckLevel level, std::string message) {
  DoctorCheck check{level, std::move(message)};
  streams.out << FormatDoctorCheck(check) << "\n";
  checks.push_back(std::move(check));
}

void CheckApiServer(const DoctorTarget& t, std::vector<DoctorCheck>& checks, IoStreams& streams, bool& reachable) {
  kube::HttpRequest request;
  request.path = "/version";
  auto response = t.client.Do(std::move(request));
  if (!response.ok()) {
    reachable = false;
    return Emit(checks, streams, CheckLevel::kFail,
                fmt::format("API server {} unreachable: {}", t.server, response.error().message()));
  }
  nlohmann::json version = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  std::string git = version.is_object() ? version.value("gitVersion", "") : "";
  Emit(checks, streams, CheckLevel::kOk,
       fmt::format("API server {} reachable, Kubernetes {}", t.server, git.empty() ? "(unknown version)" : git));
}

void CheckGpuNodes(const DoctorTarget& t, std::vector<DoctorCheck>& checks, IoStreams& streams) {
  kube::ListOptions options;
  auto nodes = t.client.List(kube::core::Nodes(), options);
  if (!nodes.ok()) {
    return Emit(checks, streams, CheckLevel::kWarn,
                fmt::format("cannot list nodes, so GPU nodes are not checked: {}", nodes.error().message()));
  }
  std::vector<GpuNodeRow> rows = ListGpuNodes(*nodes, nlohmann::json::array(), t.now);
  if (rows.empty()) {
    return Emit(checks, streams, CheckLevel::kFail,
                "no GPU nodes: no node has allocatable nvidia.com/gpu (is the NVIDIA device plugin running?)");
  }
  int64_t gpus = 0;
  std::map<std::string, int> products;
  for (const GpuNodeRow& row : rows) {
    gpus += row.allocatable;
    ++products[row.product.empty() ? "unlabelled" : row.product];
  }
  std::vector<std::string> parts;
  for (const auto& [product, count] : products) parts.push_back(fmt::format("{} x{}", product, count));
  Emit(checks, streams, gpus > 0 ? CheckLevel::kOk : CheckLevel::kFail,
       fmt::format("{} GPU node{}, {} GPUs allocatable ({})", rows.size(), rows.size() == 1 ? "" : "s", gpus,
                   fmt::join(parts, ", ")));
}

/// An installed CRD whose controller does not run accepts objects on which
/// nothing ever happens: a failure, as train (JobSet by default once its CRD
/// is there) and multi-node serve would hang.
void CheckController(const DoctorTarget& t, const CrdCheck& crd, std::vector<DoctorCheck>& checks, IoStreams& streams) {
  const kube::GroupKind group_kind = kube::GroupKindOf(crd.api_version, crd.kind);
  for (const WorkloadController& controller : WorkloadControllers()) {
    if (controller.group != group_kind.group || controller.kind != group_kind.kind) continue;
    const ControllerLiveness liveness = CheckControllerLiveness(t.client, controller, t.now);
    const CheckLevel level = liveness.state == ControllerState::kRunning      ? CheckLevel::kOk
                             : liveness.state == ControllerState::kNotRunning ? CheckLevel::kFail
                                                                              : CheckLevel::kWarn;
    Emit(checks, streams, level,
         fmt::format("{} controller {}: {}", crd.kind, StateWords(liveness.state), liveness.detail));
  }
}

void CheckCrds(const DoctorTarget& t, std::vector<DoctorCheck>& checks, IoStreams& streams) {
  for (const CrdCheck& crd : kCrdChecks) {
    auto served = t.mapper.HasGroupKind(kube::GroupKindOf(crd.api_version, crd.kind));
    if (!served.ok()) {
      Emit(checks, streams, CheckLevel::kWarn,
           fmt::format("cannot tell whether {} is installed: {}", crd.kind, served.error().message()));
    } else if (*served) {
      Emit(checks, streams, CheckLevel::kOk, fmt::format("{} installed: {}", crd.crd, crd.enables));
      CheckController(t, crd, checks, streams);
    } else {
      Emit(checks, streams, CheckLevel::kWarn, fmt::format("{} not installed: needed for {}", crd.crd, crd.enables));
    }
  }
}

void CheckRuntimeClass(const DoctorTarget& t, std::vector<DoctorCheck>& checks, IoStreams& streams) {
  auto runtime = t.client.Get(kube::ResourceRef{"node.k8s.io", "v1", "runtimeclasses", "", "nvidia", ""});
  if (runtime.ok()) {
    return Emit(checks, streams, CheckLevel::kOk,
                fmt::format("RuntimeClass nvidia present (handler {})", runtime->value("handler", "")));
  }
  if (runtime.error().kind() == ErrorKind::kNotFound) {
    return Emit(checks, streams, CheckLevel::kWarn,
                "RuntimeClass nvidia absent: GPU pods rely on nvidia being the nodes' default container runtime");
  }
  Emit(checks, streams, CheckLevel::kWarn,
       fmt::format("cannot read RuntimeClass nvidia: {}", runtime.error().message()));
}

void CheckPermissions(const DoctorTarget& t, std::vector<DoctorCheck>& checks, IoStreams& streams) {
  for (const PermissionNeed& need : NamespacePermissions()) {
    std::vector<std::string> denied;
    std::string failure;
    for (const char* verb : need.verbs) {
      auto allowed = t.can(kube::AccessQuestion{verb, need.group, need.resource, need.subresource, t.ns});
      if (!allowed.ok()) {
        failure = allowed.error().message();
        break;
      }
      if (!*allowed) denied.emplace_back(verb);
    }
    const std::string resource = ResourceName(need.group, need.resource, need.subresource);
    if (!failure.empty()) {
      Emit(checks, streams, CheckLevel::kWarn,
           fmt::format("cannot check permissions on {} in namespace {}: {}", resource, t.ns, failure));
    } else if (denied.empty()) {
      Emit(checks, streams, CheckLevel::kOk,
           fmt::format("can {} {} in namespace {}", fmt::join(need.verbs, ", "), resource, t.ns));
    } else {
      Emit(checks, streams, CheckLevel::kFail,
           fmt::format("cannot {} {} in namespace {} (needed by {})", fmt::join(denied, ", "), resource, t.ns,
                       need.needed_by));
    }
  }
  auto nodes = t.can(kube::AccessQuestion{"list", "", "nodes", "", ""});
  if (nodes.ok() && *nodes) {
    Emit(checks, streams, CheckLevel::kOk, "can list nodes (cluster-wide)");
  } else {
    Emit(checks, streams, CheckLevel::kWarn,
         "cannot list nodes: serve/train skip the GPU capacity preflight, and nodes/validate-nodes will not work");
  }
}

}  // namespace

std::string FormatDoctorCheck(const DoctorCheck& check) {
  const char* label = check.level == CheckLevel::kOk     ? "[ok]  "
                      : check.level == CheckLevel::kWarn ? "[warn]"
                                                         : "[fail]";
  return fmt::format("{} {}", label, check.message);
}

AccessReviewFn SelfSubjectAccessReview(kube::RestClient& client) {
  return [&client](const kube::AccessQuestion& q) -> Result<bool> {
    LLM_ASSIGN_OR_RETURN(kube::AccessAnswer answer, kube::AskAccess(client, q));
    return answer.allowed;
  };
}

std::vector<DoctorCheck> RunDoctorChecks(const DoctorTarget& target, IoStreams streams) {
  std::vector<DoctorCheck> checks;
  bool reachable = true;
  CheckApiServer(target, checks, streams, reachable);
  if (!reachable) return checks;
  CheckGpuNodes(target, checks, streams);
  CheckCrds(target, checks, streams);
  CheckRuntimeClass(target, checks, streams);
  CheckPermissions(target, checks, streams);
  return checks;
}

int DoctorExitCode(const std::vector<DoctorCheck>& checks) {
  bool failed =
      std::any_of(checks.begin(), checks.end(), [](const DoctorCheck& c) { return c.level == CheckLevel::kFail; });
  return failed ? 1 : 0;
}

Status PrintPluginRbac(const kube::ConfigFlags& flags, IoStreams streams) {
  // -n, else the context's namespace, as every other command would use; no
  // connection is needed to print it.
  std::string ns = flags.ns;
  if (ns.empty()) {
    auto config = kube::LoadClientConfig(flags, ProcessGetenv());
    ns = config.ok() ? config->ns : "default";
  }
  LLM_ASSIGN_OR_RETURN(std::vector<Json> rbac, RenderPluginRbac(*EmbeddedTemplateSource(), ns));
  streams.out << FormatManifests(rbac, OutputFormat::kYaml);
  return Ok();
}

void SetupDoctorCommand(CLI::App* cmd, CommandContext& ctx) {
  auto print_rbac = std::make_shared<bool>(false);
  cmd->add_flag("--print-rbac", *print_rbac,
                "Print the least-privilege Role (for -n/--namespace, else the context's namespace) and the "
                "optional node-reading ClusterRole that kubectl-llm's users need, ready for kubectl apply -f -");
  cmd->callback([print_rbac, &ctx] {
    if (*print_rbac) return ctx.Finish(PrintPluginRbac(ctx.global.kube, ctx.streams));
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    ClusterSession& s = **session;
    DoctorTarget target{s.client(), s.mapper(), SelfSubjectAccessReview(s.client()),
                        s.ns(),     s.server(), std::chrono::system_clock::now()};
    ctx.exit_code = DoctorExitCode(RunDoctorChecks(target, ctx.streams));
  });
}

}  // namespace llm
