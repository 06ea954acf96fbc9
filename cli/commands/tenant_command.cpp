// CLI11's split is inlined here too (see render_command.cpp).
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "commands/tenant_command.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/delete_command.h"
#include "commands/managed_workloads.h"
#include "commands/root_command.h"
#include "kube/access_review.h"
#include "kube/object_fields.h"
#include "kube/wait_condition.h"
#include "kube/well_known_names.h"
#include "output/object_printer.h"
#include "render/manifest_printer.h"
#include "tenant/tenant_names.h"
#include "tenant/tenant_objects.h"
#include "tenant/tenant_status.h"
#include "tenant/tenant_verify.h"
#include "util/duration.h"
#include "util/strings.h"

namespace llm {
namespace {

using nlohmann::json;
using namespace tenant;  // NOLINT: this file is the tenant command

constexpr char kKueueGroup[] = "kueue.x-k8s.io";

kube::ResourceRef Core(const std::string& resource, const std::string& ns = "", const std::string& name = "") {
  return {"", "v1", resource, ns, name, ""};
}

std::string TenantSelector() { return std::string(kTenantLabel); }

Result<KueueFacts> ReadKueueFacts(kube::RestMapper& mapper) {
  KueueFacts facts;
  auto queue = mapper.MapGroupKind({kKueueGroup, "ClusterQueue"});
  if (!queue.ok()) {
    if (queue.error().kind() == ErrorKind::kNotFound) return facts;
    return queue.error();
  }
  facts.served = true;
  facts.api_version = std::string(kKueueGroup) + "/" + queue->resource.version;
  facts.cohort_field = CohortFieldFor(facts.api_version);
  auto cohort = mapper.MapGroupKind({kKueueGroup, "Cohort"});
  if (cohort.ok()) facts.cohort_api_version = std::string(kKueueGroup) + "/" + cohort->resource.version;
  return facts;
}

Result<kube::ResourceRef> KueueRef(kube::RestMapper& mapper, const std::string& kind, const std::string& ns = "",
                                   const std::string& name = "") {
  LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping, mapper.MapGroupKind({kKueueGroup, kind}));
  kube::ResourceRef ref = mapping.resource;
  ref.ns = mapping.namespaced ? ns : "";
  ref.name = name;
  return ref;
}

/// "v1.35" for a v1.35.4 server: the Pod Security standards' version the
/// namespace pins (so an upgrade of the cluster does not tighten them unseen).
std::string PodSecurityVersion(kube::RestClient& client) {
  kube::HttpRequest request;
  request.path = "/version";
  auto response = client.Do(std::move(request));
  if (!response.ok()) return "latest";
  json doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return "latest";
  const std::string major = doc.value("major", "");
  std::string minor = doc.value("minor", "");
  while (!minor.empty() && (minor.back() < '0' || minor.back() > '9')) minor.pop_back();  // "35+" on some clouds
  if (major.empty() || minor.empty()) return "latest";
  return "v" + major + "." + minor;
}

std::optional<json> GetIfPresent(kube::RestClient& client, const kube::ResourceRef& ref) {
  auto got = client.Get(ref);
  if (!got.ok()) return std::nullopt;
  return std::move(got).value();
}

std::vector<json> ToJson(const std::vector<Json>& objects) {
  std::vector<json> out;
  out.reserve(objects.size());
  for (const Json& object : objects) out.push_back(json(object));
  return out;
}

constexpr OutputFormat kApplyOutputs[] = {OutputFormat::kTable, OutputFormat::kYaml, OutputFormat::kJson};
constexpr kube::DryRun kApplyDryRuns[] = {kube::DryRun::kNone, kube::DryRun::kClient, kube::DryRun::kServer};
constexpr OutputFormat kStatusOutputs[] = {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kYaml};

/// Applies a tenant's (or init's) set and prints it as serve does.
Status ApplySet(ClusterSession& session, const std::vector<Json>& objects, const std::string& set_name,
                const TenantApplyOptions& options, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(options.output, kApplyOutputs));
  LLM_ASSIGN_OR_RETURN(kube::DryRun strategy, kube::ParseDryRun(options.dry_run, kApplyDryRuns));
  const bool structured = format == OutputFormat::kYaml || format == OutputFormat::kJson;
  if (strategy == kube::DryRun::kClient) {
    if (structured) {
      streams.out << FormatManifests(objects, format);
      return Ok();
    }
    for (const Json& object : objects) streams.out << ResourceName(json(object)) << " (dry run)\n";
    return Ok();
  }
  const bool dry_run = strategy == kube::DryRun::kServer;
  kube::ApplierOptions applier = WorkloadApplierOptions(std::string(kSystemNamespace), dry_run);
  applier.force_fields.clear();
  std::vector<json> members = ToJson(objects);
  LLM_ASSIGN_OR_RETURN(kube::ApplyOutcome outcome,
                       session.applier().Apply(members, {set_name, std::string(kSystemNamespace)}, applier));
  if (structured) {
    std::vector<json> applied;
    for (const kube::ObjectResult& result : outcome.results) {
      if (result.action != kube::ApplyAction::kPruned && result.action != kube::ApplyAction::kKept) {
        applied.push_back(result.object);
      }
    }
    auto text = FormatObjectList(applied, format);
    if (text.ok()) streams.out << *text;
  } else {
    for (const kube::ObjectResult& result : outcome.results) streams.out << kube::FormatResult(result, dry_run) << "\n";
  }
  if (!outcome.errors.empty()) {
    return outcome.errors.front().WithContext(fmt::format("{} of {} objects failed to apply; nothing was pruned",
                                                          outcome.errors.size(), members.size()));
  }
  return Ok();
}

