// `serve`: an inference server. One node per replica: Deployment + Service.
// Several nodes per replica: LeaderWorkerSet + Service on the leaders. Plus,
// when asked: model-cache PVC, PodDisruptionBudget, HPA or KEDA ScaledObject.
#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "render/autoscale_signal.h"
#include "render/k8s_names.h"
#include "render/quantity.h"
#include "render/serve_config.h"

namespace llm {
namespace {

// --engine's help names the engine table's rows, the first being the default.
const std::string& EngineHelp() {
  static const std::string help =
      "Inference engine: " + ServeEngineNames() + " (default " + std::string(ServeEngines().front().name) + ")";
  return help;
}

const std::array<ValueSpec, 30> kServeValues = {{
    {"engine", "--engine", ValueKind::kScalar, EngineHelp(), "NAME"},
    {"model", "--model", ValueKind::kScalar, "Hugging Face model id, or a path under /models in the model cache", "ID"},
    {"image", "--image", ValueKind::kScalar, "Container image (default: the engine's pinned image)", "IMAGE"},
    {"gpus", "--gpus", ValueKind::kScalar, "GPUs per pod (default 1)", "N"},
    {"tensorParallel", "--tensor-parallel", ValueKind::kScalar, "Tensor-parallel size, within a pod (default --gpus)",
     "N"},
    {"pipelineParallel", "--pipeline-parallel", ValueKind::kScalar, "Pipeline-parallel size (default --nodes)", "N"},
    {"nodes", "--nodes", ValueKind::kScalar, "Pods (nodes) per replica; more than 1 renders a LeaderWorkerSet", "N"},
    {"replicas", "--replicas", ValueKind::kScalar,
     "Replicas; when not given, a re-apply keeps what scale or an autoscaler set (new: 1)", "N"},
    {"maxModelLen", "--max-model-len", ValueKind::kScalar, "Maximum context length", "TOKENS"},
    {"port", "--port", ValueKind::kScalar, "Serving port (default 8000)", "PORT"},
    {"env", "--env", ValueKind::kMap, "Environment variable K=V (repeatable)", "KEY=VALUE"},
    {"args", "--arg", ValueKind::kList, "Extra engine argument (repeatable; use --arg=--flag)", "ARG"},
    {"cpu", "--cpu", ValueKind::kScalar, "CPU request per pod (quantity)", "QUANTITY"},
    {"memory", "--memory", ValueKind::kScalar, "Memory request and limit per pod (quantity)", "QUANTITY"},
    {"shmSize", "--shm-size", ValueKind::kScalar, "Size of the memory-backed /dev/shm (default 16Gi)", "QUANTITY"},
    {"hfTokenSecret", "--hf-token-secret", ValueKind::kScalar, "Secret NAME[:KEY] holding the HF token (key 'token')",
     "NAME[:KEY]"},
    {"modelCachePvc", "--model-cache-pvc", ValueKind::kScalar, "PVC NAME[:SIZE] mounted at /models; SIZE creates it",
     "NAME[:SIZE]"},
    {"gpuProduct", "--gpu-product", ValueKind::kScalar, "Required nvidia.com/gpu.product node label value", "PRODUCT"},
    {"nodeSelector", "--node-selector", ValueKind::kMap, "Node label K=V (repeatable)", "KEY=VALUE"},
    {"tolerations", "--toleration", ValueKind::kList, "Toleration key[=value][:effect] (repeatable)",
     "KEY[=VALUE][:EFFECT]"},
    {"priorityClass", "--priority-class", ValueKind::kScalar, "PriorityClass name", "NAME"},
    {"queue", "--queue", ValueKind::kScalar, "Kueue LocalQueue (kueue.x-k8s.io/queue-name label)", "NAME"},
    {"imagePullSecrets", "--image-pull-secret", ValueKind::kList, "Image pull Secret name (repeatable)", "NAME"},
    {"autoscale", "--autoscale", ValueKind::kScalar, "MIN:MAX replicas: an HPA on CPU, or KEDA with --autoscale-metric",
     "MIN:MAX"},
    {"autoscaleMetric", "--autoscale-metric", ValueKind::kScalar,
     "KEDA on the engine's own metric: queue[=5] (requests waiting per replica), kv-cache[=0.8] (KV-cache usage "
     "per replica), ttft[=1] (p95 seconds to first token), or a Prometheus metric NAME[=TARGET]",
     "SIGNAL[=TARGET]"},
    {"autoscaleWakeQuery", "--autoscale-wake-query", ValueKind::kScalar,
     "With --autoscale 0:MAX: a Prometheus query above 0 when the model must wake from zero replicas, on a series "
     "that exists while no pod runs (e.g. your gateway's pending requests for it); counted as waiting requests",
     "PROMQL"},
    {"prometheusUrl", "--prometheus-url", ValueKind::kScalar,
     "Prometheus for KEDA (default: the one found in the cluster, else "
     "http://prometheus-operated.monitoring.svc:9090)",
     "URL"},
    {"monitor", "--monitor", ValueKind::kSwitch,
     "A PodMonitor for the engine's metrics, labelled for the Prometheus that selects PodMonitors (without the "
     "Prometheus Operator: the pods' prometheus.io/scrape annotations)"},
    {"dashboard", "--dashboard", ValueKind::kSwitch,
     "A Grafana dashboard of the engine's metrics, as a ConfigMap for Grafana's dashboard sidecar"},
    {"dashboardLabel", "--dashboard-label", ValueKind::kScalar,
     "The label Grafana's sidecar finds dashboards by (default grafana_dashboard=1)", "KEY=VALUE"},
}};

constexpr std::string_view kModelMount = "/models";

// Character checks instead of std::regex for what has no length bound:
// libstdc++'s regex executor recurses once per character, so a long enough
// value (10 KiB in an ASan build) overflowed the stack instead of being refused.
constexpr std::string_view kUrlCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~:/?#[]@!$&'()*+,;=%";
constexpr std::string_view kModelPathCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._@+=-";
constexpr std::string_view kConfigKeyCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";

/// http:// or https:// and a non-empty rest of URL characters (RFC 3986's
/// unreserved, reserved and '%').
bool IsHttpUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!url.starts_with(scheme) || url.size() == scheme.size()) continue;
    return url.substr(scheme.size()).find_first_not_of(kUrlCharacters) == std::string_view::npos;
  }
  return false;
}

