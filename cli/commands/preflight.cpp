#include "commands/preflight.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "kube/access_review.h"
#include "kube/object_fields.h"
#include "kube/paged_list.h"
#include "kube/url_query.h"
#include "kube/well_known_names.h"
#include "workload/cluster_autoscaler_status.h"
#include "workload/gpu_capacity.h"
#include "workload/manifest_requirements.h"
#include "workload/node_autoscalers.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

using nlohmann::json;

struct AccessNeed {
  std::string verb, group, resource, ns;
  auto operator<=>(const AccessNeed&) const = default;
};

std::string GroupResource(const std::string& group, const std::string& resource) {
  return group.empty() ? resource : resource + "." + group;
}

std::string InNamespace(const std::string& ns) {
  return ns.empty() ? "at the cluster scope" : fmt::format("in the namespace \"{}\"", ns);
}

Status CheckAccess(kube::RestClient& client, kube::RestMapper& mapper, const PreflightRequest& request) {
  std::set<AccessNeed> needs;
  for (const char* verb : {"create", "patch"}) needs.insert({verb, "", "secrets", request.ns});
  for (const json& object : request.objects) {
    LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping,
                         mapper.Map(object.value("apiVersion", ""), object.value("kind", "")));
    std::string ns;
    if (mapping.namespaced) ns = object["metadata"].value("namespace", request.ns);
    for (const char* verb : {"create", "patch"}) {
      needs.insert({verb, mapping.resource.group, mapping.resource.resource, ns});
    }
  }
  std::vector<kube::AccessQuestion> questions;
  for (const AccessNeed& need : needs) questions.push_back({need.verb, need.group, need.resource, "", need.ns});
  auto answers = kube::AskAccessAll(client, questions);
  if (!answers.ok()) return answers.error().WithContext("preflight: checking access (SelfSubjectAccessReview)");
  for (size_t i = 0; i < questions.size(); ++i) {
    const kube::AccessQuestion& need = questions[i];
    const kube::AccessAnswer& answer = (*answers)[i];
    if (answer.allowed) continue;
    return Error(ErrorKind::kForbidden, fmt::format("preflight: you may not {} {} {}{}; nothing was applied", need.verb,
                                                    GroupResource(need.group, need.resource), InNamespace(need.ns),
                                                    answer.reason.empty() ? "" : " (" + answer.reason + ")"));
  }
  return Ok();
}

// What JudgeScaleUp needs, one bounded request each and only as far as
// needed: the first page of Karpenter NodePools (a cluster has a handful;
// kNodePoolPage bounds a strange one), then, unless a NodePool may add the
// rest, the cluster-autoscaler's status ConfigMap. What the caller may not
// read is noted in `unread`, never an error: without it the refusal stands.
constexpr int kNodePoolPage = 100;

void ReadKarpenterNodePools(kube::RestClient& client, kube::RestMapper& mapper, NodeAutoscalers& found,
                            std::vector<std::string>& unread) {
  auto mapping = mapper.MapGroupKind({"karpenter.sh", "NodePool"});
  if (!mapping.ok()) return;  // not served: no Karpenter
  kube::HttpRequest list;
  list.path = mapping->resource.Path() + kube::EncodeQuery({{"limit", std::to_string(kNodePoolPage)}});
  auto response = client.Do(std::move(list));
  json page = response.ok() ? json::parse(response->body, nullptr, /*allow_exceptions=*/false) : json();
  if (page.is_object() && page.contains("items") && page["items"].is_array()) {
    found.karpenter_node_pools = std::move(page);
  } else {
    unread.push_back(fmt::format("Karpenter NodePools could not be read ({})",
                                 response.ok() ? "not a list" : response.error().message()));
  }
}

void ReadClusterAutoscalerStatus(kube::RestClient& client, NodeAutoscalers& found, std::vector<std::string>& unread) {
  auto status = client.Get(kube::core::ConfigMaps("kube-system", "cluster-autoscaler-status"));
  if (status.ok()) {
    found.cluster_autoscaler = ParseClusterAutoscalerStatus(*status);
  } else if (status.error().kind() != ErrorKind::kNotFound) {
    unread.push_back(
        fmt::format("the cluster-autoscaler's status (ConfigMap kube-system/cluster-autoscaler-status) "
                    "could not be read ({})",
                    status.error().message()));
  }
}

/// Past this many matching GPU nodes, the fit reads the whole cluster's bound
/// pods page by page instead of each node's: one paged list then moves fewer
/// requests than a read per node.
constexpr size_t kMaxNodeReads = 64;