Status ValidateApplyOptions(const TenantApplyOptions& options) {
  LLM_RETURN_IF_ERROR(kube::ParseDryRun(options.dry_run, kApplyDryRuns));
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kApplyOutputs));
  return Ok();
}

/// The tenant's namespace, refused when it is not one.
Result<json> TenantNamespace(kube::RestClient& client, const std::string& team) {
  auto ns = client.Get(Core("namespaces", "", team));
  if (!ns.ok()) {
    if (ns.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, fmt::format("no tenant \"{}\" (no namespace \"{}\")", team, team));
    }
    return ns.error();
  }
  if (LabelOf(*ns, kTenantLabel) != team) {
    return Error(ErrorKind::kNotFound,
                 fmt::format("no tenant \"{}\": namespace \"{}\" is not a tenant's (no {} label)", team, team,
                             kTenantLabel));
  }
  return std::move(ns).value();
}

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
  for (size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 3) out += fmt::format(" and {} more", names.size() - 3);
  return out;
}

TenantStatus ReadTenantStatus(ClusterSession& session, const json& ns) {
  kube::RestClient& client = session.client();
  const std::string team = NameOf(ns);
  const std::string object_name(kTenantObjectName);
  std::optional<json> quota = GetIfPresent(client, Core("resourcequotas", team, object_name));
  json pods = json::array();
  if (auto listed = client.List(Core("pods", team), {}); listed.ok()) pods = (*listed)["items"];
  int64_t workloads = 0;
  if (auto listed = ListManagedWorkloads(client, session.mapper(), team, ""); listed.ok()) {
    workloads = static_cast<int64_t>(listed->size());
  }
  std::optional<json> binding =
      GetIfPresent(client, {"rbac.authorization.k8s.io", "v1", "rolebindings", team, object_name, ""});
  std::optional<json> local_queue, cluster_queue;
  const std::string queue = AnnotationOf(ns, kLocalQueueAnnotation);
  if (!queue.empty()) {
    if (auto ref = KueueRef(session.mapper(), "LocalQueue", team, queue); ref.ok()) {
      local_queue = GetIfPresent(client, *ref);
    }
    const std::string cluster_queue_name =
        local_queue ? StringAt(*local_queue, {"spec", "clusterQueue"}, team) : team;
    if (auto ref = KueueRef(session.mapper(), "ClusterQueue", "", cluster_queue_name); ref.ok()) {
      cluster_queue = GetIfPresent(client, *ref);
    }
  }
  return SummarizeTenant(ns, quota ? &*quota : nullptr, pods, workloads, binding ? &*binding : nullptr,
                         local_queue ? &*local_queue : nullptr, cluster_queue ? &*cluster_queue : nullptr);
}

}  // namespace

TenantDefaults ReadTenantDefaults(kube::RestClient& client, const std::string& ns) {
  TenantDefaults defaults;
  auto got = client.Get(Core("namespaces", "", ns));
  if (!got.ok()) return defaults;
  defaults.team = LabelOf(*got, kTenantLabel);
  if (defaults.team.empty()) return defaults;
  defaults.local_queue = AnnotationOf(*got, kLocalQueueAnnotation);
  defaults.priority_class = AnnotationOf(*got, kPriorityClassAnnotation);
  return defaults;
}

