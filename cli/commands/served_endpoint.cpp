#include "commands/served_endpoint.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "kube/well_known_names.h"

namespace llm {
namespace {

// Not in core/v1, so not among kube::core's refs; only this file reads them.
kube::ResourceRef EndpointSlices(std::string ns) {
  return {"discovery.k8s.io", "v1", "endpointslices", std::move(ns), "", ""};
}
constexpr std::string_view kServiceNameLabel = "kubernetes.io/service-name";

/// The pod template of the serving pods: the Deployment's, or the
/// LeaderWorkerSet's leader template (its worker template when it has none).
const nlohmann::json* ServingTemplate(const nlohmann::json& workload) {
  if (const nlohmann::json* t = FindPath(workload, {"spec", "template"})) return t;
  if (const nlohmann::json* t = FindPath(workload, {"spec", "leaderWorkerTemplate", "leaderTemplate"})) return t;
  return FindPath(workload, {"spec", "leaderWorkerTemplate", "workerTemplate"});
}

/// The container named after the engine (serve's serving container), else the first.
const nlohmann::json* ServingContainer(const nlohmann::json& pod_spec_holder, const ServeEngine& engine) {
  const nlohmann::json& containers = ArrayAt(pod_spec_holder, {"spec", "containers"});
  for (const nlohmann::json& c : containers) {
    if (StringAt(c, {"name"}) == engine.name) return &c;
  }
  return containers.empty() ? nullptr : &containers[0];
}

int NamedPort(const nlohmann::json* container, std::string_view name) {
  if (container == nullptr) return 0;
  for (const nlohmann::json& p : ArrayAt(*container, {"ports"})) {
    if (StringAt(p, {"name"}) == name) return static_cast<int>(IntAt(p, {"containerPort"}));
  }
  return 0;
}

std::string SelectorText(const nlohmann::json& match_labels) {
  std::string out;
  if (!match_labels.is_object()) return out;
  for (const auto& [key, value] : match_labels.items()) {
    if (!value.is_string()) continue;
    if (!out.empty()) out += ',';
    out += key + "=" + value.get<std::string>();
  }
  return out;
}

}  // namespace

std::string ServedModelName(const ServeEngine& engine, const nlohmann::json& container, const std::string& model) {
  if (engine.served_name_flag.empty()) return model;
  std::string served;
  for (const char* field : {"command", "args"}) {
    const nlohmann::json& words = ArrayAt(container, {field});
    for (size_t i = 0; i < words.size(); ++i) {
      if (!words[i].is_string()) continue;
      const std::string word = words[i];
      const std::string with_value = std::string(engine.served_name_flag) + "=";
      if (word == engine.served_name_flag && i + 1 < words.size() && words[i + 1].is_string()) {
        served = words[i + 1];  // the last one wins, as argparse takes it
      } else if (word.starts_with(with_value)) {
        served = word.substr(with_value.size());
      }
    }
  }
  return served.empty() ? model : served;
}

Result<ServedEndpoint> ResolveServedEndpoint(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                             const std::string& name) {
  ServedEndpoint out;
  out.name = name;
  out.ns = ns;
  auto workload = FindManagedWorkload(client, mapper, ns, name, ServingWorkloadKinds());
  if (!workload.ok() && workload.error().kind() == ErrorKind::kNotFound) {
    workload = FindManagedWorkload(client, mapper, ns, name);  // a workload of another kind is named as what it is
  }
  if (!workload.ok()) return workload.error();
  out.workload = std::move(*workload);
  const nlohmann::json& object = out.workload.object;
  const std::string what = fmt::format("{}/{}", out.workload.mapping.kind, name);
  if (LabelOf(object, kComponentLabel) != "serve") {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} does not serve a model ({}={}): test and metrics need a workload made by "
                             "`kubectl llm serve`",
                             what, kComponentLabel, LabelOf(object, kComponentLabel)));
  }
  const std::string engine_name = LabelOf(object, kNameLabel);
  out.engine = FindServeEngine(engine_name);
  if (out.engine == nullptr) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{} runs engine '{}' ({}), which kubectl-llm does not know; "
                                                       "known engines: {}",
                                                       what, engine_name, kNameLabel, ServeEngineNames()));
  }
  out.desired = IntAt(object, {"spec", "replicas"}, 1);
  const nlohmann::json* pod_template = ServingTemplate(object);
  const nlohmann::json* container = pod_template != nullptr ? ServingContainer(*pod_template, *out.engine) : nullptr;
  const std::string model = AnnotationOf(object, kModelAnnotation);
  out.served_model = container != nullptr ? ServedModelName(*out.engine, *container, model) : model;

  auto service = client.Get(kube::core::Services(ns, name));
  if (!service.ok()) {
    if (service.error().kind() != ErrorKind::kNotFound) return service.error();
    return Error(ErrorKind::kNotFound,
                 fmt::format("{} has no Service \"{}\" (serve renders one of that name); re-run serve to restore it",
                             what, name));
  }
  out.service = name;
  for (const nlohmann::json& port : ArrayAt(*service, {"spec", "ports"})) {
    if (out.service_port == 0 || StringAt(port, {"name"}) == "http") {
      out.service_port = static_cast<int>(IntAt(port, {"port"}));
    }
  }

  // Serving pods: those the Service selects, plus any endpoint whose pod is gone.
  std::map<std::string, ServingPod> pods;
  kube::ListOptions pod_options;
  pod_options.label_selector =
      SelectorText(FindPath(*service, {"spec", "selector"}) != nullptr ? *FindPath(*service, {"spec", "selector"})
                                                                       : nlohmann::json::object());
  if (!pod_options.label_selector.empty()) {
    LLM_ASSIGN_OR_RETURN(nlohmann::json list, client.List(kube::core::Pods(ns), pod_options));
    for (const nlohmann::json& pod : ItemsOf(list)) {
      if (FindPath(pod, {"metadata", "deletionTimestamp"}) != nullptr) continue;  // on its way out
      ServingPod p;
      p.name = NameOf(pod);
      p.ip = StringAt(pod, {"status", "podIP"});
      p.phase = StringAt(pod, {"status", "phase"});
      p.port = NamedPort(ServingContainer(pod, *out.engine), "http");
      const std::string metrics_port = AnnotationOf(pod, "prometheus.io/port");
      p.metrics_port = metrics_port.empty() ? 0 : std::atoi(metrics_port.c_str());
      p.metrics_path = AnnotationOf(pod, "prometheus.io/path");
      pods[p.name] = std::move(p);
    }
  }
  kube::ListOptions slice_options;
  slice_options.label_selector = fmt::format("{}={}", kServiceNameLabel, name);
  LLM_ASSIGN_OR_RETURN(nlohmann::json slices, client.List(EndpointSlices(ns), slice_options));
  for (const nlohmann::json& slice : ItemsOf(slices)) {
    int slice_port = 0;
    for (const nlohmann::json& port : ArrayAt(slice, {"ports"})) {
      if (slice_port == 0 || StringAt(port, {"name"}) == "http") slice_port = static_cast<int>(IntAt(port, {"port"}));
    }
    for (const nlohmann::json& endpoint : ArrayAt(slice, {"endpoints"})) {
      if (StringAt(endpoint, {"targetRef", "kind"}) != "Pod") continue;
      const std::string pod_name = StringAt(endpoint, {"targetRef", "name"});
      ServingPod& p = pods[pod_name];
      p.name = pod_name;
      p.has_endpoint = true;
      const nlohmann::json* ready = FindPath(endpoint, {"conditions", "ready"});
      p.ready = ready == nullptr || !ready->is_boolean() || ready->get<bool>();
      if (slice_port != 0) p.port = slice_port;
      const nlohmann::json& addresses = ArrayAt(endpoint, {"addresses"});
      if (p.ip.empty() && !addresses.empty() && addresses[0].is_string()) p.ip = addresses[0];
    }
  }
  for (auto& [pod_name, p] : pods) {
    if (p.port == 0) p.port = out.service_port;
    if (p.metrics_port == 0) p.metrics_port = p.port;
    if (p.metrics_path.empty()) p.metrics_path = std::string(out.engine->metrics_path);
    out.pods.push_back(std::move(p));
  }
  return out;
}

}  // namespace llm