/// /models/A[/B...]: one or more non-empty segments of letters, digits and ._@+=-.
bool IsModelCachePath(std::string_view path) {
  if (!path.starts_with(kModelMount) || path.size() == kModelMount.size() || path.back() == '/') return false;
  std::string_view rest = path.substr(kModelMount.size());
  return rest.front() == '/' && rest.find("//") == std::string_view::npos &&
         rest.find_first_not_of(kModelPathCharacters) == std::string_view::npos;
}

// The dashboard sidecar's default label (kube-prometheus-stack's grafana chart:
// sidecar.dashboards.label and labelValue).
constexpr std::string_view kDashboardLabelKey = "grafana_dashboard";
constexpr std::string_view kDashboardLabelValue = "1";
// Longer than any real query; keeps a mistaken file content out of the object.
constexpr size_t kMaxWakeQueryBytes = 4096;

Result<std::optional<ServeAutoscale>> ParseAutoscale(const Values& v, const ServeEngine& engine,
                                                     const WorkloadMeta& meta) {
  std::optional<std::string> range = v.String("autoscale");
  std::optional<std::string> metric = v.String("autoscaleMetric");
  std::optional<std::string> url = v.String("prometheusUrl");
  std::optional<std::string> wake = v.String("autoscaleWakeQuery");
  if (!range) {
    for (const char* key : {"autoscaleMetric", "prometheusUrl", "autoscaleWakeQuery"}) {
      if (v.String(key)) return Usage(fmt::format("{} needs --autoscale MIN:MAX", v.Origin(key)));
    }
    return std::optional<ServeAutoscale>();
  }
  static const std::regex kRange(R"(^([0-9]{1,4}):([0-9]{1,4})$)");
  std::smatch m;
  ServeAutoscale a;
  if (!std::regex_match(*range, m, kRange) || (a.min = std::stoi(m[1])) > (a.max = std::stoi(m[2])) || a.max < 1) {
    return Usage(
        fmt::format("{}: expected MIN:MAX with 0 <= MIN <= MAX and MAX >= 1, got '{}'", v.Origin("autoscale"), *range));
  }
  if (!metric) {
    if (url || wake) {
      return Usage(fmt::format("{} is only used with --autoscale-metric (KEDA)",
                               v.Origin(url ? "prometheusUrl" : "autoscaleWakeQuery")));
    }
    if (a.min == 0) {
      return Usage(
          fmt::format("{}: MIN 0 needs --autoscale-metric (KEDA): a HorizontalPodAutoscaler cannot scale to zero "
                      "(minReplicas must be at least 1)",
                      v.Origin("autoscale")));
    }
    if (!v.String("cpu")) {
      return Usage(
          fmt::format("{} without --autoscale-metric scales on CPU utilization, which needs a CPU "
                      "request: set --cpu",
                      v.Origin("autoscale")));
    }
    return std::optional<ServeAutoscale>(a);
  }
  // WORD or a Prometheus metric name, then =TARGET (a positive number).
  static const std::regex kMetric(R"(^([a-zA-Z_:][a-zA-Z0-9_:-]{0,199})(=([0-9]{1,9}(\.[0-9]{1,6})?))?$)");
  static const std::regex kMetricName(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*$)");
  const AutoscaleSignalRow* signal = nullptr;
  if (std::regex_match(*metric, m, kMetric)) signal = FindAutoscaleSignal(m[1].str());
  if (m.empty() || (signal == nullptr && !std::regex_match(m[1].str(), kMetricName))) {
    return Usage(
        fmt::format("{}: expected one of {} or a Prometheus metric name, optionally '=TARGET' "
                    "(a positive number), got '{}'",
                    v.Origin("autoscaleMetric"), AutoscaleSignalWords(), *metric));
  }
  const WorkloadSeries where{meta.namespace_, meta.name};
  if (signal != nullptr) {
    auto query = AutoscaleQuery(*signal, engine, where);
    if (!query.ok()) return Usage(fmt::format("{}: {}", v.Origin("autoscaleMetric"), query.error().message()));
    a.query = *query;
    a.metric_type = std::string(signal->metric_type);
    a.target = m[3].matched ? m[3].str() : std::string(signal->default_target);
  } else {
    // A metric of the user's own, summed over the pods: a per-replica target.
    a.query = fmt::format("sum({}{{{}}})", m[1].str(), SeriesSelector(where));
    a.metric_type = "AverageValue";
    a.target = m[3].matched ? m[3].str() : std::string(FindAutoscaleSignal("queue")->default_target);
  }
  if (wake) {
    if (a.min != 0) {
      return Usage(fmt::format("{} is only used with --autoscale 0:MAX (MIN is {}: the model never sleeps)",
                               v.Origin("autoscaleWakeQuery"), a.min));
    }
    if (wake->find_first_not_of(" \t") == std::string::npos || wake->size() > kMaxWakeQueryBytes) {
      return Usage(fmt::format("{}: expected a PromQL expression of at most {} bytes", v.Origin("autoscaleWakeQuery"),
                               kMaxWakeQueryBytes));
    }
    a.wake_query = *wake;
    a.wake_target = std::string(FindAutoscaleSignal("queue")->default_target);
  }
  a.prometheus_url = url.value_or(std::string(kDefaultPrometheusUrl));
  if (!IsHttpUrl(a.prometheus_url)) {
    return Usage(fmt::format("{}: expected an http:// or https:// URL", v.Origin("prometheusUrl")));
  }
  return std::optional<ServeAutoscale>(a);
}

