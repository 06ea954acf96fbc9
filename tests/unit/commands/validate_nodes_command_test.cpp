#include "commands/validate_nodes_command.h"

#include <csignal>
#include <functional>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"

namespace llm {
namespace {

using nlohmann::json;

json GpuNode(const std::string& name, bool cordoned = false) {
  json node = {{"apiVersion", "v1"},
               {"kind", "Node"},
               {"metadata", {{"name", name}, {"labels", {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}}}},
               {"spec", json::object()},
               {"status",
                {{"allocatable", {{"nvidia.com/gpu", "8"}}},
                 {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
  if (cordoned) node["spec"]["unschedulable"] = true;
  return node;
}

struct Fixture {
  std::shared_ptr<testing::FakeRestClient> client = std::make_shared<testing::FakeRestClient>();
  testing::FakeClock clock;
  std::istringstream in;
  std::ostringstream out, err;

  Fixture() {
    for (const char* name : {"gpu-a", "gpu-b"}) client->Put({"", "v1", "nodes", "", name, ""}, GpuNode(name));
    client->Put({"", "v1", "nodes", "", "gpu-c", ""}, GpuNode("gpu-c", /*cordoned=*/true));
  }
  Result<int> Run(ValidateNodesOptions options, std::function<int()> interrupted = {}) {
    ValidateNodesEnv env{client, &clock, "kubectl-llm-gpu-check", "abcde", std::move(interrupted)};
    return RunValidateNodes(options, env, IoStreams{in, out, err});
  }
};

TEST_CASE("validate-nodes --dry-run=client prints a pinned pod per tested node and sends no write") {
  Fixture f;
  ValidateNodesOptions options;
  options.dry_run = "client";
  options.output = "json";
  auto code = f.Run(options);
  REQUIRE(code.ok());
  CHECK(*code == 0);
  json list = json::parse(f.out.str());
  REQUIRE(list["items"].size() == 2);
  const json& pod = list["items"][0];
  CHECK(pod["metadata"]["name"] == "gpu-check-abcde-gpu-a");
  CHECK(pod["metadata"]["namespace"] == "kubectl-llm-gpu-check");
  CHECK(pod["metadata"]["labels"]["kubectl-llm.dev/gpu-check-run"] == "abcde");
  // The clean-up's batch (of kPodsPerCleanupBatch pods): both nodes are in the first.
  CHECK(pod["metadata"]["labels"]["kubectl-llm.dev/gpu-check-batch"] == "0");
  CHECK(list["items"][1]["metadata"]["labels"]["kubectl-llm.dev/gpu-check-batch"] == "0");
  CHECK(pod["spec"]["nodeName"] == "gpu-a");
  CHECK(pod["spec"]["automountServiceAccountToken"] == false);
  CHECK(pod["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == 8);
  CHECK(pod["spec"]["tolerations"].dump().find(R"("key":"kubectl-llm.dev/gpu-check")") != std::string::npos);
  CHECK(list["items"][1]["spec"]["nodeName"] == "gpu-b");
  for (const std::string& call : f.client->calls()) CHECK(call.starts_with("LIST"));
}

TEST_CASE("validate-nodes --dry-run=client -o table lists pods and skipped nodes with their reason") {
  Fixture f;
  ValidateNodesOptions options;
  options.dry_run = "client";
  auto code = f.Run(options);
  REQUIRE(code.ok());
  CHECK(f.out.str() ==
        "pod/gpu-check-abcde-gpu-a created on node gpu-a (dry run)\n"
        "pod/gpu-check-abcde-gpu-b created on node gpu-b (dry run)\n"
        "node/gpu-c skipped: cordoned (spec.unschedulable)\n");
}

TEST_CASE("validate-nodes --dry-run=server sends each pod with dryRun and stores nothing") {
  Fixture f;
  ValidateNodesOptions options;
  options.nodes = {"gpu-b"};
  options.dry_run = "server";
  auto code = f.Run(options);
  REQUIRE(code.ok());
  CHECK(f.out.str() == "pod/gpu-check-abcde-gpu-b created on node gpu-b (server dry run)\n");
  CHECK(f.client->calls().back() == "CREATE pods kubectl-llm-gpu-check/gpu-check-abcde-gpu-b");
  CHECK_FALSE(f.client->Get({"", "v1", "pods", "kubectl-llm-gpu-check", "gpu-check-abcde-gpu-b", ""}).ok());
}

TEST_CASE("validate-nodes --multi-node --dry-run=client adds the first round's Service and Indexed Job") {
  Fixture f;
  ValidateNodesOptions options;
  options.dry_run = "client";
  options.multi_node = true;
  options.output = "json";
  auto code = f.Run(options);
  REQUIRE(code.ok());
  json list = json::parse(f.out.str());
  REQUIRE(list["items"].size() == 4);
  const json& service = list["items"][2];
  const json& job = list["items"][3];
  CHECK(service["kind"] == "Service");
  CHECK(service["metadata"]["name"] == "gpu-check-abcde-pair-1");
  CHECK(service["metadata"]["labels"]["kubectl-llm.dev/gpu-check-run"] == "abcde");
  CHECK(service["spec"]["clusterIP"] == "None");
  CHECK(job["kind"] == "Job");
  CHECK(job["spec"]["completionMode"] == "Indexed");
  CHECK(job["spec"]["completions"] == 2);
  CHECK(job["spec"]["backoffLimit"] == 0);
  const json& pod = job["spec"]["template"];
  CHECK(pod["metadata"]["labels"]["kubectl-llm.dev/gpu-check-run"] == "abcde");
  CHECK(pod["metadata"]["labels"]["app.kubernetes.io/instance"] == "gpu-check-abcde-pair-1");
  CHECK(pod["spec"]["subdomain"] == "gpu-check-abcde-pair-1");
  const json& terms =
      pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
  REQUIRE(terms.size() == 2);  // one node name per term (the API server's rule for metadata.name)
  CHECK(terms[0]["matchFields"][0]["values"] == json::array({"gpu-a"}));
  CHECK(terms[1]["matchFields"][0]["values"] == json::array({"gpu-b"}));
  CHECK(pod["spec"].contains("nodeName") == false);
  const json& env = pod["spec"]["containers"][0]["env"];
  CHECK(env.dump().find(R"({"name":"NCCL_COMM_ID","value":"gpu-check-abcde-pair-1-0.gpu-check-abcde-pair-1:29600"})") !=
        std::string::npos);
  CHECK(env.dump().find(R"({"name":"LLM_GPU_CHECK_WORLD_SIZE","value":"2"})") != std::string::npos);

  Fixture table;
  options.output = "";
  REQUIRE(table.Run(options).ok());
  CHECK(table.out.str() ==
        "pod/gpu-check-abcde-gpu-a created on node gpu-a (dry run)\n"
        "pod/gpu-check-abcde-gpu-b created on node gpu-b (dry run)\n"
        "service/gpu-check-abcde-pair-1 created (dry run)\n"
        "job/gpu-check-abcde-pair-1 created on nodes gpu-a, gpu-b (dry run)\n"
        "node/gpu-c skipped: cordoned (spec.unschedulable)\n");
}

TEST_CASE("validate-nodes interrupted before its run creates nothing and exits 128+signal") {
  Fixture f;
  ValidateNodesOptions options;
  auto code = f.Run(options, [] { return SIGINT; });
  REQUIRE(code.ok());
  CHECK(*code == 130);
  for (const std::string& call : f.client->calls()) CHECK(call.starts_with("LIST"));
  Fixture term;
  auto code_term = term.Run(options, [] { return SIGTERM; });
  REQUIRE(code_term.ok());
  CHECK(*code_term == 143);
}

TEST_CASE("validate-nodes: bad flags fail before any request, a missing node after the list") {
  Fixture f;
  ValidateNodesOptions options;
  options.max_parallel = 0;
  auto usage = f.Run(options);
  REQUIRE_FALSE(usage.ok());
  CHECK(usage.error().kind() == ErrorKind::kUsage);
  CHECK(f.client->calls().empty());

  options.max_parallel = 4;
  options.nodes = {"gpu-z"};
  auto missing = f.Run(options);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() == "nodes \"gpu-z\" not found");
}

}  // namespace
}  // namespace llm

#include <fstream>

#include "fakes/fake_file_system.h"

namespace llm {

TEST_CASE("validate-nodes --from-json --report draws a saved result without a cluster") {
  testing::FakeClock clock;
  testing::FakeFileSystem files(clock);
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/node_validation/fleet-report.json");
  std::stringstream saved;
  saved << in.rdbuf();
  REQUIRE(files.WriteFile("run.json", saved.str()).ok());
  std::istringstream stdin_;
  std::ostringstream out, err;
  ValidateNodesOptions options;
  options.from_json = "run.json";
  options.report = "fleet.html";
  auto code = RunValidateNodesFromJson(options, files, IoStreams{stdin_, out, err});
  REQUIRE(code.ok());
  CHECK(*code == 0);
  CHECK(out.str().empty());
  CHECK(err.str() == "validate-nodes: wrote fleet.html (10 nodes)\n");
  auto html = files.ReadFile("fleet.html");
  REQUIRE(html.ok());
  CHECK(html->find("<h1>GPU node validation</h1>") != std::string::npos);

  options.from_json = "missing.json";
  code = RunValidateNodesFromJson(options, files, IoStreams{stdin_, out, err});
  REQUIRE_FALSE(code.ok());
  CHECK(code.error().message() == "--from-json: cannot read missing.json: missing.json: no such file");
  REQUIRE(files.WriteFile("bad.json", "{\"apiVersion\":").ok());
  options.from_json = "bad.json";
  code = RunValidateNodesFromJson(options, files, IoStreams{stdin_, out, err});
  REQUIRE_FALSE(code.ok());
  CHECK(code.error().message() ==
        "--from-json: bad.json is not JSON (want the output of kubectl llm validate-nodes -o json)");
}

}  // namespace llm