/// Adds the pods of `page` that hold GPUs and are not the workload's own (its
/// GPUs are the ones it reuses) to `others`.
void KeepOthersHoldingGpus(json& page, const PreflightRequest& request, json& others) {
  for (json& pod : page["items"]) {
    if (!pod.contains("spec") || PodSpecRequest(pod["spec"]) == 0) continue;
    const json& meta = pod["metadata"];
    const bool own = meta.value("namespace", "") == request.ns && meta.contains("labels") &&
                     meta["labels"].value(std::string(kInstanceLabel), "") == request.instance;
    if (!own) others.push_back(std::move(pod));
  }
}

/// The pods that hold GPUs on the nodes the fit may use (`matching`, the
/// nodes' names), into `others`. Only those pods change the answer, so a
/// cluster of 50,000 pods costs what its GPU nodes hold: each node's pods are
/// read by spec.nodeName from the API server's watch cache (resourceVersion=0,
/// indexed by node, as the kubelet reads its own), and the reads stop once the
/// nodes read so far have room for `wanted` pods (the rest cannot change
/// "fits now"). Past kMaxNodeReads nodes, one paged list of every bound pod.
Status ReadPodsHoldingGpus(kube::RestClient& client, const PreflightRequest& request, const json& nodes,
                           const std::vector<std::string>& matching, const GpuFitRequest& gpus, int64_t wanted,
                           json& others) {
  constexpr std::string_view kRunning = "status.phase!=Succeeded,status.phase!=Failed";
  auto keep = [&](json& page) {
    KeepOthersHoldingGpus(page, request, others);
    return Ok();
  };
  if (matching.size() > kMaxNodeReads) {
    kube::ListOptions bound;
    bound.field_selector = fmt::format("spec.nodeName!=,{}", kRunning);
    return kube::ForEachListPage(client, kube::core::Pods(), bound, keep);
  }
  std::map<std::string, const json*> by_name;
  for (const json& node : ItemsOf(nodes)) by_name[NameOf(node)] = &node;
  json read = json::array();
  for (const std::string& name : matching) {
    kube::ListOptions on_node;
    on_node.field_selector = fmt::format("spec.nodeName={},{}", name, kRunning);
    on_node.resource_version = "0";
    LLM_RETURN_IF_ERROR(kube::ForEachListPage(client, kube::core::Pods(), on_node, keep));
    read.push_back(*by_name.at(name));
    if (CheckGpuFit(read, others, gpus).pods_fit_now >= wanted) break;
  }
  return Ok();
}

kube::PlannedRead NodesRead() { return kube::PlannedRead::List(kube::core::Nodes(), {}); }

Status CheckFit(kube::RestClient& client, kube::RestMapper& mapper, const PreflightRequest& request,
                std::vector<std::string>& warnings, std::optional<ElasticStart>* start) {
  std::optional<GpuFitRequest> gpus = GpuRequestOf(request.objects);
  // Elastic: MIN pods must fit; the free GPUs then say how many of MAX start.
  if (gpus && request.elastic) gpus->pods = request.elastic->min;
  if (!gpus && !request.require_validated) return Ok();
  const kube::PlannedRead nodes_read = NodesRead();
  auto listed = client.List(nodes_read.ref, nodes_read.list);
  if (!listed.ok()) {
    if (listed.error().kind() != ErrorKind::kForbidden) return listed.error().WithContext("preflight: listing nodes");
    warnings.push_back(request.require_validated
                           ? "you may not list nodes, so the GPU fit check and --require-validated's count of "
                             "validated nodes were skipped (the node affinity still applies)"
                           : "you may not list nodes, so the GPU fit check was skipped");
    return Ok();
  }
  json nodes = std::move(*listed);
  std::string validated_note;
  if (request.require_validated) {
    const RequireValidated& rule = *request.require_validated;
    ValidatedNodeCount count = CountValidatedNodes(nodes, request.now, rule);
    Status enough = CheckValidatedNodes(count, 1, rule);
    if (!enough.ok()) {
      return Error(enough.error().kind(), fmt::format("preflight: {}; nothing was applied", enough.error().message()));
    }
    nodes = WithoutStaleValidations(nodes, request.now, rule);
    if (count.expired > 0) {
      // The affinity checks the verdict only (see require_validated.h), so say
      // that the scheduler may still pick these nodes.
      warnings.push_back(fmt::format(
          "{} GPU {} an old pass (before --require-validated's MAX_AGE or past its valid-until time) that the "
          "scheduler still accepts; re-check {} with 'kubectl llm validate-nodes --record'",
          count.expired, count.expired == 1 ? "node has" : "nodes have", count.expired == 1 ? "it" : "them"));
    }
    validated_note = fmt::format(" ({} of {} GPU nodes count as validated)", count.validated, count.gpu_nodes);
  }
  if (!gpus) return Ok();
  json others = json::array();
  // On empty nodes first: a request that never fits needs no pod read at all.
  const GpuFit on_empty_nodes = CheckGpuFit(nodes, others, *gpus);
  if (on_empty_nodes.pods_fit_empty >= gpus->pods) {
    const int64_t wanted = request.elastic ? request.elastic->max : gpus->pods;
    Status pods =
        ReadPodsHoldingGpus(client, request, nodes, on_empty_nodes.matching_node_names, *gpus, wanted, others);
    if (!pods.ok()) {
      if (pods.error().kind() != ErrorKind::kForbidden) return pods.error().WithContext("preflight: listing pods");
      warnings.push_back("you may not list pods in all namespaces, so the GPU fit check was skipped");
      return Ok();
    }
  }
  GpuFit fit = CheckGpuFit(nodes, others, *gpus);
  if (request.elastic && start != nullptr) {
    *start = ElasticStart{std::clamp(fit.pods_fit_now, request.elastic->min, request.elastic->max), fit.pods_fit_now};
  }
  if (fit.verdict == GpuFitVerdict::kNeverFits) {
    // Only now are the autoscalers read: a request that fits costs no extra request.
    std::vector<std::string> notes;
    NodeAutoscalers autoscalers;
    ReadKarpenterNodePools(client, mapper, autoscalers, notes);
    ScaleUpOutlook outlook = JudgeScaleUp(autoscalers, fit, *gpus, nodes);
    if (!outlook.may_add) {
      ReadClusterAutoscalerStatus(client, autoscalers, notes);
      outlook = JudgeScaleUp(autoscalers, fit, *gpus, nodes);
    }
    if (outlook.may_add) {
      warnings.push_back(
          fmt::format("{}{}; {}; the pods stay Pending until then", fit.reason, validated_note, outlook.sentence));
      return Ok();
    }
    if (!outlook.sentence.empty()) notes.insert(notes.begin(), outlook.sentence);
    std::string noted;
    for (const std::string& note : notes) noted += "; " + note;
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("preflight: {}{}{}; nothing was applied (--skip-preflight applies anyway)", fit.reason,
                             validated_note, noted));
  }
  if (fit.verdict == GpuFitVerdict::kFitsClusterNotNow) {
    warnings.push_back(fit.reason + "; pods will stay Pending until GPUs are free");
  }
  return Ok();
}