/// What --autoscale 0:MAX means for the requests that find no pod.
std::string ScaleToZeroNote(const ServeAutoscale& autoscale, const std::string& name) {
  const std::string cold_start = fmt::format(
      "{} scales to zero replicas when idle: the first request after that waits for a cold start (the model "
      "loading again, up to {} minutes, the startup probe's budget)",
      name, kStartupFailureThreshold * kStartupProbePeriodSeconds / 60);
  if (autoscale.wake_query) return cold_start + "; --autoscale-wake-query wakes it";
  return cold_start + fmt::format(
                          ", and nothing wakes it by itself: the engine's metrics vanish with its last pod. Wake it "
                          "with `kubectl llm scale {} --min 1`, or give --autoscale-wake-query a series that exists "
                          "at zero replicas (a gateway's pending requests)",
                          name);
}

/// --dashboard and --dashboard-label KEY=VALUE: the ConfigMap's sidecar label.
Result<std::optional<std::pair<std::string, std::string>>> ParseDashboard(const Values& v, const WorkloadMeta& meta) {
  LLM_ASSIGN_OR_RETURN(bool dashboard, v.Bool("dashboard"));
  std::optional<std::string> label = v.String("dashboardLabel");
  if (!dashboard) {
    if (label) return Usage(fmt::format("{} needs --dashboard", v.Origin("dashboardLabel")));
    return std::optional<std::pair<std::string, std::string>>();
  }
  if (!label) {
    return std::optional<std::pair<std::string, std::string>>(
        std::pair<std::string, std::string>(kDashboardLabelKey, kDashboardLabelValue));
  }
  const size_t eq = label->find('=');
  if (eq == std::string::npos || eq == 0) {
    return Usage(fmt::format("{}: expected KEY=VALUE (e.g. {}={}), got '{}'", v.Origin("dashboardLabel"),
                             kDashboardLabelKey, kDashboardLabelValue, *label));
  }
  std::pair<std::string, std::string> out(label->substr(0, eq), label->substr(eq + 1));
  LLM_RETURN_IF_ERROR(CheckLabelKey(out.first, v.Origin("dashboardLabel")));
  LLM_RETURN_IF_ERROR(CheckLabelValue(out.second, v.Origin("dashboardLabel")));
  for (const auto& [key, value] : StandardLabels(meta)) {
    if (key == out.first) {
      return Usage(
          fmt::format("{}: {} is a label kubectl-llm sets itself; use another key", v.Origin("dashboardLabel"), key));
    }
  }
  return std::optional<std::pair<std::string, std::string>>(std::move(out));
}