Status RunTenantInit(const TenantApplyOptions& options, ClusterSession& session, IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateApplyOptions(options));
  InitPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.kueue, ReadKueueFacts(session.mapper()));
  if (plan.kueue.served) {
    auto nodes = session.client().List(Core("nodes"), {});
    if (!nodes.ok()) return nodes.error().WithContext("reading the nodes' GPU products for Kueue's ResourceFlavors");
    plan.flavors = GpuFlavorsFromNodes(*nodes);
    if (plan.flavors.empty()) {
      streams.err << "Warning: no node is labelled " << kGpuProductLabel
                  << ", so no GPU ResourceFlavor is made; run `kubectl llm tenant init` again once GPU nodes join\n";
    }
  } else {
    streams.err << "Note: Kueue is not served (no kueue.x-k8s.io ClusterQueue), so there are no ResourceFlavors or "
                   "cohort, and tenants get no queues\n";
  }
  std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  LLM_ASSIGN_OR_RETURN(std::vector<Json> objects, RenderInitObjects(plan, *templates));
  return ApplySet(session, objects, std::string(kInitSetName), options, streams);
}

Status RunTenantCreate(const TenantFlags& flags, const TenantApplyOptions& options, ClusterSession& session,
                       IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateApplyOptions(options));
  TenantPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.config, BuildTenantConfig(flags));
  const TenantConfig& c = plan.config;
  kube::RestClient& client = session.client();
  auto system = client.Get(Core("namespaces", "", std::string(kSystemNamespace)));
  if (!system.ok()) {
    if (system.error().kind() != ErrorKind::kNotFound) return system.error();
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("run `kubectl llm tenant init` first: it makes the cluster-wide pieces (PriorityClasses, "
                             "Kueue's ResourceFlavors and cohort) and namespace {}, where tenants are recorded",
                             kSystemNamespace));
  }
  if (auto existing = client.Get(Core("namespaces", "", c.team)); existing.ok()) {
    if (LabelOf(*existing, kTenantLabel) != c.team) {
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("namespace \"{}\" already exists and is not a tenant's: tenant create makes the "
                               "namespace itself (pick another TEAM, or delete that namespace first)",
                               c.team));
    }
  }
  LLM_ASSIGN_OR_RETURN(plan.kueue, ReadKueueFacts(session.mapper()));
  if (plan.kueue.served) {
    LLM_ASSIGN_OR_RETURN(kube::ResourceRef flavors_ref, KueueRef(session.mapper(), "ResourceFlavor"));
    LLM_ASSIGN_OR_RETURN(json flavors, client.List(flavors_ref, {}));
    plan.flavors = GpuFlavorsFromResourceFlavors(flavors);
  }
  plan.pod_security_version = PodSecurityVersion(client);
  // Warnings only: quotas may oversubscribe, and nodes may still join.
  if (auto nodes = client.List(Core("nodes"), {}); nodes.ok()) {
    int64_t total = 0, largest = 0;
    for (const GpuFlavor& flavor : GpuFlavorsFromNodes(*nodes)) {
      total += flavor.gpus;
      largest = std::max(largest, flavor.largest_node);
    }
    if (c.max_gpus_per_pod && *c.max_gpus_per_pod > largest) {
      streams.err << fmt::format("Warning: --max-gpus-per-pod {} is more than the largest GPU node has ({}): no single "
                                 "pod can get that many\n",
                                 *c.max_gpus_per_pod, largest);
    }
    if (c.gpus > total) {
      streams.err << fmt::format("Warning: --gpus {} is more than the cluster's {} GPUs (quotas may oversubscribe; "
                                 "pods beyond what the nodes hold will wait)\n",
                                 c.gpus, total);
    }
  }
  if (c.priority != nullptr) {
    auto found = client.Get({"scheduling.k8s.io", "v1", "priorityclasses", "", std::string(c.priority->priority_class), ""});
    if (!found.ok() && found.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kInvalidInput, fmt::format("PriorityClass \"{}\" does not exist: run `kubectl llm tenant "
                                                         "init` again",
                                                         c.priority->priority_class));
    }
  }
  if (!plan.kueue.served) {
    streams.err << "Note: Kueue is not served, so the tenant gets no ClusterQueue or LocalQueue\n";
  }
  std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  LLM_ASSIGN_OR_RETURN(std::vector<Json> objects, RenderTenantObjects(plan, *templates));
  return ApplySet(session, objects, TenantSetName(c.team), options, streams);
}

