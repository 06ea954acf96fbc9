#include "render/render_pipeline.h"

#include <doctest/doctest.h>

#include "render/manifest_printer.h"

namespace llm {
namespace {

ReadFileFn Files(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) -> Result<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return Error(ErrorKind::kUsage, "cannot read '" + path + "'");
    return it->second;
  };
}

std::vector<std::string> Kinds(const std::vector<Json>& manifests) {
  std::vector<std::string> kinds;
  for (const Json& m : manifests) kinds.push_back(m["kind"]);
  return kinds;
}

TEST_CASE("train renders a JobSet when served and an Indexed Job + headless Service otherwise") {
  RenderRequest r;
  r.workload = "train";
  r.name = "job";
  r.flags = {{"image", {"img:1"}}, {"nodes", {"2"}}};
  r.trailing = {"torchrun", "t.py"};
  auto templates = EmbeddedTemplateSource();

  r.served = std::set<std::string, std::less<>>{std::string(kJobSetKind)};
  auto with_jobset = RenderManifests(r, *templates, Files({}));
  REQUIRE(with_jobset.ok());
  CHECK(Kinds(*with_jobset) == std::vector<std::string>{"JobSet"});

  r.served = std::set<std::string, std::less<>>{};
  auto core_only = RenderManifests(r, *templates, Files({}));
  REQUIRE(core_only.ok());
  CHECK(Kinds(*core_only) == std::vector<std::string>{"Service", "Job"});
  const Json& svc = (*core_only)[0];
  CHECK(svc["spec"]["clusterIP"] == "None");
  CHECK(svc["spec"]["publishNotReadyAddresses"] == true);
  const Json& pod = (*core_only)[1]["spec"]["template"]["spec"];
  CHECK(pod["subdomain"] == "job");
  CHECK(pod["containers"][0]["env"][0] == Json({{"name", "MASTER_ADDR"}, {"value", "job-0.job"}}));
}

TEST_CASE("serve writes a replica count only when the user gave one, so a re-apply keeps what scale set") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.flags = {{"model", {"org/m"}}};
  auto templates = EmbeddedTemplateSource();
  auto implicit = RenderManifests(r, *templates, Files({}));
  REQUIRE(implicit.ok());
  CHECK(Kinds(*implicit) == std::vector<std::string>{"Service", "Deployment"});
  CHECK_FALSE((*implicit)[1]["spec"].contains("replicas"));

  r.flags["replicas"] = {"1"};
  auto explicit_one = RenderManifests(r, *templates, Files({}));
  REQUIRE(explicit_one.ok());
  CHECK((*explicit_one)[1]["spec"]["replicas"] == 1);

  r.flags.erase("replicas");
  r.set_values = {"replicas=2"};
  auto from_set = RenderManifests(r, *templates, Files({}));
  REQUIRE(from_set.ok());
  CHECK((*from_set)[1]["spec"]["replicas"] == 2);
}

TEST_CASE("serve on several nodes without the LWS CRD names what to install") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "big";
  r.flags = {{"model", {"org/m"}}, {"gpus", {"8"}}, {"nodes", {"2"}}};
  r.served = std::set<std::string, std::less<>>{};
  auto result = RenderManifests(r, *EmbeddedTemplateSource(), Files({}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind() == ErrorKind::kNotFound);
  CHECK(result.error().message().find("install LeaderWorkerSet") != std::string::npos);
}

TEST_CASE("--autoscale-metric without KEDA served names what to install") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.flags = {{"model", {"org/m"}}, {"autoscale", {"0:2"}}, {"autoscaleMetric", {"queue"}}};
  r.served = std::set<std::string, std::less<>>{};
  auto result = RenderManifests(r, *EmbeddedTemplateSource(), Files({}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message().find("install KEDA") != std::string::npos);
}

TEST_CASE("values files and patches come through the injected reader") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.value_files = {"v.yaml"};
  r.patches = {"deployment/chat=p.yaml"};
  auto files = Files({{"v.yaml", "model: org/m\nreplicas: 2\n"}, {"p.yaml", "spec:\n  replicas: 5\n"}});
  auto result = RenderManifests(r, *EmbeddedTemplateSource(), files);
  REQUIRE(result.ok());
  CHECK(Kinds(*result) == std::vector<std::string>{"Service", "Deployment", "PodDisruptionBudget"});
  CHECK((*result)[1]["spec"]["replicas"] == 5);
}

