// Golden files: the exact bytes `render` prints for a matrix of flag sets.
// They are what users review, so any change must be deliberate:
//
//   LLM_UPDATE_GOLDEN=1 ./build/tests/llm_unit_tests -tc='*golden*'
//
// rewrites tests/testdata/golden/render/*.yaml|json from the current code;
// review the diff and commit it with the change that caused it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;

struct GoldenCase {
  std::string name;  ///< file name under golden/render/
  std::vector<std::string> args;
};

std::string Data(const std::string& file) { return std::string(LLM_TESTDATA_DIR) + "/render/" + file; }

std::vector<GoldenCase> Cases() {
  const std::vector<std::string> serve = {"render", "serve", "chat", "--model", "Qwen/Qwen2.5-7B-Instruct"};
  const auto with = [](std::vector<std::string> base, std::vector<std::string> extra) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  };
  const std::vector<std::string> train = {"render", "train", "pretrain", "--image", "nvcr.io/nvidia/pytorch:25.01-py3"};
  return {
      {"serve-vllm-minimal.yaml", serve},
      {"serve-vllm-full.yaml", with(serve, {"-n",
                                            "llm",
                                            "--gpus",
                                            "4",
                                            "--max-model-len",
                                            "32768",
                                            "--replicas",
                                            "3",
                                            "--cpu",
                                            "8",
                                            "--memory",
                                            "64Gi",
                                            "--shm-size",
                                            "8Gi",
                                            "--hf-token-secret",
                                            "hf-token",
                                            "--model-cache-pvc",
                                            "models:200Gi",
                                            "--gpu-product",
                                            "NVIDIA-H100-80GB-HBM3",
                                            "--node-selector",
                                            "pool=gpu",
                                            "--toleration",
                                            "dedicated=llm:NoSchedule",
                                            "--priority-class",
                                            "high",
                                            "--queue",
                                            "team-a",
                                            "--image-pull-secret",
                                            "regcred",
                                            "--env",
                                            "VLLM_LOGGING_LEVEL=DEBUG",
                                            "--arg=--enable-prefix-caching",
                                            "--port",
                                            "8080"})},
      {"serve-vllm-multinode.yaml",
       {"render", "serve", "llama", "--model", "meta-llama/Llama-3.1-405B-Instruct", "--gpus", "8", "--nodes", "2",
        "--replicas", "2", "--hf-token-secret", "hf-token:HF_TOKEN", "--model-cache-pvc", "models"}},
      {"serve-vllm-multinode-keda.yaml",
       {"render", "serve", "llama", "-n", "llm", "--model", "meta-llama/Llama-3.1-405B-Instruct", "--gpus", "8",
        "--nodes", "2", "--autoscale", "0:3", "--autoscale-metric", "queue=10"}},
      {"serve-sglang-keda-kv-cache.yaml",
       with(serve, {"--engine", "sglang", "--autoscale", "1:4", "--autoscale-metric", "kv-cache=0.7"})},
      {"serve-vllm-keda-ttft.yaml", with(serve, {"--autoscale", "1:4", "--autoscale-metric", "ttft=0.5"})},
      {"serve-vllm-keda-wake.yaml",
       with(serve, {"--autoscale", "0:4", "--autoscale-metric", "queue=5", "--autoscale-wake-query",
                    "sum(gateway_pending_requests{backend=\"chat\"})"})},
      {"serve-vllm-hpa.yaml", with(serve, {"--autoscale", "1:5", "--cpu", "4"})},
      {"serve-vllm-model-path.yaml",
       {"render", "serve", "chat", "--model", "/models/llama-3-8b", "--model-cache-pvc", "models"}},
      {"serve-sglang.yaml", with(serve, {"--engine", "sglang", "--gpus", "2", "--max-model-len", "8192"})},
      {"serve-sglang-multinode.yaml",
       {"render", "serve", "ds", "--engine", "sglang", "--model", "deepseek-ai/DeepSeek-V3", "--gpus", "8", "--nodes",
        "2", "--tensor-parallel", "8", "--pipeline-parallel", "2"}},
      {"serve-tgi.yaml", with(serve, {"--engine", "tgi", "--gpus", "2", "--max-model-len", "8192"})},
      {"serve-vllm-monitor.yaml", with(serve, {"-n", "llm", "--monitor"})},
      // One dashboard per engine: each reads its own engine's series, and TGI's leaves out what TGI lacks.
      {"serve-vllm-dashboard.yaml", with(serve, {"-n", "llm", "--dashboard"})},
      {"serve-sglang-dashboard.yaml", with(serve, {"-n", "llm", "--engine", "sglang", "--dashboard"})},
      {"serve-tgi-dashboard.yaml",
       with(serve, {"--engine", "tgi", "--dashboard", "--dashboard-label", "grafana.example.com/dashboard=llm"})},
      {"serve-sglang-multinode-monitor.yaml",
       {"render", "serve", "ds", "--engine", "sglang", "--model", "deepseek-ai/DeepSeek-V3", "--gpus", "8", "--nodes",
        "2", "--monitor"}},
      {"serve-values-set-patch.yaml",
       with(serve, {"-f", Data("values-serve.yaml"), "--set", "gpus=2", "--set", "env.EXTRA=1", "--tensor-parallel",
                    "2", "--patch", "deployment/chat=" + Data("patch-deployment.yaml"), "--patch",
                    "Service/chat=" + Data("patch-service.json")})},
      {"serve-json.json", with(serve, {"-o", "json", "--replicas", "2"})},
      {"train-minimal.yaml", with(train, {"--", "torchrun", "train.py"})},
      {"train-jobset-full.yaml", with(train, {"-n",
                                              "research",
                                              "--nodes",
                                              "4",
                                              "--gpus-per-node",
                                              "8",
                                              "--cpu",
                                              "32",
                                              "--memory",
                                              "512Gi",
                                              "--data",
                                              "datasets:/data",
                                              "--checkpoint",
                                              "checkpoints:/checkpoints",
                                              "--shm-size",
                                              "64Gi",
                                              "--max-restarts",
                                              "3",
                                              "--priority-class",
                                              "training",
                                              "--queue",
                                              "research",
                                              "--ttl-after-finished",
                                              "86400",
                                              "--active-deadline",
                                              "172800",
                                              "--exclusive-topology",
                                              "cloud.google.com/gke-nodepool",
                                              "--env",
                                              "NCCL_DEBUG=INFO",
                                              "--",
                                              "torchrun",
                                              "train.py",
                                              "--config",
                                              "configs/7b.yaml"})},
      {"train-indexed-job.yaml", with(train, {"--backend", "indexed-job", "--nodes", "2", "--gpus-per-node", "8",
                                              "--data", "datasets:/data", "--", "torchrun", "train.py"})},
      // Elastic: an Indexed Job at MAX (train starts it at what fits), c10d on index 0, bounds and Kueue's annotation.
      {"train-elastic.yaml",
       with(train, {"-n", "research", "--nodes", "2:4", "--gpus-per-node", "8", "--checkpoint",
                    "checkpoints:/checkpoints", "--queue", "research", "--", "torchrun", "train.py"})},
      {"train-elastic-jobset.yaml",
       with(train, {"--backend", "jobset", "--nodes", "1:8", "--checkpoint", "ckpt:/ckpt", "--max-restarts", "5",
                    "--rdzv-timeout", "30m", "--rdzv-last-call-timeout", "5m", "--", "torchrun", "train.py"})},
      {"gpu-check-default.yaml", {"render", "gpu-check", "gpu-check-node-1"}},
      {"gpu-check-node.yaml",
       {"render", "gpu-check", "gpu-check-node-2", "-n", "kubectl-llm", "--node", "gpu-node-2", "--gpus", "4",
        "--profile", "full", "--image", "registry.example.com/llm-gpu-check:v0.1.0"}},
      {"gpu-check-nccl.yaml",
       {"render", "gpu-check", "gpu-check-r1-pair-1", "-n", "kubectl-llm", "--nccl-node", "gpu-node-0", "--nccl-node",
        "gpu-node-1", "--gpus", "8", "--toleration", "kubectl-llm.dev/gpu-check=failed:NoSchedule"}},
  };
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("render output matches the golden files") {
  const fs::path dir = fs::path(LLM_TESTDATA_DIR) / "golden" / "render";
  const bool update = std::getenv("LLM_UPDATE_GOLDEN") != nullptr;
  if (update) fs::create_directories(dir);
  std::set<std::string> expected;
  for (const GoldenCase& c : Cases()) {
    CAPTURE(c.name);
    expected.insert(c.name);
    const auto r = RunCli(c.args);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.empty());
    const fs::path path = dir / c.name;
    if (update) {
      std::ofstream(path, std::ios::binary) << r.out;
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(path), "missing golden file; run with LLM_UPDATE_GOLDEN=1");
    CHECK(r.out == ReadFile(path));
  }
  // No stale golden files: each one belongs to a case above.
  if (fs::exists(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      CAPTURE(entry.path());
      CHECK(expected.contains(entry.path().filename().string()));
    }
  }
}

TEST_CASE("the same inputs give the same bytes") {
  for (const GoldenCase& c : Cases()) {
    CAPTURE(c.name);
    CHECK(RunCli(c.args).out == RunCli(c.args).out);
  }
}

}  // namespace
}  // namespace llm