void CheckExists(kube::RestClient& client, const kube::ResourceRef& ref, const std::string& what,
                 std::vector<std::string>& warnings) {
  auto got = client.Get(ref);
  if (got.ok()) return;
  if (got.error().kind() == ErrorKind::kNotFound) {
    warnings.push_back(ref.ns.empty() ? fmt::format("{} \"{}\" not found", what, ref.name)
                                      : fmt::format("{} \"{}\" not found in namespace \"{}\"", what, ref.name, ref.ns));
  } else {
    warnings.push_back(fmt::format("could not check {} \"{}\": {}", what, ref.name, got.error().message()));
  }
}

Status CheckReferences(kube::RestClient& client, kube::RestMapper& mapper, const PreflightRequest& request,
                       std::vector<std::string>& warnings) {
  ObjectReferences refs = ReferencesOf(request.objects);
  for (const std::string& name : refs.secrets)
    CheckExists(client, kube::core::Secrets(request.ns, name), "Secret", warnings);
  for (const std::string& name : refs.pvcs) {
    CheckExists(client, kube::core::PersistentVolumeClaims(request.ns, name), "PersistentVolumeClaim", warnings);
  }
  for (const std::string& name : refs.priority_classes) {
    CheckExists(client, {"scheduling.k8s.io", "v1", "priorityclasses", "", name, ""}, "PriorityClass", warnings);
  }
  if (!refs.local_queues.empty()) {
    auto mapping = mapper.MapGroupKind({"kueue.x-k8s.io", "LocalQueue"});
    if (!mapping.ok()) {
      warnings.push_back("Kueue is not installed (no LocalQueue kind), so the queue label will not be acted on");
    } else {
      for (const std::string& name : refs.local_queues) {
        kube::ResourceRef ref = mapping->resource;
        ref.ns = request.ns;
        ref.name = name;
        CheckExists(client, ref, "LocalQueue", warnings);
      }
    }
  }
  return Ok();
}

}  // namespace

std::vector<kube::PlannedRead> PreflightReads(const PreflightRequest& request) {
  std::vector<kube::PlannedRead> reads{kube::RulesReviewRead(request.ns)};
  if (GpuRequestOf(request.objects) || request.require_validated) reads.push_back(NodesRead());
  return reads;
}

Result<std::vector<std::string>> RunPreflight(kube::RestClient& client, kube::RestMapper& mapper,
                                              const PreflightRequest& request, std::optional<ElasticStart>* start) {
  std::vector<std::string> warnings;
  LLM_RETURN_IF_ERROR(CheckAccess(client, mapper, request));
  LLM_RETURN_IF_ERROR(CheckFit(client, mapper, request, warnings, start));
  LLM_RETURN_IF_ERROR(CheckReferences(client, mapper, request, warnings));
  return warnings;
}

}  // namespace llm