TEST_CASE("a patch that breaks an object is caught by the checks after patching") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.flags = {{"model", {"org/m"}}};
  r.patches = {"service/chat=p.yaml"};
  auto result =
      RenderManifests(r, *EmbeddedTemplateSource(), Files({{"p.yaml", "metadata:\n  labels:\n    tier: [a, b]\n"}}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message().starts_with("after --patch: Service chat: metadata.labels.tier must be a string"));
}

TEST_CASE("templates from a directory replace the built-in ones, broken ones fail clearly") {
  std::map<std::string, std::string, std::less<>> files;
  for (const EmbeddedFile& f : EmbeddedTemplates()) files[std::string(f.path)] = std::string(f.content);
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.flags = {{"model", {"org/m"}}};

  auto custom = files;
  custom["serve/service.yaml.mustache"].replace(custom["serve/service.yaml.mustache"].find("  type: ClusterIP"), 17,
                                                "  type: NodePort");
  auto result = RenderManifests(r, *MapTemplateSource(custom), Files({}));
  REQUIRE(result.ok());
  CHECK((*result)[0]["spec"]["type"] == "NodePort");

  auto broken = files;
  broken["serve/service.yaml.mustache"] += "  oops: [\n";
  result = RenderManifests(r, *MapTemplateSource(broken), Files({}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message().starts_with("the rendered template does not parse back: serve/service.yaml"));

  auto unnamed = files;
  unnamed["serve/service.yaml.mustache"] = "apiVersion: v1\nkind: Service\nmetadata: {}\n";
  result = RenderManifests(r, *MapTemplateSource(unnamed), Files({}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message().find("metadata.name must be a DNS-1123 subdomain") != std::string::npos);

  auto missing = files;
  missing.erase("serve/deployment.yaml.mustache");
  result = RenderManifests(r, *MapTemplateSource(missing), Files({}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message().find("serve/deployment.yaml.mustache") != std::string::npos);
}

TEST_CASE("-o json prints a v1 List, YAML a stream of documents") {
  const std::vector<Json> manifests = {Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"a"}})")};
  const Json list = Json::parse(FormatManifests(manifests, OutputFormat::kJson));
  CHECK(list["apiVersion"] == "v1");
  CHECK(list["kind"] == "List");
  CHECK(list["items"].size() == 1);
  CHECK(FormatManifests(manifests, OutputFormat::kYaml) ==
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n");
  CHECK(FormatManifests(manifests, OutputFormat::kTable) == FormatManifests(manifests, OutputFormat::kYaml));
}

}  // namespace
}  // namespace llm

namespace llm {
namespace {

TEST_CASE("serve --monitor: a PodMonitor with the Prometheus labels the command found, or annotations and a note") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.flags = {{"model", {"org/m"}}, {"monitor", {"true"}}};
  auto templates = EmbeddedTemplateSource();