/// [ORG/]NAME, each part 1-96 characters of [A-Za-z0-9._-] starting with a letter or digit.
bool IsHuggingFaceId(std::string_view id) {
  const auto part_ok = [](std::string_view p) {
    return !p.empty() && p.size() <= 96 && std::isalnum(static_cast<unsigned char>(p.front())) &&
           p.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
               std::string_view::npos;
  };
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return part_ok(id);
  return part_ok(id.substr(0, slash)) && part_ok(id.substr(slash + 1));
}

/// A Hugging Face id (org/name) or an absolute path inside the model cache.
Result<std::pair<std::string, bool>> ParseModel(const Values& v, bool has_cache) {
  std::optional<std::string> model = v.String("model");
  if (!model)
    return Usage("--model is required: a Hugging Face id (e.g. Qwen/Qwen2.5-7B-Instruct) or a path under /models");
  if (model->starts_with('/')) {
    if (!IsModelCachePath(*model) || model->find("/..") != std::string::npos) {
      return Usage(
          fmt::format("{}: a model path must lie under {} (the model cache) and use only letters, "
                      "digits and ._@+=-, got '{}'",
                      v.Origin("model"), kModelMount, *model));
    }
    if (!has_cache)
      return Usage(fmt::format("{}: a model path needs --model-cache-pvc to mount {}", v.Origin("model"), kModelMount));
    return std::pair<std::string, bool>(*model, true);
  }
  if (!IsHuggingFaceId(*model)) {
    return Usage(
        fmt::format("{}: '{}' is not a Hugging Face model id (ORG/NAME of letters, digits, '.', '_', "
                    "'-') nor a path under {}",
                    v.Origin("model"), *model, kModelMount));
  }
  return std::pair<std::string, bool>(*model, false);
}

