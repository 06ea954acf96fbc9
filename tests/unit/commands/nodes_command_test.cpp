#include "commands/nodes_command.h"

#include <sstream>

#include <doctest/doctest.h>

#include "fakes/fake_rest_client.h"

namespace llm {
namespace {
using nlohmann::json;

json GpuNode(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}}}},
          {"spec", {{"taints", {{{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}}}}}},
          {"status", {{"allocatable", {{"nvidia.com/gpu", "8"}}}}}};
}

json GpuPod(const std::string& name, const std::string& node, int gpus) {
  return {{"metadata", {{"name", name}, {"namespace", "ml"}, {"labels", {{"big", std::string(100, 'x')}}}}},
          {"spec",
           {{"nodeName", node},
            {"containers",
             {{{"name", "c"},
               {"image", "vllm"},
               {"resources", {{"limits", {{"nvidia.com/gpu", std::to_string(gpus)}}}}}}}}}},
          {"status", {{"phase", "Running"}, {"podIP", "10.0.0.1"}}}};
}

struct Fixture {
  testing::FakeRestClient client;
  std::ostringstream out, err;
  std::istringstream in;

  Fixture() {
    client.Put({"", "v1", "nodes", "", "gpu-node-0", ""}, GpuNode("gpu-node-0"));
    client.Put({"", "v1", "nodes", "", "cpu-node-0", ""},
               {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "cpu-node-0"}}}});
    json page = {{"kind", "PodList"},
                 {"metadata", json::object()},
                 {"items", {GpuPod("a", "gpu-node-0", 3), GpuPod("b", "cpu-node-0", 0), GpuPod("c", "", 2)}}};
    client.routes.On("GET", "/api/v1/pods", testing::FakeTransport::Json(200, page.dump()));
  }
};

TEST_CASE("nodes -o json counts the GPUs of pods bound to each GPU node") {
  Fixture f;
  REQUIRE(RunNodes({.output = "json"}, f.client, std::chrono::system_clock::now(), IoStreams{f.in, f.out, f.err}).ok());
  json doc = json::parse(f.out.str());
  CHECK(doc["kind"] == "GpuNodeList");
  REQUIRE(doc["items"].size() == 1);
  CHECK(doc["items"][0]["name"] == "gpu-node-0");
  CHECK(doc["items"][0]["allocatable"] == 8);
  CHECK(doc["items"][0]["used"] == 3);
  CHECK(doc["items"][0]["free"] == 5);
  CHECK(doc["items"][0]["taints"] == json::array({"nvidia.com/gpu=present:NoSchedule"}));
  CHECK(f.client.routes.requests().front().path.find("fieldSelector=status.phase") != std::string::npos);
}

TEST_CASE("nodes -o jsonpath and -o custom-columns read the -o json document, a bad template runs nothing") {
  Fixture f;
  REQUIRE(RunNodes({.output = R"(jsonpath={range .items[*]}{.name}={.free}{"\n"}{end})"}, f.client,
                   std::chrono::system_clock::now(), IoStreams{f.in, f.out, f.err})
              .ok());
  CHECK(f.out.str() == "gpu-node-0=5\n");
  std::ostringstream columns;
  REQUIRE(
      RunNodes({.output = "custom-columns=NODE:.name,FREE:.free,TAINTS:.taints[*]", .listing = {.no_headers = true}},
               f.client, std::chrono::system_clock::now(), IoStreams{f.in, columns, f.err})
          .ok());
  CHECK(columns.str() == "gpu-node-0   5     nvidia.com/gpu=present:NoSchedule\n");
  const size_t requests = f.client.routes.requests().size();
  auto bad = RunNodes({.output = "jsonpath={.items[0"}, f.client, std::chrono::system_clock::now(),
                      IoStreams{f.in, f.out, f.err});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kUsage);
  CHECK(bad.error().message() == "error parsing jsonpath {.items[0, unterminated array");
  CHECK(f.client.routes.requests().size() == requests);
}

TEST_CASE("ListGpuPods keeps only GPU nodes' pods, reduced to what the count reads") {
  Fixture f;
  auto pods = ListGpuPods(f.client, {"gpu-node-0"});
  REQUIRE(pods.ok());
  REQUIRE(pods->size() == 1);
  const json& pod = (*pods)[0];
  CHECK_FALSE(pod.contains("metadata"));
  CHECK(pod["spec"]["nodeName"] == "gpu-node-0");
  CHECK(pod["spec"]["containers"][0] == json{{"resources", {{"limits", {{"nvidia.com/gpu", "3"}}}}}});
  CHECK(pod["status"] == json{{"phase", "Running"}});
  CHECK(ListGpuPods(f.client, {})->empty());
}

TEST_CASE("nodes table, and a cluster without GPU nodes") {
  Fixture f;
  REQUIRE(RunNodes({}, f.client, std::chrono::system_clock::now(), IoStreams{f.in, f.out, f.err}).ok());
  CHECK(f.out.str().starts_with("NAME "));
  CHECK(f.out.str().find("gpu-node-0") != std::string::npos);
  CHECK(f.out.str().find("cpu-node-0") == std::string::npos);
  REQUIRE(f.client.Delete({"", "v1", "nodes", "", "gpu-node-0", ""}, {}).ok());
  std::ostringstream out2;
  REQUIRE(RunNodes({}, f.client, std::chrono::system_clock::now(), IoStreams{f.in, out2, f.err}).ok());
  CHECK(out2.str().empty());
  CHECK(f.err.str().starts_with("No GPU nodes found"));
  CHECK(ValidateNodesCommandOptions({.output = "name"}).error().kind() == ErrorKind::kUsage);
}

TEST_CASE("nodes takes the listing flags: -l and --field-selector to the server, --sort-by, -L, --show-labels") {
  Fixture f;
  json second = GpuNode("gpu-node-1");
  second["metadata"]["labels"]["rack"] = "r1";
  second["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z";
  f.client.Put({"", "v1", "nodes", "", "gpu-node-1", ""}, second);
  const auto run = [&](NodesOptions options) {
    std::ostringstream out;
    Status status = RunNodes(options, f.client, std::chrono::system_clock::now(), IoStreams{f.in, out, f.err});
    REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.error().message()));
    return out.str();
  };
  CHECK(run({.listing = {.selector = "rack=r1", .no_headers = true}}).starts_with("gpu-node-1 "));
  CHECK(
      run({.listing = {.field_selector = "metadata.name=gpu-node-0", .no_headers = true}}).starts_with("gpu-node-0 "));
  // The node without the label sorts first, as kubectl puts a missing value first.
  const std::string sorted =
      run({.listing = {.sort_by = "{.metadata.labels.rack}", .label_columns = {"rack"}, .no_headers = true}});
  CHECK(sorted.find("gpu-node-0") < sorted.find("gpu-node-1"));
  CHECK(sorted.find("   r1\n") != std::string::npos);
  const std::string labels = run({.listing = {.show_labels = true}});
  CHECK(labels.substr(0, labels.find('\n')).ends_with("   LABELS"));
  CHECK(labels.find("nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3,rack=r1\n") != std::string::npos);
  const Status no_watch =
      RunNodes({.listing = {.watch = true}}, f.client, std::chrono::system_clock::now(), IoStreams{f.in, f.out, f.err});
  CHECK(no_watch.error().kind() == ErrorKind::kInternal);
}

}  // namespace
}  // namespace llm
