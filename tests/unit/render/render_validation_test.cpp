// Bad input to `render` is refused before anything is printed, with a message
// naming the flag and what it accepts, and exit code 2 (usage).
#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

using testing::RunCli;

struct Case {
  std::vector<std::string> args;
  std::string want;  ///< expected substring of stderr
};

void CheckRefused(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string joined;
    for (const std::string& a : c.args) joined += a + " ";
    CAPTURE(joined);
    const auto r = RunCli(c.args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("error: "));
    CHECK_MESSAGE(r.err.find(c.want) != std::string::npos, r.err);
  }
}

std::vector<std::string> Serve(std::vector<std::string> extra) {
  std::vector<std::string> args = {"render", "serve", "chat", "--model", "org/model"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST_CASE("render serve refuses bad values") {
  CheckRefused({
      {{"render", "serve", "Chat", "--model", "m"}, "NAME 'Chat' must be a DNS-1035 label"},
      {{"render", "serve", "1chat", "--model", "m"}, "DNS-1035"},
      {{"render", "serve", std::string(64, 'a'), "--model", "m"}, "DNS-1035"},
      {{"render", "serve", std::string(52, 'a'), "--model", "m", "--gpus", "8", "--nodes", "2"},
       "LeaderWorkerSet appends '-<group>-<revision hash>' (13 characters), so NAME may have at most 50"},
      {{"render", "serve", "chat"}, "--model is required"},
      {Serve({"--gpus", "0"}), "--gpus: must be an integer from 1 to 64, got '0'"},
      {Serve({"--gpus", "two"}), "--gpus: must be an integer"},
      {Serve({"--engine", "triton"}), "--engine: unknown engine 'triton'; use one of vllm, sglang, tgi"},
      {Serve({"--backend", "statefulset"}), "--backend: unknown backend 'statefulset'"},
      {Serve({"--backend", "jobset"}), "--backend: serve renders deployment or leaderworkerset"},
      {Serve({"--gpus", "8", "--nodes", "2", "--backend", "deployment"}), "--nodes 2 needs leaderworkerset"},
      {Serve({"--gpus", "8", "--tensor-parallel", "4"}),
       "--tensor-parallel 4 x --pipeline-parallel 1 = 4 must equal --gpus 8 x --nodes 1 = 8"},
      {Serve({"--gpus", "8", "--nodes", "2", "--tensor-parallel", "16", "--pipeline-parallel", "1"}),
       "--tensor-parallel 16 is larger than --gpus 8 per pod"},
      {Serve({"--engine", "tgi", "--gpus", "8", "--nodes", "2"}), "--nodes: the tgi engine runs on one node only"},
      {Serve({"--engine", "tgi", "--gpus", "2", "--tensor-parallel", "1", "--pipeline-parallel", "2"}),
       "the tgi engine has no pipeline parallelism"},
      {Serve({"--memory", "16GB"}), "--memory: '16GB' is not a Kubernetes quantity"},
      {Serve({"--cpu", "-1"}), "--cpu: '-1' is not a Kubernetes quantity"},
      {Serve({"--shm-size", "0"}), "--shm-size: must be greater than zero"},
      {Serve({"--model-cache-pvc", "models:lots"}), "--model-cache-pvc SIZE: 'lots' is not a Kubernetes quantity"},
      {Serve({"--model-cache-pvc", "Models"}), "--model-cache-pvc: 'Models' is not a valid object name"},
      {Serve({"--hf-token-secret", "hf:a b"}), "--hf-token-secret: the key 'a b'"},
      {Serve({"--port", "70000"}), "--port: must be an integer from 1 to 65535"},
      {Serve({"--autoscale", "4:2"}), "--autoscale: expected MIN:MAX with 0 <= MIN <= MAX"},
      {Serve({"--autoscale", "0:4", "--cpu", "1"}), "--autoscale: MIN 0 needs --autoscale-metric"},
      {Serve({"--autoscale", "1:4"}), "needs a CPU request: set --cpu"},
      {Serve({"--autoscale", "1:4", "--replicas", "2", "--cpu", "1"}), "--replicas and --autoscale conflict"},
      {Serve({"--autoscale-metric", "queue"}), "--autoscale-metric needs --autoscale MIN:MAX"},
      {Serve({"--autoscale", "0:4", "--autoscale-metric", "queue length"}),
       "--autoscale-metric: expected one of queue, kv-cache, ttft or a Prometheus metric name"},
      {Serve({"--autoscale", "1:4", "--autoscale-metric", "my-metric=3"}),
       "--autoscale-metric: expected one of queue, kv-cache, ttft or a Prometheus metric name"},
      {Serve({"--engine", "tgi", "--autoscale", "1:4", "--autoscale-metric", "kv-cache"}),
       "--autoscale-metric: tgi exports no KV-cache usage gauge, so it cannot scale on "
       "kv-cache; it can on: queue"},
      {Serve({"--engine", "tgi", "--autoscale", "1:4", "--autoscale-metric", "ttft=2"}),
       "--autoscale-metric: tgi exports no time-to-first-token histogram, so it cannot scale on ttft"},
      {Serve({"--autoscale", "0:4", "--autoscale-metric", "queue", "--prometheus-url", "ftp://x"}),
       "--prometheus-url: expected an http:// or https:// URL"},
      {Serve({"--autoscale-wake-query", "sum(x)"}), "--autoscale-wake-query needs --autoscale MIN:MAX"},
      {Serve({"--autoscale", "0:4", "--cpu", "1", "--autoscale-wake-query", "sum(x)"}),
       "--autoscale-wake-query is only used with --autoscale-metric (KEDA)"},
      {Serve({"--autoscale", "1:4", "--autoscale-metric", "queue", "--autoscale-wake-query", "sum(x)"}),
       "--autoscale-wake-query is only used with --autoscale 0:MAX (MIN is 1: the model never sleeps)"},
      {Serve({"--autoscale", "0:4", "--autoscale-metric", "queue", "--autoscale-wake-query", " "}),
       "--autoscale-wake-query: expected a PromQL expression of at most 4096 bytes"},
      {Serve({"--autoscale", "0:4", "--autoscale-metric", "queue", "--autoscale-wake-query", std::string(4097, 'x')}),
       "--autoscale-wake-query: expected a PromQL expression of at most 4096 bytes"},
      {Serve({"--dashboard-label", "team=ml"}), "--dashboard-label needs --dashboard"},
      {Serve({"--dashboard", "--dashboard-label", "novalue"}),
       "--dashboard-label: expected KEY=VALUE (e.g. grafana_dashboard=1), got 'novalue'"},
      {Serve({"--dashboard", "--dashboard-label", "app.kubernetes.io/name=x"}),
       "--dashboard-label: app.kubernetes.io/name is a label kubectl-llm sets itself; use another key"},
      {Serve({"--dashboard", "--dashboard-label", "a b=1"}), "--dashboard-label: the key 'a b'"},
      {Serve({"--set", "monitor=yes"}), "--set monitor: must be true or false, got 'yes'"},
      {Serve({"--node-selector", "a b=c"}), "--node-selector: the key 'a b'"},
      {Serve({"--node-selector", "novalue"}), "--node-selector: expected KEY=VALUE, got 'novalue'"},
      {Serve({"--toleration", "gpu:Sometimes"}), "--toleration: 'gpu:Sometimes': the effect must be"},
      {Serve({"--env", "1X=y"}), "--env: '1X' is not a valid environment variable name"},
      {Serve({"--env", "HF_TOKEN=secret"}), "--env: HF_TOKEN is set by kubectl llm"},
      {Serve({"--queue", "team a"}), "--queue: the value 'team a'"},
      {Serve({"--priority-class", "High"}), "--priority-class: 'High' is not a valid object name"},
      {Serve({"--image-pull-secret", "a_b"}), "--image-pull-secret: 'a_b' is not a valid object name"},
      {Serve({"--image", "a b"}), "--image: 'a b' is not an image reference"},
      {Serve({"--gpu-product", "NVIDIA H100"}), "--gpu-product: the value 'NVIDIA H100'"},
      {{"render", "serve", "chat", "--model", "/models/x"}, "a model path needs --model-cache-pvc"},
      {{"render", "serve", "chat", "--model", "/etc/passwd", "--model-cache-pvc", "m"}, "must lie under /models"},
      {{"render", "serve", "chat", "--model", "not a model"}, "is not a Hugging Face model id"},
      {{"render", "serve", "chat", "--model", "/models//x", "--model-cache-pvc", "m"}, "must lie under /models"},
      {{"render", "serve", "chat", "--model", "/models/x/", "--model-cache-pvc", "m"}, "must lie under /models"},
      {{"render", "serve", "chat", "--model", "/modelsx/y", "--model-cache-pvc", "m"}, "must lie under /models"},
      // 1 MiB values are refused like short ones (std::regex recursed once per
      // character on these and overflowed the stack).
      {{"render", "serve", "chat", "--model", "/models/" + std::string(1 << 20, 'x') + " ", "--model-cache-pvc", "m"},
       "must lie under /models"},
      {Serve({"--autoscale", "0:4", "--autoscale-metric", "queue", "--prometheus-url",
              "http://p/" + std::string(1 << 20, 'x') + " "}),
       "--prometheus-url: expected an http:// or https:// URL"},
      {Serve({"--autoscale", "0:4", "--autoscale-metric", "queue", "--prometheus-url", "http://"}),
       "--prometheus-url: expected an http:// or https:// URL"},
      {Serve({"--hf-token-secret", "s:" + std::string(254, 'a')}), "--hf-token-secret: the key 'aaaa"},
      {Serve({"--hf-token-secret", "s:a b"}), "--hf-token-secret: the key 'a b' must be letters"},
      {Serve({"-o", "table"}),
       "--output must be one of 'yaml', 'json', 'name', 'jsonpath=TEMPLATE', "
       "'jsonpath-file=FILE', 'custom-columns=SPEC' or 'custom-columns-file=FILE', got 'table'"},
      {Serve({"-n", "Bad_NS"}), "-n/--namespace: 'Bad_NS' must be a DNS-1123 label"},
      {Serve({"--set", "gpus=0"}), "--set gpus: must be an integer from 1 to 64, got '0'"},
      {Serve({"--set", "nope=1"}), "--set: unknown key 'nope'; known keys: engine, model, image"},
      {Serve({"--patch", "deployment/other=/dev/null"}), "no rendered object deployment/other"},
      {Serve({"-f", "/nonexistent/values.yaml"}), "cannot read '/nonexistent/values.yaml'"},
      {{"render", "serve", "chat", "--model", "m", "--", "extra"}, "The following argument was not expected: extra"},
  });
}

TEST_CASE("render train refuses bad values") {
  const std::vector<std::string> base = {"render", "train", "job", "--image", "img:1"};
  const auto train = [&](std::vector<std::string> extra, bool with_command = true) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    if (with_command) args.insert(args.end(), {"--", "torchrun", "t.py"});
    return args;
  };
  CheckRefused({
      {{"render", "train", "job", "--", "torchrun"}, "--image is required"},
      {train({}, false), "train needs the command to run after '--'"},
      {train({"--nodes", "0"}),
       "--nodes: expected N (1 to 10000) or MIN:MAX (elastic, 1 <= MIN <= MAX <= 10000), got '0'"},
      {train({"--gpus-per-node", "0"}), "--gpus-per-node: must be an integer from 1"},
      {train({"--data", "data"}), "--data: expected PVC:MOUNT, got 'data'"},
      {train({"--data", "data:relative"}), "--data: the mount path 'relative' must be an absolute path"},
      {train({"--checkpoint", "c:/x/../y"}), "must be an absolute path without ':' or '..'"},
      {train({"--data", "d:/x", "--checkpoint", "c:/x"}), "mount at the same path"},
      {train({"--backend", "indexed-job", "--exclusive-topology", "zone"}), "needs the jobset backend"},
      {train({"--exclusive-topology", "bad key"}), "--exclusive-topology: the key 'bad key'"},
      {train({"--max-restarts", "-1"}), "--max-restarts: must be an integer from 0"},
      {train({"--env", "MASTER_ADDR=x"}), "--env: MASTER_ADDR is set by kubectl llm"},
      {train({"--backend", "deployment"}), "--backend: train renders jobset or indexed-job"},
      {{"render", "train", std::string(56, 'a'), "--image", "i", "--nodes", "2", "--", "x"},
       "JobSet appends '-node-0-<index>' (9 characters), so NAME may have at most 54"},
  });
}

TEST_CASE("render gpu-check refuses bad values") {
  CheckRefused({
      {{"render", "gpu-check", "chk", "--gpus", "0"}, "--gpus: must be an integer from 1 to 64"},
      {{"render", "gpu-check", "chk", "--profile", "slow"}, "--profile: must be quick or full, got 'slow'"},
      {{"render", "gpu-check", "chk", "--node", "Node_1"}, "--node: 'Node_1' is not a valid object name"},
      {{"render", "gpu-check", "chk", "--active-deadline", "5"}, "--active-deadline: must be an integer from 30"},
      {{"render", "gpu-check", "chk", "--backend", "jobset"}, "--backend: gpu-check renders a pod"},
      {{"render", "gpu-check", "chk", "--nccl-node", "a"},
       "--nccl-node: a multi-node test needs at least two nodes, got one"},
      {{"render", "gpu-check", "chk", "--nccl-node", "a", "--nccl-node", "a"},
       "--nccl-node: node \"a\" is given twice; one pod runs on each node"},
      {{"render", "gpu-check", "chk", "--nccl-node", "a", "--nccl-node", "b", "--node", "c"},
       "--node and --nccl-node cannot be combined: a multi-node test places its pods itself"},
      {{"render", "gpu-check", "chk", "--nccl-node", "a", "--nccl-node", "B_"},
       "--nccl-node: 'B_' is not a valid object name"},
      {{"render", "gpu-check", std::string(62, 'p'), "--nccl-node", "a", "--nccl-node", "b"},
       "the pods' hostnames are NAME-INDEX"},
  });
}

}  // namespace
}  // namespace llm