  r.served = std::set<std::string, std::less<>>{std::string(kPodMonitorKind)};
  r.pod_monitor_labels = {{"release", "kps"}, {"app.kubernetes.io/instance", "chat"}};
  std::vector<std::string> notes;
  auto served = RenderManifests(r, *templates, Files({}), nullptr, &notes);
  REQUIRE_MESSAGE(served.ok(), (served.ok() ? "" : served.error().message()));
  CHECK(Kinds(*served) == std::vector<std::string>{"Service", "Deployment", "PodMonitor"});
  const Json& monitor = served->back();
  CHECK(monitor["metadata"]["labels"]["release"] == "kps");
  CHECK(monitor["metadata"]["labels"].size() == 5);  // the four standard labels, the one found added once
  CHECK(monitor["spec"]["podMetricsEndpoints"][0]["path"] == "/metrics");
  CHECK(monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/instance"] == "chat");
  CHECK(notes.empty());

  r.served = std::set<std::string, std::less<>>{};
  auto fallback = RenderManifests(r, *templates, Files({}), nullptr, &notes);
  REQUIRE(fallback.ok());
  CHECK(Kinds(*fallback) == std::vector<std::string>{"Service", "Deployment"});
  CHECK(fallback->back()["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"] == "true");
  CHECK(notes == std::vector<std::string>{
                     "the Prometheus Operator's PodMonitor (monitoring.coreos.com/v1) is not served, so no PodMonitor: "
                     "the pods carry prometheus.io/scrape, prometheus.io/port (8000) and prometheus.io/path (/metrics) "
                     "annotations instead, which a Prometheus with the usual kubernetes_sd relabeling scrapes"});

  r.flags["monitor"] = {"maybe"};
  auto bad = RenderManifests(r, *templates, Files({}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "--monitor: must be true or false, got 'maybe'");
}

TEST_CASE("a tenant's defaults (queue, priority class) fill in only what no flag, --set or -f gave") {
  RenderRequest r;
  r.workload = "train";
  r.name = "job";
  r.flags = {{"image", {"img:1"}}};
  r.trailing = {"python", "t.py"};
  r.served = std::set<std::string, std::less<>>{};
  r.context_defaults = {{"queue", {"ml", "tenant ml"}}, {"priorityClass", {"kubectl-llm-training", "tenant ml"}}};
  auto templates = EmbeddedTemplateSource();
  auto label = [](const std::vector<Json>& manifests) {
    return manifests.back()["metadata"]["labels"].value("kueue.x-k8s.io/queue-name", "");
  };

  std::set<std::string> used;
  auto defaulted = RenderManifests(r, *templates, Files({}), &used);
  REQUIRE_MESSAGE(defaulted.ok(), (defaulted.ok() ? "" : defaulted.error().message()));
  CHECK(label(*defaulted) == "ml");
  CHECK(used == std::set<std::string>{"priorityClass", "queue"});

  used.clear();
  r.flags["queue"] = {"other"};
  auto flag = RenderManifests(r, *templates, Files({}), &used);
  REQUIRE(flag.ok());
  CHECK(label(*flag) == "other");
  CHECK(used == std::set<std::string>{"priorityClass"});

  used.clear();
  r.flags.erase("queue");
  r.value_files = {"v.yaml"};
  auto file = RenderManifests(r, *templates, Files({{"v.yaml", "queue: from-file\n"}}), &used);
  REQUIRE(file.ok());
  CHECK(label(*file) == "from-file");
  CHECK(used.count("queue") == 0);
}

}  // namespace
}  // namespace llm

namespace llm {
namespace {

TEST_CASE("serve --autoscale 0:MAX: a note on the cold start, and on what wakes it") {
  RenderRequest r;
  r.workload = "serve";
  r.name = "chat";
  r.flags = {{"model", {"org/m"}}, {"autoscale", {"0:4"}}, {"autoscaleMetric", {"queue"}}};
  auto templates = EmbeddedTemplateSource();
  std::vector<std::string> notes;
  auto asleep = RenderManifests(r, *templates, Files({}), nullptr, &notes);
  REQUIRE_MESSAGE(asleep.ok(), (asleep.ok() ? "" : asleep.error().message()));
  CHECK(notes == std::vector<std::string>{
                     "chat scales to zero replicas when idle: the first request after that waits for a cold start "
                     "(the model loading again, up to 30 minutes, the startup probe's budget), and nothing wakes it "
                     "by itself: the engine's metrics vanish with its last pod. Wake it with `kubectl llm scale chat "
                     "--min 1`, or give --autoscale-wake-query a series that exists at zero replicas (a gateway's "
                     "pending requests)"});
  const Json& scaled_object = asleep->back();
  REQUIRE(scaled_object["kind"] == "ScaledObject");
  CHECK(scaled_object["spec"]["triggers"].size() == 1);

  notes.clear();
  r.flags["autoscaleWakeQuery"] = {"sum(gateway_pending{backend=\"chat\"})"};
  auto woken = RenderManifests(r, *templates, Files({}), nullptr, &notes);
  REQUIRE_MESSAGE(woken.ok(), (woken.ok() ? "" : woken.error().message()));
  CHECK(notes == std::vector<std::string>{
                     "chat scales to zero replicas when idle: the first request after that waits for a cold start "
                     "(the model loading again, up to 30 minutes, the startup probe's budget); "
                     "--autoscale-wake-query wakes it"});
  const Json& triggers = woken->back()["spec"]["triggers"];
  REQUIRE(triggers.size() == 2);
  CHECK(triggers[1]["name"] == "wake");
  CHECK(triggers[1]["metadata"]["query"] == "sum(gateway_pending{backend=\"chat\"})");
  CHECK(triggers[1]["metadata"]["activationThreshold"] == "0");
  CHECK(triggers[1]["metadata"]["serverAddress"] == triggers[0]["metadata"]["serverAddress"]);

  notes.clear();
  r.flags["autoscale"] = {"1:4"};
  r.flags.erase("autoscaleWakeQuery");
  REQUIRE(RenderManifests(r, *templates, Files({}), nullptr, &notes).ok());
  CHECK(notes.empty());
}

}  // namespace
}  // namespace llm