Status RunTenantDelete(const TenantDeleteOptions& options, ClusterSession& session, IoStreams streams,
                       std::optional<int>& error_exit_code) {
  LLM_RETURN_IF_ERROR(CheckTeamName(options.team));
  LLM_ASSIGN_OR_RETURN(Seconds timeout, ParseDuration(options.timeout, "--timeout"));
  kube::RestClient& client = session.client();
  const kube::ResourceRef parent = Core("secrets", std::string(kSystemNamespace), TenantSetName(options.team));
  if (auto got = client.Get(parent); !got.ok()) {
    if (got.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, fmt::format("no tenant \"{}\" (no ApplySet \"{}\" in namespace {})",
                                                     options.team, parent.name, kSystemNamespace));
    }
    return got.error();
  }
  if (!options.force) {
    LLM_ASSIGN_OR_RETURN(json pods, client.List(Core("pods", options.team), {}));
    std::vector<std::string> running = PodNames(pods, /*running_only=*/true);
    if (!running.empty()) {
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("tenant \"{}\" still runs {} pod{} ({}): delete its workloads first (kubectl llm delete "
                               "NAME -n {}), or pass --force, which deletes them with the namespace",
                               options.team, running.size(), running.size() == 1 ? "" : "s", Few(running),
                               options.team));
    }
    LLM_ASSIGN_OR_RETURN(json claims, client.List(Core("persistentvolumeclaims", options.team), {}));
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

