#include "workload/gpu_nodes.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::sys_days{std::chrono::November / 28 / 2026} + 12h;

TEST_CASE("GPU node rows: usage, memory, taints and validation state") {
  std::vector<GpuNodeRow> rows =
      ListGpuNodes(testing::LoadWorkloadFixture("nodes.json"), testing::LoadWorkloadFixture("cluster-pods.json"), kNow);
  REQUIRE(rows.size() == 4);  // the control-plane node has no GPUs
  CHECK(rows[0].name == "gpu-node-1");
  CHECK(rows[0].validation == "pass");
  CHECK(rows[0].valid_until == "2026-12-04T09:00:00Z");
  CHECK(rows[1].validation == "fail");
  CHECK(rows[2].validation == "expired");  // pass, but valid until 2026-10-08
  CHECK(rows[2].cordoned);
  CHECK(rows[3].validation == "unvalidated");
  CHECK(GpuNodesTable(rows).Render(false) ==
        "NAME         PRODUCT                 GPUS   USED   FREE   MEMORY   VALIDATION    TAINTS\n"
        "gpu-node-1   NVIDIA-H100-80GB-HBM3   8      8      0      80GiB    pass          "
        "nvidia.com/gpu=present:NoSchedule\n"
        "gpu-node-2   NVIDIA-H100-80GB-HBM3   8      4      4      80GiB    fail          "
        "nvidia.com/gpu=present:NoSchedule\n"
        "gpu-node-3   NVIDIA-H100-80GB-HBM3   8      0      8      80GiB    expired       "
        "nvidia.com/gpu=present:NoSchedule,node.kubernetes.io/unschedulable:NoSchedule\n"
        "gpu-node-4   NVIDIA-L4               4      2      2      22GiB    unvalidated   <none>\n");
}

TEST_CASE("-o wide: VALID-UNTIL and the last verdict's REASON, a failing health check's included") {
  std::vector<GpuNodeRow> rows =
      ListGpuNodes(testing::LoadWorkloadFixture("nodes.json"), testing::LoadWorkloadFixture("cluster-pods.json"), kNow);
  CHECK(rows[1].validation_reason == "health: gpu 3: PCIe link at Gen5 x8 under load, below its maximum of Gen5 x16");
  const std::string wide = GpuNodesTable(rows).Render(true);
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = wide.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(wide.substr(start, end - start));
  }
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].ends_with("TAINTS" + std::string(74, ' ') + "VALID-UNTIL            REASON"));
  CHECK(lines[1].ends_with("2026-12-04T09:00:00Z   <none>"));  // gpu-node-1 passed
  CHECK(lines[2].starts_with("gpu-node-2 "));
  CHECK(lines[2].ends_with(
      "2026-12-04T09:00:00Z   health: gpu 3: PCIe link at Gen5 x8 under load, below its maximum of Gen5 x16"));
}

TEST_CASE("GpuNodeList is the documented JSON shape") {
  std::vector<GpuNodeRow> rows =
      ListGpuNodes(testing::LoadWorkloadFixture("nodes.json"), testing::LoadWorkloadFixture("cluster-pods.json"), kNow);
  nlohmann::ordered_json doc = GpuNodeListJson(rows);
  CHECK(doc["kind"] == "GpuNodeList");
  CHECK(
      doc["items"][2].dump() ==
      R"({"name":"gpu-node-3","product":"NVIDIA-H100-80GB-HBM3","allocatable":8,"used":0,"free":8,"memoryMiB":81559,)"
      R"("taints":["nvidia.com/gpu=present:NoSchedule","node.kubernetes.io/unschedulable:NoSchedule"],"cordoned":true,)"
      R"("validation":"expired","validUntil":"2026-10-08T09:00:00Z","validationReason":""})");
}

TEST_CASE("a GPU node whose device plugin is down still shows, with 0 GPUs") {
  nlohmann::json node = testing::LoadWorkloadFixture("nodes.json")["items"][3];
  node["status"]["allocatable"].erase("nvidia.com/gpu");
  node["status"]["capacity"].erase("nvidia.com/gpu");
  node["metadata"]["annotations"]["kubectl-llm.dev/gpu-check-summary"] = "{not json";
  std::vector<GpuNodeRow> rows = ListGpuNodes(nlohmann::json::array({node}), nlohmann::json::array(), kNow);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].allocatable == 0);
  CHECK(rows[0].valid_until.empty());
}

}  // namespace
}  // namespace llm
