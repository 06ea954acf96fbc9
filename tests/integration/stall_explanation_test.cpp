// `serve/train --wait` explaining a stall from real evidence, and `logs`
// reading real container logs, against the local control plane. kwok plays
// the kubelet: its Stages (tests/cluster/kwok/stages.yaml) make a pod's image
// unpullable, its container crash-loop or get OOMKilled when the pod template
// carries the annotation stage.kubectl-llm.test/play, which these tests add
// with `--patch`, as a user adds any last-mile change. The API server proxies
// pods/log to kwok's kubelet endpoint, which serves the CRI log files in
// $LLM_CLUSTER_DIR/container-logs/ (tests/cluster/README.md); these tests
// write those files first. (Unschedulable, the scheduler's own verdict, is
// tested in apply_commands_test.cpp.)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/play_patch.h"
#include "integration/test_cluster.h"
#include "util/rfc3339.h"

namespace llm::testing {
namespace {

CommandOutput Llm(const std::vector<std::string>& args) { return TestCluster::Get().Plugin("admin", args); }

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// RFC 3339 with nanoseconds, as the CRI log format stamps each line.
std::string CriTime(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(text) + ".000000000Z";
}

/// Rewrites one of the log files every container "prints" (current.log, or
/// previous.log for ?previous=true): one CRI line per (age, text).
void WriteContainerLog(const std::string& file,
                       const std::vector<std::pair<std::chrono::seconds, std::string>>& lines) {
  std::ofstream out(TestCluster::Get().dir() + "/container-logs/" + file, std::ios::trunc);
  const auto now = std::chrono::system_clock::now();
  for (const auto& [age, text] : lines) out << CriTime(now - age) << " stdout F " << text << "\n";
}

void AppendContainerLog(const std::string& file, const std::string& text) {
  std::ofstream out(TestCluster::Get().dir() + "/container-logs/" + file, std::ios::app);
  out << CriTime(std::chrono::system_clock::now()) << " stdout F " << text << "\n";
}

const std::vector<std::pair<std::chrono::seconds, std::string>> kCrashLog = {
    {std::chrono::seconds(5), "INFO:     Loading model weights"},
    {std::chrono::seconds(4), "Traceback (most recent call last):"},
    {std::chrono::seconds(3), "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"},
};

TEST_CASE("serve --wait: an image that cannot be pulled fails at once (exit 4), quoting the kubelet") {
  ScopedNamespace ns("stall-pull");
  PlayPatch patch("image-pull-failure", "pull");
  CommandOutput out =
      Llm({"serve", "pull", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--image",
           "registry.example/vllm:missing", "--patch", "deployment/pull=" + patch.path(), "--wait", "--timeout", "2m"});
  CHECK_MESSAGE(out.exit_code == 4, out.err);
  CHECK(Contains(out.err, "error: deployments.apps/pull cannot become ready: pod pull-"));
  CHECK(Contains(out.err,
                 " container vllm cannot pull image \"registry.example/vllm:missing\" (ImagePullBackOff): "
                 "Back-off pulling image \"registry.example/vllm:missing\": ErrImagePull: rpc error: code = "
                 "NotFound desc = failed to pull and unpack image \"registry.example/vllm:missing\""));
  // One sentence: the error is one line.
  CHECK(std::count(out.err.begin(), out.err.end(), '\n') == 1);
  // The live display followed the pod through the pull failures.
  CHECK(Contains(out.out, ": Scheduled on gpu-node-"));
  CHECK(Contains(out.out, ": ErrImagePull\n"));
  CHECK(Llm({"delete", "pull", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE("serve --wait: a crash loop fails at once (exit 4) with the exit code and the last log line") {
  ScopedNamespace ns("stall-crash");
  WriteContainerLog("previous.log", kCrashLog);
  PlayPatch patch("crash-loop", "crash");
  CommandOutput out = Llm({"serve", "crash", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--patch",
                           "deployment/crash=" + patch.path(), "--wait", "--timeout", "2m"});
  CHECK_MESSAGE(out.exit_code == 4, out.err);
  CHECK(Contains(out.err, "error: deployments.apps/crash cannot become ready: container vllm of pod crash-"));
  CHECK(Contains(out.err,
                 " is crash-looping: restarted 1 time, last exit code 1 (Error); last log line: "
                 "\"torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\"\n"));
  CHECK(std::count(out.err.begin(), out.err.end(), '\n') == 1);
  CHECK(Contains(out.out, ": CrashLoopBackOff (1 restart)\n"));
  CHECK(Llm({"delete", "crash", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE("serve --wait: an OOMKilled container fails at once (exit 4) with its memory limit") {
  ScopedNamespace ns("stall-oom");
  WriteContainerLog("previous.log", kCrashLog);
  PlayPatch patch("oom-killed", "oom");
  CommandOutput out = Llm({"serve", "oom", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--memory", "64Gi",
                           "--patch", "deployment/oom=" + patch.path(), "--wait", "--timeout", "2m"});
  CHECK_MESSAGE(out.exit_code == 4, out.err);
  CHECK(Contains(out.err, "error: deployments.apps/oom cannot become ready: container vllm of pod oom-"));
  CHECK(Contains(out.err,
                 " was OOMKilled (memory limit 64Gi), restarted 1 time; last log line: "
                 "\"torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\"\n"));
  CHECK(Llm({"delete", "oom", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE("train --wait: a Job whose pod fails runs out of retries (exit 4): BackoffLimitExceeded with the exit code") {
  ScopedNamespace ns("stall-backoff");
  PlayPatch patch("crash-loop", "backoff");
  CommandOutput out = Llm({"train",
                           "t",
                           "-n",
                           ns.name(),
                           "--backend",
                           "indexed-job",
                           "--image",
                           "reg/img:1",
                           "--nodes",
                           "2",
                           "--gpus-per-node",
                           "1",
                           "--patch",
                           "job/t=" + patch.path(),
                           "--wait",
                           "--timeout",
                           "2m",
                           "--",
                           "python",
                           "train.py"});
  CHECK_MESSAGE(out.exit_code == 4, out.err);
  CHECK(Contains(out.err, "error: jobs.batch/t failed: job \"t\" failed: BackoffLimitExceeded: "));
  CHECK(Contains(out.err, " container trainer exited with code 1 (Error)\n"));
  CHECK(std::count(out.err.begin(), out.err.end(), '\n') == 1);
  CHECK(Llm({"delete", "t", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE(
    "logs: a training job's pods in one stream with rank prefixes, --rank, --tail, --since, --since-time, --timestamps "
    "and -f") {
  ScopedNamespace ns("stall-logs");
  WriteContainerLog("current.log", {{std::chrono::hours(2), "rendezvous: 2 of 2 nodes joined"},
                                    {std::chrono::seconds(2), "step 1 loss 2.31"},
                                    {std::chrono::seconds(1), "step 2 loss 2.05"}});
  CommandOutput job = Llm({"train", "t", "-n", ns.name(), "--backend", "indexed-job", "--image", "reg/img:1", "--nodes",
                           "2", "--gpus-per-node", "1", "--wait", "--timeout", "2m", "--", "python", "train.py"});
  REQUIRE_MESSAGE(job.exit_code == 0, job.err);

  CommandOutput all = Llm({"logs", "t", "-n", ns.name()});
  CHECK_MESSAGE(all.exit_code == 0, all.err);
  CHECK(all.out ==
        "[t-0 rank=0] rendezvous: 2 of 2 nodes joined\n[t-0 rank=0] step 1 loss 2.31\n[t-0 rank=0] step 2 loss 2.05\n"
        "[t-1 rank=1] rendezvous: 2 of 2 nodes joined\n[t-1 rank=1] step 1 loss 2.31\n[t-1 rank=1] step 2 loss 2.05\n");

  CommandOutput one = Llm({"logs", "t", "-n", ns.name(), "--rank", "1", "--tail", "1"});
  CHECK_MESSAGE(one.exit_code == 0, one.err);
  CHECK(one.out == "[t-1 rank=1] step 2 loss 2.05\n");

  CommandOutput recent = Llm({"logs", "t", "-n", ns.name(), "--since", "1h", "--no-prefix"});
  CHECK_MESSAGE(recent.exit_code == 0, recent.err);
  CHECK(recent.out == "step 1 loss 2.31\nstep 2 loss 2.05\nstep 1 loss 2.31\nstep 2 loss 2.05\n");

  // --since-time as kubectl takes it (RFC 3339), and --prefix=false, kubectl's spelling.
  const std::string hour_ago = FormatRfc3339(std::chrono::system_clock::now() - std::chrono::hours(1));
  CommandOutput since_time = Llm({"logs", "t", "-n", ns.name(), "--since-time", hour_ago, "--prefix=false"});
  CHECK_MESSAGE(since_time.exit_code == 0, since_time.err);
  CHECK(since_time.out == recent.out);
  CHECK(Llm({"logs", "t", "-n", ns.name(), "--since", "300"}).err ==
        "error: --since: '300' has no unit; give a duration such as 300s, 5m or 1h\n");

  // --timestamps: each line as the kubelet stored it, its RFC 3339 time first.
  CommandOutput stamped = Llm({"logs", "t", "-n", ns.name(), "--rank", "0", "--tail", "1", "--timestamps"});
  CHECK_MESSAGE(stamped.exit_code == 0, stamped.err);
  REQUIRE(stamped.out.starts_with("[t-0 rank=0] "));
  const std::string line = stamped.out.substr(std::string("[t-0 rank=0] ").size());
  CHECK(ParseRfc3339Exact(line.substr(0, line.find(' '))).has_value());
  CHECK(line.ends_with(" step 2 loss 2.05\n"));

  CommandOutput none = Llm({"logs", "t", "-n", ns.name(), "--rank", "7"});
  CHECK(none.exit_code == 1);
  CHECK(Contains(none.err, "none of the 2 pods of workload \"t\" match --rank 7"));

  // -f streams what is written after it started. kwok's kubelet endpoint has
  // no container runtime to say a container stopped, so its streams never end
  // by themselves: the follow is interrupted, as a user would with Ctrl-C.
  std::thread writer([] {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    AppendContainerLog("current.log", "step 3 loss 1.90");
  });
  CommandOutput follow = RunCommand({"/usr/bin/timeout", "-s", "INT", "7", KUBECTL_LLM_BINARY, "logs", "t", "-n",
                                     ns.name(), "--rank", "0", "-f", "--tail", "2"},
                                    {"KUBECONFIG=" + TestCluster::Get().Kubeconfig("admin")});
  writer.join();
  CHECK_MESSAGE(follow.exit_code == 124, follow.err);  // interrupted by timeout, not ended with an error
  CHECK(Contains(follow.out, "[t-0 rank=0] step 2 loss 2.05\n"));
  CHECK(Contains(follow.out, "[t-0 rank=0] step 3 loss 1.90\n"));
  CHECK(follow.out.find("step 2 loss") < follow.out.find("step 3 loss"));
  CHECK(Llm({"delete", "t", "-n", ns.name()}).exit_code == 0);
}

}  // namespace
}  // namespace llm::testing