Result<std::optional<std::pair<std::string, std::string>>> ParseNameKey(const Values& v, std::string_view key,
                                                                        std::string default_key) {
  std::optional<std::string> text = v.String(key);
  if (!text) return std::optional<std::pair<std::string, std::string>>();
  const size_t colon = text->find(':');
  std::pair<std::string, std::string> out{text->substr(0, colon),
                                          colon == std::string::npos ? default_key : text->substr(colon + 1)};
  LLM_RETURN_IF_ERROR(CheckObjectName(out.first, v.Origin(key)));
  if (out.second.empty() || out.second.size() > 253 ||
      out.second.find_first_not_of(kConfigKeyCharacters) != std::string::npos) {
    return Usage(fmt::format("{}: the key '{}' must be letters, digits, '-', '_' or '.'", v.Origin(key), out.second));
  }
  return std::optional<std::pair<std::string, std::string>>(std::move(out));
}

}  // namespace

std::span<const ValueSpec> ServeValueSpecs() { return kServeValues; }

Result<ServeConfig> BuildServeConfig(const WorkloadRequest& r) {
  const Values& v = r.values;
  ServeConfig c;
  const std::string engine_name = v.String("engine").value_or(std::string(ServeEngines().front().name));
  c.engine = FindServeEngine(engine_name);
  if (c.engine == nullptr) {
    return Usage(
        fmt::format("{}: unknown engine '{}'; use one of {}", v.Origin("engine"), engine_name, ServeEngineNames()));
  }
  c.meta = WorkloadMeta{r.name, r.namespace_, std::string(c.engine->name), "serve"};

  LLM_ASSIGN_OR_RETURN(c.gpus, IntOr(v, "gpus", 1, 64, 1));
  LLM_ASSIGN_OR_RETURN(c.launch.nodes, IntOr(v, "nodes", 1, 512, 1));
  LLM_ASSIGN_OR_RETURN(c.launch.tensor_parallel, IntOr(v, "tensorParallel", 1, 64, c.gpus));
  LLM_ASSIGN_OR_RETURN(c.launch.pipeline_parallel, IntOr(v, "pipelineParallel", 1, 512, c.launch.nodes));
  const int tp = c.launch.tensor_parallel, pp = c.launch.pipeline_parallel, nodes = c.launch.nodes;
  if (!c.engine->multi_node() && nodes > 1) {
    return Usage(fmt::format("{}: the {} engine runs on one node only; use --engine {} for --nodes {}",
                             v.Origin("nodes"), c.engine->name,
                             ServeEngineNames([](const ServeEngine& e) { return e.multi_node(); }), nodes));
  }
  if (!c.engine->pipeline_parallel && pp > 1) {
    return Usage(
        fmt::format("{}: the {} engine has no pipeline parallelism", v.Origin("pipelineParallel"), c.engine->name));
  }
  if (tp > c.gpus) {
    return Usage(
        fmt::format("{} {} is larger than --gpus {} per pod: tensor parallelism stays inside a pod; "
                    "use --pipeline-parallel across nodes",
                    v.Origin("tensorParallel"), tp, c.gpus));
  }
  if (tp * pp != c.gpus * nodes) {
    return Usage(
        fmt::format("--tensor-parallel {} x --pipeline-parallel {} = {} must equal --gpus {} x --nodes {} = {}", tp, pp,
                    tp * pp, c.gpus, nodes, c.gpus * nodes));
  }
  LLM_ASSIGN_OR_RETURN(c.backend, ChooseServeBackend(nodes, r.served, r.backend));

  LLM_ASSIGN_OR_RETURN(std::optional<long long> replicas, v.Int("replicas", 1, 10000));
  if (replicas) c.replicas = static_cast<int>(*replicas);
  LLM_ASSIGN_OR_RETURN(c.launch.port, IntOr(v, "port", 1, 65535, 8000));
  LLM_ASSIGN_OR_RETURN(c.launch.max_model_len, v.Int("maxModelLen", 1, 100'000'000));
  LLM_ASSIGN_OR_RETURN(c.autoscale, ParseAutoscale(v, *c.engine, c.meta));
  if (c.autoscale && c.autoscale->min == 0) c.notes.push_back(ScaleToZeroNote(*c.autoscale, c.meta.name));
  if (c.autoscale && replicas) {
    return Usage(fmt::format("{} and {} conflict: with --autoscale the autoscaler owns the replica count",
                             v.Origin("replicas"), v.Origin("autoscale")));
  }
  if (c.autoscale && c.autoscale->query) {
    LLM_RETURN_IF_ERROR(RequireServed(r.served, kScaledObjectKind, "--autoscale-metric"));
  }

  if (std::optional<std::string> cache = v.String("modelCachePvc")) {
    const size_t colon = cache->find(':');
    c.cache_pvc = cache->substr(0, colon);
    LLM_RETURN_IF_ERROR(CheckObjectName(*c.cache_pvc, v.Origin("modelCachePvc")));
    if (colon != std::string::npos) {
      c.cache_size = cache->substr(colon + 1);
      LLM_RETURN_IF_ERROR(CheckPositiveQuantity(*c.cache_size, v.Origin("modelCachePvc") + " SIZE"));
    }
  }
  LLM_ASSIGN_OR_RETURN(auto model, ParseModel(v, c.cache_pvc.has_value()));
  c.launch.model = model.first;
  c.model_is_path = model.second;
  if (c.model_is_path) c.launch.served_model_name = r.name;
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> image, ImageReference(v, "image"));
  c.image = image.value_or(std::string(c.engine->default_image));
  c.launch.user_args = v.List("args");

  // serve_view.cpp sets these from --hf-token-secret and --model-cache-pvc.
  LLM_ASSIGN_OR_RETURN(c.env, UserEnv(v, "env", {"HF_TOKEN", "HF_HOME"}));

  LLM_ASSIGN_OR_RETURN(c.cpu, Quantity(v, "cpu"));
  LLM_ASSIGN_OR_RETURN(c.memory, Quantity(v, "memory"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> shm, Quantity(v, "shmSize", "16Gi"));
  c.shm_size = *shm;
  LLM_ASSIGN_OR_RETURN(c.hf_token_secret, ParseNameKey(v, "hfTokenSecret", "token"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.node_selector, NodeSelector(v, "nodeSelector", "gpuProduct"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.tolerations, Tolerations(v, "tolerations"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.image_pull_secrets, ImagePullSecrets(v, "imagePullSecrets"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.priority_class, ObjectNameValue(v, "priorityClass"));
  LLM_ASSIGN_OR_RETURN(c.queue, KueueQueue(v, "queue"));
  LLM_ASSIGN_OR_RETURN(c.dashboard_label, ParseDashboard(v, c.meta));
  LLM_ASSIGN_OR_RETURN(bool monitor, v.Bool("monitor"));
  if (monitor && r.served && r.served->count(kPodMonitorKind) == 0) {
    c.notes.push_back(fmt::format(
        "the Prometheus Operator's PodMonitor (monitoring.coreos.com/v1) is not served, so no PodMonitor: the pods "
        "carry prometheus.io/scrape, prometheus.io/port ({}) and prometheus.io/path ({}) annotations instead, which "
        "a Prometheus with the usual kubernetes_sd relabeling scrapes",
        c.launch.port, c.engine->metrics_path));
  } else if (monitor) {
    c.pod_monitor_labels = StandardLabels(c.meta);
    // A key the tool sets itself keeps its value (PickPrometheus never asks otherwise).
    for (const auto& label : r.pod_monitor_labels) {
      if (std::none_of(c.pod_monitor_labels->begin(), c.pod_monitor_labels->end(),
                       [&](const auto& own) { return own.first == label.first; })) {
        c.pod_monitor_labels->push_back(label);
      }
    }
  }

  // Derived names: LeaderWorkerSet names each group's StatefulSet NAME-<group> and
  // its revision label NAME-<group>-<10-character hash>, all within 63.
  if (c.backend == Backend::kLeaderWorkerSet) {
    const int max_replicas = c.autoscale ? c.autoscale->max : c.replicas.value_or(1);
    const size_t suffix = 2 + std::to_string(max_replicas - 1).size() + 10;
    LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, suffix, "LeaderWorkerSet appends '-<group>-<revision hash>'"));
  } else {
    LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, 0, "the Service is named NAME"));
  }
  return c;
}

}  // namespace llm
