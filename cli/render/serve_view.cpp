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
  pod.set("podLabels", ViewPairs(pod_labels));
  Pairs annotations;
  if (serving) {
    annotations = {{"prometheus.io/path", std::string(c.engine->metrics_path)},
                   {"prometheus.io/port", std::to_string(c.launch.port)},
                   {"prometheus.io/scrape", "true"}};
  }
  pod.set("hasPodAnnotations", !annotations.empty());
  pod.set("podAnnotations", ViewPairs(annotations));
  const bool spread = serving && (c.autoscale ? c.autoscale->max : c.replicas.value_or(1)) > 1;
  pod.set("spread", spread);
  Pairs spread_labels = SelectorLabels(c.meta);
  if (c.backend == Backend::kLeaderWorkerSet) spread_labels.emplace_back("kubectl-llm.dev/role", "leader");
  pod.set("spreadLabels", ViewPairs(spread_labels));

  pod.set("containerName", serving ? std::string(c.engine->name) : std::string(c.engine->name) + "-worker");
  pod.set("command", ViewStrings(launch.command));
  pod.set("hasArgs", !launch.args.empty());
  pod.set("args", ViewStrings(launch.args));
  ViewData env = ViewList();
  if (c.hf_token_secret) env.push_back(EnvSecret("HF_TOKEN", c.hf_token_secret->first, c.hf_token_secret->second));
  if (c.cache_pvc) env.push_back(EnvValue("HF_HOME", "/models/huggingface"));
  for (const auto& [name, value] : c.env) env.push_back(EnvValue(name, value));
  pod.set("hasEnv", !env.is_empty_list());
  pod.set("env", env);
  pod.set("serving", serving);
  pod.set("healthPath", std::string(c.engine->probe_path));
  pod.set("startupFailureThreshold", ViewInt(kStartupFailureThreshold));
  return pod;
}

}  // namespace

RenderPlan ServeView(const ServeConfig& c) {
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(c.meta, view);
  AddWorkloadObjectView(c.meta, c.queue, view);
  view.set("annotations", ViewPairs(Pairs{{std::string(kModelAnnotation), c.launch.model}}));
  view.set("hasReplicas", c.replicas.has_value());
  view.set("replicas", ViewInt(c.replicas.value_or(1)));
  view.set("size", ViewInt(c.launch.nodes));
  view.set("port", ViewInt(c.launch.port));
  view.set("image", c.image);
  view.set("gpus", ViewInt(c.gpus));
  view.set("cpu", ViewOptional(c.cpu));
  view.set("memory", ViewOptional(c.memory));
  view.set("shmSize", c.shm_size);
  view.set("cachePvc", ViewOptional(c.cache_pvc));
  AddSchedulingView(c.scheduling, view);

  Pairs pod_labels = StandardLabels(c.meta);
  Pairs service_selector = SelectorLabels(c.meta);
  if (c.backend == Backend::kLeaderWorkerSet) {
    Pairs leader_labels = pod_labels, worker_labels = pod_labels;
    leader_labels.emplace_back("kubectl-llm.dev/role", "leader");
    worker_labels.emplace_back("kubectl-llm.dev/role", "worker");
    service_selector.emplace_back("kubectl-llm.dev/role", "leader");
    view.set("leader", PodView(c, LeaderLaunch(*c.engine, c.launch), true, leader_labels));
    view.set("worker", PodView(c, WorkerLaunch(*c.engine, c.launch), false, worker_labels));
  } else {
    view.set("leader", PodView(c, LeaderLaunch(*c.engine, c.launch), true, pod_labels));
  }
  view.set("serviceSelector", ViewPairs(service_selector));
  plan.notes = c.notes;
  if (c.pod_monitor_labels) {
    // The serving pods only: LeaderWorkerSet workers serve no metrics.
    ViewData monitor;
    monitor.set("objectLabels", ViewPairs(*c.pod_monitor_labels));
    monitor.set("podSelector", ViewPairs(service_selector));
    monitor.set("metricsPath", std::string(c.engine->metrics_path));
    view.set("podMonitor", monitor);
  }

  if (c.cache_pvc && c.cache_size) {
    view.set("cacheSize", *c.cache_size);
    const bool shared = c.launch.nodes > 1 || c.replicas.value_or(1) > 1 || c.autoscale;
    view.set("cacheAccessMode", shared ? "ReadWriteMany" : "ReadWriteOnce");
    plan.templates.push_back("serve/model-cache-pvc.yaml");
  }
  plan.templates.push_back("serve/service.yaml");
  plan.templates.push_back(c.backend == Backend::kLeaderWorkerSet ? "serve/leaderworkerset.yaml"
                                                                  : "serve/deployment.yaml");
  const int max_replicas = c.autoscale ? c.autoscale->max : c.replicas.value_or(1);
  if (max_replicas > 1) plan.templates.push_back("serve/poddisruptionbudget.yaml");
  if (c.autoscale) {
    const bool lws = c.backend == Backend::kLeaderWorkerSet;
    view.set("targetApiVersion", lws ? "leaderworkerset.x-k8s.io/v1" : "apps/v1");
    view.set("targetKind", lws ? "LeaderWorkerSet" : "Deployment");
    view.set("minReplicas", ViewInt(c.autoscale->min));
    view.set("maxReplicas", ViewInt(c.autoscale->max));
    if (c.autoscale->query) {
      view.set("query", *c.autoscale->query);
      view.set("metricType", c.autoscale->metric_type);
      view.set("threshold", c.autoscale->target);
      view.set("prometheusUrl", c.autoscale->prometheus_url);
      if (c.autoscale->wake_query) {
        view.set("wakeQuery", *c.autoscale->wake_query);
        view.set("wakeThreshold", c.autoscale->wake_target);
      }
      plan.templates.push_back("serve/scaledobject.yaml");
    } else {
      view.set("cpuUtilization", ViewInt(kCpuUtilizationTarget));
      plan.templates.push_back("serve/hpa.yaml");
    }
  }
  if (c.pod_monitor_labels) plan.templates.push_back("serve/podmonitor.yaml");
  if (c.dashboard_label) {
    ViewData dashboard;
    const std::string name = c.meta.name + "-dashboard";
    dashboard.set("name", name);
    Pairs labels = StandardLabels(c.meta);
    labels.push_back(*c.dashboard_label);
    dashboard.set("objectLabels", ViewPairs(labels));
    dashboard.set("fileName", c.meta.name + ".json");
    // The uid keeps Grafana's links and stars across re-applies: stable per
    // namespace and name, within Grafana's 40 characters.
    const std::string where = c.meta.namespace_.value_or("") + "/" + c.meta.name;
    const std::string uid = fmt::format("kubectl-llm-{:016x}", Fnv1a64(where));
    const std::string title = fmt::format("{} ({}{})", c.meta.name, c.engine->name,
                                          c.meta.namespace_ ? ", namespace " + *c.meta.namespace_ : "");
    const auto panels = DashboardPanels(*c.engine, WorkloadSeries{c.meta.namespace_, c.meta.name});
    dashboard.set("json", DashboardJson(title, uid, panels).dump(2));
    view.set("dashboard", dashboard);
    plan.templates.push_back("serve/dashboard.yaml");
  }
  return plan;
}

}  // namespace llm