Status RunTenantStatus(const TenantStatusOptions& options, ClusterSession& session, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(options.output, kStatusOutputs));
  std::vector<TenantStatus> rows;
  if (!options.team.empty()) {
    LLM_RETURN_IF_ERROR(CheckTeamName(options.team));
    LLM_ASSIGN_OR_RETURN(json ns, TenantNamespace(session.client(), options.team));
    rows.push_back(ReadTenantStatus(session, ns));
    if (format == OutputFormat::kJson) streams.out << ToJson(TenantStatusJson(rows.front()));
    if (format == OutputFormat::kYaml) streams.out << ToYaml(TenantStatusJson(rows.front()));
  } else {
    kube::ListOptions list;
    list.label_selector = TenantSelector();
    LLM_ASSIGN_OR_RETURN(json namespaces, session.client().List(Core("namespaces"), list));
    for (const json& ns : ItemsOf(namespaces)) rows.push_back(ReadTenantStatus(session, ns));
    std::sort(rows.begin(), rows.end(), [](const TenantStatus& a, const TenantStatus& b) { return a.name < b.name; });
    if (format == OutputFormat::kJson) streams.out << ToJson(TenantStatusListJson(rows));
    if (format == OutputFormat::kYaml) streams.out << ToYaml(TenantStatusListJson(rows));
  }
  if (format != OutputFormat::kTable) return Ok();
  if (rows.empty()) {
    streams.err << "No tenants found (make one with: kubectl llm tenant create TEAM --gpus N)\n";
    return Ok();
  }
  streams.out << TenantTable(rows, std::chrono::system_clock::now()).Render(false);
  if (!options.team.empty() && !rows.front().quota.empty()) {
    streams.out << "\nQuota:\n";
    Table quota({{"RESOURCE"}, {"USED"}, {"HARD"}});
    for (const QuotaLine& line : rows.front().quota) quota.AddRow({line.resource, line.used, line.hard});
    streams.out << quota.Render(false);
  }
  return Ok();
}

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
  tenants.label_selector = TenantSelector();
  LLM_ASSIGN_OR_RETURN(json namespaces, client.List(Core("namespaces"), tenants));
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
    LLM_RETURN_IF_ERROR(ask({"create", "", "pods", "", team}, true, "may create pods in " + team));
    LLM_RETURN_IF_ERROR(ask({"create", "batch", "jobs", "", team}, true, "may create jobs in " + team));
    for (const std::string& other : others) {
      LLM_RETURN_IF_ERROR(ask({"create", "", "pods", "", other}, false, "may not create pods in " + other));
    }
    LLM_RETURN_IF_ERROR(ask({"get", "", "secrets", "", ""}, false, "may not read Secrets in every namespace"));
    LLM_RETURN_IF_ERROR(ask({"list", "", "secrets", "", "kube-system"}, false, "may not read Secrets in kube-system"));
    if (others.front() != "default") {
      LLM_RETURN_IF_ERROR(ask({"get", "", "secrets", "", others.front()}, false,
                              "may not read Secrets in " + others.front()));
    }
  }

  // The namespace's own guards, by server dry runs the cluster answers.
  const std::string where = "namespace " + team;
  auto dry_run = [&](const json& pod) -> std::optional<std::string> {
    auto created = client.Create(Core("pods", team), pod, /*dry_run=*/true);
    if (created.ok()) return std::nullopt;
    return created.error().message();
  };
  std::optional<int64_t> max_per_container;
  if (auto limits = GetIfPresent(client, Core("limitranges", team, object_name))) {
    for (const json& item : ArrayAt(*limits, {"spec", "limits"})) {
      if (const json* max = FindPath(item, {"max", kGpuResource})) max_per_container = ParseCountQuantity(*max);
    }
  }
  std::optional<json> quota = GetIfPresent(client, Core("resourcequotas", team, object_name));
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
    if (!refused) rows.push_back({where, check, false, "admitted (server dry run)"});
    else rows.push_back({where, check, RefusedByQuota(*refused), *refused});
  }
  if (max_per_container) {
    const std::string check = fmt::format("a container of {} GPUs is refused by the LimitRange", *max_per_container + 1);
    auto refused = dry_run(ProbePod(team, "kubectl-llm-verify-limit", {*max_per_container + 1}));
    if (!refused) rows.push_back({where, check, false, "admitted (server dry run)"});
    else rows.push_back({where, check, RefusedByLimitRange(*refused), *refused});
  }
  {
    const std::string check = "a privileged pod is refused by Pod Security (" +
                              LabelOf(ns, "pod-security.kubernetes.io/enforce") + ")";
    auto refused = dry_run(ProbePod(team, "kubectl-llm-verify-privileged", {0}, /*privileged=*/true));
    if (!refused) rows.push_back({where, check, false, "admitted (server dry run)"});
    else rows.push_back({where, check, RefusedByPodSecurity(*refused), *refused});
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

namespace {

void RunInSession(CommandContext& ctx, const std::function<Status(ClusterSession&)>& run) {
  auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
  if (!session.ok()) return ctx.Finish(session.error());
  ctx.Finish(run(**session));
}

void AddApplyFlags(CLI::App* cmd, TenantApplyOptions& options) {
  AddDryRunFlag(cmd, options.dry_run, kApplyDryRuns,
                "client prints what would be applied, writing nothing; server has the server check it all");
  AddOutputFlag(cmd, options.output, kApplyOutputs, "one line per object applied");
}

}  // namespace

void SetupTenantCommand(CLI::App* cmd, CommandContext& ctx) {
  cmd->require_subcommand(1);

  CLI::App* init = cmd->add_subcommand(
      "init", "Make the cluster-wide pieces once: PriorityClasses, and where Kueue is served a ResourceFlavor per GPU "
              "product and the cohort tenants borrow in");
  auto init_options = std::make_shared<TenantApplyOptions>();
  AddApplyFlags(init, *init_options);
  init->callback([init_options, &ctx] {
    Status valid = ValidateApplyOptions(*init_options);
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantInit(*init_options, session, ctx.streams); });
  });

  CLI::App* create = cmd->add_subcommand(
      "create", "Make (or update) a tenant: namespace, quota, limits, network policies, RBAC and Kueue queues");
  auto flags = std::make_shared<TenantFlags>();
  auto create_options = std::make_shared<TenantApplyOptions>();
  create->add_option("TEAM", flags->team, "The tenant's name, which is also its namespace")->required();
  create->add_option("--gpus", flags->gpus, "GPUs the tenant may request (ResourceQuota, Kueue nominal quota)");
  create->add_option("--gpu-product", flags->gpu_products,
                     "PRODUCT=N: N of the GPUs are of this product (repeatable; they add up to --gpus)")
      ->allow_extra_args(false);
  create->add_option("--max-gpus-per-pod", flags->max_gpus_per_pod, "The most GPUs one container may request (LimitRange)");
  create->add_option("--cpu", flags->cpu, "CPU requests quota (e.g. 64)");
  create->add_option("--memory", flags->memory, "Memory requests quota (e.g. 512Gi)");
  create->add_option("--storage", flags->storage, "Storage requests quota for PersistentVolumeClaims (e.g. 2Ti)");
  create->add_option("--pods", flags->pods, "Pods quota");
  create->add_option("--member", flags->members,
                     "user:NAME, group:NAME or serviceaccount:NS/NAME, bound to the least-privilege Role "
                     "kubectl-llm-user (repeatable)")
      ->allow_extra_args(false);
  create->add_option("--allow-from", flags->allow_from, "A namespace whose pods may reach the served models (repeatable)")
      ->allow_extra_args(false);
  create->add_option("--monitoring-namespace", flags->monitoring_namespace,
                     "The namespace that may scrape the served models' metrics port")
      ->default_str(flags->monitoring_namespace);
  create->add_option("--pod-security", flags->pod_security, "Pod Security level enforced: baseline or restricted")
      ->default_str(flags->pod_security);
  create->add_option("--borrow-limit", flags->borrow_limit,
                     "GPUs the tenant may borrow from other tenants' idle quota (Kueue cohort; default 0)");
  create->add_option("--priority", flags->priority,
                     "The PriorityClass serve and train use by default in the tenant: serving, training or experiment");
  AddApplyFlags(create, *create_options);
  create->callback([flags, create_options, &ctx] {
    // Bad input is refused before the cluster is contacted.
    Status valid = ValidateApplyOptions(*create_options);
    if (valid.ok()) {
      auto config = BuildTenantConfig(*flags);
      if (!config.ok()) valid = config.error();
    }
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) {
      return RunTenantCreate(*flags, *create_options, session, ctx.streams);
    });
  });

  CLI::App* remove = cmd->add_subcommand(
      "delete", "Delete a tenant: exactly what tenant create made (its namespace with it); refused while it runs "
                "workloads unless --force");
  auto delete_options = std::make_shared<TenantDeleteOptions>();
  remove->add_option("TEAM", delete_options->team, "The tenant")->required();
  remove->add_flag("--force", delete_options->force,
                   "Delete even while pods run or claims hold data in the namespace (they are deleted with it)");
  remove->add_flag("--wait", delete_options->wait, "Wait until every object is gone");
  remove->add_option("--timeout", delete_options->timeout, "How long --wait waits (e.g. 30s, 10m)");
  remove->callback([delete_options, &ctx] {
    Status valid = CheckTeamName(delete_options->team);
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) {
      return RunTenantDelete(*delete_options, session, ctx.streams, ctx.error_exit_code);
    });
  });

  CLI::App* list = cmd->add_subcommand("list", "List tenants: GPUs used/quota, pods, workloads, queue pending/admitted, "
                                               "borrowed GPUs");
  auto list_options = std::make_shared<TenantStatusOptions>();
  AddOutputFlag(list, list_options->output, kStatusOutputs);
  list->callback([list_options, &ctx] {
    // A bad -o is a usage error before any connection, as everywhere else.
    if (auto format = ParseOutputFormat(list_options->output, kStatusOutputs); !format.ok()) {
      return ctx.Finish(format.error());
    }
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantStatus(*list_options, session, ctx.streams); });
  });

  CLI::App* status = cmd->add_subcommand("status", "Show one tenant: its quota's use, pods, workloads and queue");
  auto status_options = std::make_shared<TenantStatusOptions>();
  status->add_option("TEAM", status_options->team, "The tenant")->required();
  AddOutputFlag(status, status_options->output, kStatusOutputs);
  status->callback([status_options, &ctx] {
    Status valid = CheckTeamName(status_options->team);
    if (!valid.ok()) return ctx.Finish(valid);
    if (auto format = ParseOutputFormat(status_options->output, kStatusOutputs); !format.ok()) {
      return ctx.Finish(format.error());
    }
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantStatus(*status_options, session, ctx.streams); });
  });

  CLI::App* verify = cmd->add_subcommand(
      "verify", "Prove the tenant's isolation from the cluster's own answers (exit 1 on any hole)");
  auto team = std::make_shared<std::string>();
  verify->add_option("TEAM", *team, "The tenant")->required();
  verify->callback([team, &ctx] {
    Status valid = CheckTeamName(*team);
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantVerify(*team, session, ctx.streams); });
  });

  for (CLI::App* sub : {init, create, remove, list, status, verify}) sub->fallthrough();
}

}  // namespace llm
