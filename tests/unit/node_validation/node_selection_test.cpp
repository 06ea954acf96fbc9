#include "node_validation/node_selection.h"

#include <fstream>

#include <doctest/doctest.h>

namespace llm {
namespace {

nlohmann::json Fixture(const std::string& name) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/node_validation/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

std::vector<std::string> Names(const NodeSelection& s) {
  std::vector<std::string> out;
  for (const auto& c : s.to_test) out.push_back(c.name);
  return out;
}

std::map<std::string, std::string> Skips(const NodeSelection& s) {
  std::map<std::string, std::string> out;
  for (const auto& k : s.skipped) out[k.name] = k.reason;
  return out;
}

}  // namespace

TEST_CASE("SelectNodes: all GPU nodes, with the reason for each skip") {
  const auto nodes = Fixture("nodes.json");
  const auto pods = Fixture("pods.json");
  auto s = SelectNodes({}, nodes, pods);
  REQUIRE(s.ok());
  CHECK(Names(*s) == std::vector<std::string>{"gpu-a", "gpu-f"});
  CHECK(s->to_test[0].product == "NVIDIA-H100-80GB-HBM3");
  CHECK(s->to_test[0].gpus == 8);
  CHECK(s->to_test[1].gpus == 4);
  CHECK(Skips(*s) == std::map<std::string, std::string>{
                         {"gpu-b", "cordoned (spec.unschedulable)"},
                         {"gpu-c", "not ready (Ready=Unknown: Kubelet stopped posting node status.)"},
                         {"gpu-d", "GPUs in use by 2 pods: ml/train-0, ml/train-1"},
                         {"gpu-e", "GPUs in use by 4 pods: a/p1, b/p2, c/p3 and 1 more"},
                         {"gpu-g", "cordoned (spec.unschedulable); not ready (Ready=False: container runtime is down)"},
                     });
}

TEST_CASE("SelectNodes: the same selection from nodes cut to KeepSelectionFields and pods kept by HoldsNodeGpus") {
  // What validate-nodes keeps of each listed page must be all the selection reads.
  auto nodes = Fixture("nodes.json");
  for (auto& node : nodes["items"]) KeepSelectionFields(node);
  const auto all_pods = Fixture("pods.json");
  nlohmann::json pods = nlohmann::json::array();
  for (const auto& pod : all_pods["items"]) {
    if (HoldsNodeGpus(pod)) pods.push_back(pod);
  }
  CHECK(pods.size() < all_pods["items"].size());
  CHECK_FALSE(nodes["items"][0].contains("apiVersion"));
  for (const bool include_busy : {false, true}) {
    NodeSelectionRequest r;
    r.include_busy = include_busy;
    auto full = SelectNodes(r, Fixture("nodes.json"), Fixture("pods.json"));
    auto cut = SelectNodes(r, nodes, pods);
    REQUIRE(full.ok());
    REQUIRE(cut.ok());
    CHECK(Names(*cut) == Names(*full));
    CHECK(Skips(*cut) == Skips(*full));
    CHECK(cut->to_test[0].product == full->to_test[0].product);
    CHECK(cut->to_test[0].gpus == full->to_test[0].gpus);
  }
}

TEST_CASE("SelectNodes: --include-busy tests busy nodes but still skips cordoned and NotReady ones") {
  NodeSelectionRequest r;
  r.include_busy = true;
  auto s = SelectNodes(r, Fixture("nodes.json"), Fixture("pods.json"));
  REQUIRE(s.ok());
  CHECK(Names(*s) == std::vector<std::string>{"gpu-a", "gpu-d", "gpu-e", "gpu-f"});
  CHECK(s->skipped.size() == 3);
}

TEST_CASE("SelectNodes: by label selector, CPU nodes matched by the selector are left out silently") {
  NodeSelectionRequest r;
  r.selector = *LabelSelector::Parse("pool in (gpu,cpu),zone notin (b)");
  auto s = SelectNodes(r, Fixture("nodes.json"), Fixture("pods.json"));
  REQUIRE(s.ok());
  CHECK(Names(*s) == std::vector<std::string>{"gpu-a"});
  CHECK(Skips(*s).size() == 4);  // gpu-b, c, d, g; gpu-e is zone b, cpu-1 has no GPU
  CHECK_FALSE(Skips(*s).contains("cpu-1"));
}

TEST_CASE("SelectNodes: by name, a named CPU node is skipped with a reason, a missing one is NotFound") {
  NodeSelectionRequest r;
  r.names = {"cpu-1", "gpu-a"};
  auto s = SelectNodes(r, Fixture("nodes.json"), Fixture("pods.json"));
  REQUIRE(s.ok());
  CHECK(Names(*s) == std::vector<std::string>{"gpu-a"});
  CHECK(Skips(*s) == std::map<std::string, std::string>{{"cpu-1", "no allocatable nvidia.com/gpu"}});

  r.names = {"gpu-z", "gpu-a", "gpu-y"};
  s = SelectNodes(r, Fixture("nodes.json"), Fixture("pods.json"));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind() == ErrorKind::kNotFound);
  CHECK(s.error().message() == "nodes \"gpu-y\", \"gpu-z\" not found");
}

TEST_CASE("SelectNodes: GPUs held through pod overhead or a sidecar make a node busy, as the scheduler counts them") {
  // validate-nodes once counted GPUs its own way (containers, or the largest
  // init container) and missed spec.overhead, so it could call a node free
  // that preflight and the scheduler saw as taken. Now both use PodSpecRequest.
  const auto nodes = Fixture("nodes.json");
  nlohmann::json pod = nlohmann::json::parse(R"({
    "metadata": {"namespace": "ml", "name": "holder"},
    "spec": {"nodeName": "gpu-a", "containers": [{"name": "app"}], "overhead": {"nvidia.com/gpu": "1"}},
    "status": {"phase": "Running"}})");
  auto s = SelectNodes({}, nodes, nlohmann::json::array({pod}));
  REQUIRE(s.ok());
  CHECK(Skips(*s).at("gpu-a") == "GPUs in use by 1 pod: ml/holder");
  // A restartable init container (sidecar) holds its GPU while the pod runs.
  pod["spec"].erase("overhead");
  pod["spec"]["initContainers"] = nlohmann::json::parse(
      R"([{"name": "gpu-sidecar", "restartPolicy": "Always", "resources": {"limits": {"nvidia.com/gpu": "1"}}}])");
  s = SelectNodes({}, nodes, nlohmann::json::array({pod}));
  REQUIRE(s.ok());
  CHECK(Skips(*s).contains("gpu-a"));
}

TEST_CASE("SelectNodes: plain arrays and empty lists") {
  auto s = SelectNodes({}, nlohmann::json::array(), nlohmann::json::object());
  REQUIRE(s.ok());
  CHECK(s->to_test.empty());
  CHECK(s->skipped.empty());
}

}  // namespace llm
