// Lays a checked ServeConfig out as the view model of templates/serve/.
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "render/dashboard_panels.h"
#include "render/serve_config.h"

namespace llm {
namespace {

constexpr int kCpuUtilizationTarget = 70;

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// FNV-1a, 64 bits: the same on every platform (std::hash is not), so the
/// dashboard's uid, and the golden files, do not depend on the standard library.
uint64_t Fnv1a64(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

ViewData PodView(const ServeConfig& c, const Launch& launch, bool serving, const Pairs& pod_labels) {
  ViewData pod;
  ViewSet(pod, "podLabels", ViewPairs(pod_labels));
  Pairs annotations;
  if (serving) {
    annotations = {{"prometheus.io/path", std::string(c.engine->metrics_path)},
                   {"prometheus.io/port", std::to_string(c.launch.port)},
                   {"prometheus.io/scrape", "true"}};
  }
  ViewSet(pod, "hasPodAnnotations", !annotations.empty());
  ViewSet(pod, "podAnnotations", ViewPairs(annotations));
  const bool spread = serving && (c.autoscale ? c.autoscale->max : c.replicas.value_or(1)) > 1;
  ViewSet(pod, "spread", spread);
  Pairs spread_labels = SelectorLabels(c.meta);
  if (c.backend == Backend::kLeaderWorkerSet) spread_labels.emplace_back("kubectl-llm.dev/role", "leader");
  ViewSet(pod, "spreadLabels", ViewPairs(spread_labels));

  ViewSet(pod, "containerName", serving ? std::string(c.engine->name) : std::string(c.engine->name) + "-worker");
  ViewSet(pod, "command", ViewStrings(launch.command));
  ViewSet(pod, "hasArgs", !launch.args.empty());
  ViewSet(pod, "args", ViewStrings(launch.args));
  ViewData env = ViewList();
  if (c.hf_token_secret) ViewAppend(env, EnvSecret("HF_TOKEN", c.hf_token_secret->first, c.hf_token_secret->second));
  if (c.cache_pvc) ViewAppend(env, EnvValue("HF_HOME", "/models/huggingface"));
  for (const auto& [name, value] : c.env) ViewAppend(env, EnvValue(name, value));
  ViewSet(pod, "hasEnv", !env.is_empty_list());
  ViewSet(pod, "env", std::move(env));
  ViewSet(pod, "serving", serving);
  ViewSet(pod, "healthPath", std::string(c.engine->probe_path));
  ViewSet(pod, "startupFailureThreshold", ViewInt(kStartupFailureThreshold));
  return pod;
}

}  // namespace

RenderPlan ServeView(const ServeConfig& c) {
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(c.meta, view);
  AddWorkloadObjectView(c.meta, c.queue, view);
  ViewSet(view, "annotations", ViewPairs(Pairs{{std::string(kModelAnnotation), c.launch.model}}));
  ViewSet(view, "hasReplicas", c.replicas.has_value());
  ViewSet(view, "replicas", ViewInt(c.replicas.value_or(1)));
  ViewSet(view, "size", ViewInt(c.launch.nodes));
  ViewSet(view, "port", ViewInt(c.launch.port));
  ViewSet(view, "image", c.image);
  ViewSet(view, "gpus", ViewInt(c.gpus));
  ViewSet(view, "cpu", ViewOptional(c.cpu));
  ViewSet(view, "memory", ViewOptional(c.memory));
  ViewSet(view, "shmSize", c.shm_size);
  ViewSet(view, "cachePvc", ViewOptional(c.cache_pvc));
  AddSchedulingView(c.scheduling, view);

  Pairs pod_labels = StandardLabels(c.meta);
  Pairs service_selector = SelectorLabels(c.meta);
  if (c.backend == Backend::kLeaderWorkerSet) {
    Pairs leader_labels = pod_labels, worker_labels = pod_labels;
    leader_labels.emplace_back("kubectl-llm.dev/role", "leader");
    worker_labels.emplace_back("kubectl-llm.dev/role", "worker");
    service_selector.emplace_back("kubectl-llm.dev/role", "leader");
    // A list, so the template includes the pod partial once for both: parsing
    // a second copy was 9% of `render serve --nodes 2`'s instructions.
    ViewData leader = PodView(c, LeaderLaunch(*c.engine, c.launch), true, leader_labels);
    ViewData worker = PodView(c, WorkerLaunch(*c.engine, c.launch), false, worker_labels);
    ViewSet(leader, "templateField", "leaderTemplate");
    ViewSet(worker, "templateField", "workerTemplate");
    ViewData pod_templates = ViewList();
    ViewAppend(pod_templates, std::move(leader));
    ViewAppend(pod_templates, std::move(worker));
    ViewSet(view, "podTemplates", std::move(pod_templates));
  } else {
    ViewSet(view, "leader", PodView(c, LeaderLaunch(*c.engine, c.launch), true, pod_labels));
  }
  ViewSet(view, "serviceSelector", ViewPairs(service_selector));
  plan.notes = c.notes;
  if (c.pod_monitor_labels) {
    // The serving pods only: LeaderWorkerSet workers serve no metrics.
    ViewData monitor;
    ViewSet(monitor, "objectLabels", ViewPairs(*c.pod_monitor_labels));
    ViewSet(monitor, "podSelector", ViewPairs(service_selector));
    ViewSet(monitor, "metricsPath", std::string(c.engine->metrics_path));
    ViewSet(view, "podMonitor", std::move(monitor));
  }

  if (c.cache_pvc && c.cache_size) {
    ViewSet(view, "cacheSize", *c.cache_size);
    const bool shared = c.launch.nodes > 1 || c.replicas.value_or(1) > 1 || c.autoscale;
    ViewSet(view, "cacheAccessMode", shared ? "ReadWriteMany" : "ReadWriteOnce");
    plan.templates.push_back("serve/model-cache-pvc.yaml");
  }
  plan.templates.push_back("serve/service.yaml");
  plan.templates.push_back(c.backend == Backend::kLeaderWorkerSet ? "serve/leaderworkerset.yaml"
                                                                  : "serve/deployment.yaml");
  const int max_replicas = c.autoscale ? c.autoscale->max : c.replicas.value_or(1);
  if (max_replicas > 1) plan.templates.push_back("serve/poddisruptionbudget.yaml");
  if (c.autoscale) {
    const bool lws = c.backend == Backend::kLeaderWorkerSet;
    ViewSet(view, "targetApiVersion", lws ? "leaderworkerset.x-k8s.io/v1" : "apps/v1");
    ViewSet(view, "targetKind", lws ? "LeaderWorkerSet" : "Deployment");
    ViewSet(view, "minReplicas", ViewInt(c.autoscale->min));
    ViewSet(view, "maxReplicas", ViewInt(c.autoscale->max));
    if (c.autoscale->query) {
      ViewSet(view, "query", *c.autoscale->query);
      ViewSet(view, "metricType", c.autoscale->metric_type);
      ViewSet(view, "threshold", c.autoscale->target);
      ViewSet(view, "prometheusUrl", c.autoscale->prometheus_url);
      if (c.autoscale->wake_query) {
        ViewSet(view, "wakeQuery", *c.autoscale->wake_query);
        ViewSet(view, "wakeThreshold", c.autoscale->wake_target);
      }
      plan.templates.push_back("serve/scaledobject.yaml");
    } else {
      ViewSet(view, "cpuUtilization", ViewInt(kCpuUtilizationTarget));
      plan.templates.push_back("serve/hpa.yaml");
    }
  }
  if (c.pod_monitor_labels) plan.templates.push_back("serve/podmonitor.yaml");
  if (c.dashboard_label) {
    ViewData dashboard;
    const std::string name = c.meta.name + "-dashboard";
    ViewSet(dashboard, "name", name);
    Pairs labels = StandardLabels(c.meta);
    labels.push_back(*c.dashboard_label);
    ViewSet(dashboard, "objectLabels", ViewPairs(labels));
    ViewSet(dashboard, "fileName", c.meta.name + ".json");
    // The uid keeps Grafana's links and stars across re-applies: stable per
    // namespace and name, within Grafana's 40 characters.
    const std::string where = c.meta.namespace_.value_or("") + "/" + c.meta.name;
    const std::string uid = fmt::format("kubectl-llm-{:016x}", Fnv1a64(where));
    const std::string title = fmt::format("{} ({}{})", c.meta.name, c.engine->name,
                                          c.meta.namespace_ ? ", namespace " + *c.meta.namespace_ : "");
    const auto panels = DashboardPanels(*c.engine, WorkloadSeries{c.meta.namespace_, c.meta.name});
    ViewSet(dashboard, "json", DashboardJson(title, uid, panels).dump(2));
    ViewSet(view, "dashboard", std::move(dashboard));
    plan.templates.push_back("serve/dashboard.yaml");
  }
  return plan;
}

}  // namespace llm
