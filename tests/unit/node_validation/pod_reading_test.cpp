#include "node_validation/pod_reading.h"

#include <doctest/doctest.h>

#include "termination_summary.h"

namespace llm {
namespace {

using State = PodReading::State;
using nlohmann::json;

json WithContainer(json pod, json state) {
  pod["status"]["containerStatuses"] = {{{"name", "gpu-check"}, {"state", std::move(state)}}};
  return pod;
}

}  // namespace

TEST_CASE("ReadGpuCheckPod: each state a gpu-check pod can be in") {
  const json pending = {{"status", {{"phase", "Pending"}}}};
  CHECK(ReadGpuCheckPod(pending).state == State::kPending);
  json bound = pending;
  bound["spec"]["nodeName"] = "n1";
  CHECK(ReadGpuCheckPod(bound).state == State::kScheduled);
  CHECK(ReadGpuCheckPod(bound).node == "n1");

  const PodReading running =
      ReadGpuCheckPod(WithContainer(bound, {{"running", {{"startedAt", "2026-11-28T12:00:05Z"}}}}));
  CHECK(running.state == State::kRunning);
  CHECK(FormatRfc3339(*running.started_at) == "2026-11-28T12:00:05Z");

  gpu_check::TerminationSummary pass;
  pass.worst = {{"nccl_busbw", 181.5}};
  json ended =
      WithContainer(bound, {{"terminated", {{"exitCode", 0}, {"message", gpu_check::FormatTerminationSummary(pass)}}}});
  ended["status"]["phase"] = "Succeeded";
  const PodReading done = ReadGpuCheckPod(ended);
  CHECK(done.state == State::kEnded);
  CHECK(done.from_container);
  CHECK(done.terminal_phase);
  CHECK(done.outcome.verdict == Verdict::kPass);
  CHECK(*done.outcome.bandwidth.allreduce_busbw == 181.5);

  json failed = bound;
  failed["status"] = {{"phase", "Failed"}, {"reason", "DeadlineExceeded"}, {"message", "Pod was active too long"}};
  const PodReading killed = ReadGpuCheckPod(failed);
  CHECK(killed.state == State::kEnded);
  CHECK_FALSE(killed.from_container);
  CHECK(killed.outcome.verdict == Verdict::kError);
  CHECK(killed.outcome.reason == "pod failed: DeadlineExceeded: Pod was active too long");

  const PodReading pull =
      ReadGpuCheckPod(WithContainer(bound, {{"waiting", {{"reason", "ErrImagePull"}, {"message", "not found"}}}}));
  CHECK(pull.state == State::kStuck);
  CHECK(pull.reason == "image could not be pulled: ErrImagePull: not found");
  const PodReading config =
      ReadGpuCheckPod(WithContainer(bound, {{"waiting", {{"reason", "CreateContainerConfigError"}}}}));
  CHECK(config.reason == "container could not start: CreateContainerConfigError");
  CHECK(ReadGpuCheckPod(WithContainer(bound, {{"waiting", {{"reason", "ContainerCreating"}}}})).state ==
        State::kScheduled);

  json unschedulable = pending;
  unschedulable["status"]["conditions"] = {
      {{"type", "PodScheduled"}, {"status", "False"}, {"reason", "Unschedulable"}, {"message", "0/3 nodes"}}};
  CHECK(ReadGpuCheckPod(unschedulable).state == State::kUnschedulable);
  CHECK(ReadGpuCheckPod(unschedulable).reason == "0/3 nodes");

  for (const json& odd : {json(), json::array(), json("pod"), json{{"status", 3}}, json{{"spec", {{"nodeName", 1}}}}}) {
    CHECK(ReadGpuCheckPod(odd).state == State::kPending);
  }
}

TEST_CASE("KeepRunPodFields: a cut pod reads as the whole one, without its spec and managed fields") {
  gpu_check::TerminationSummary pass;
  pass.worst = {{"nccl_busbw", 181.5}};
  json whole = WithContainer(
      {{"metadata",
        {{"name", "gpu-check-abcde-n1"},
         {"namespace", "kubectl-llm-gpu-check"},
         {"uid", "u1"},
         {"resourceVersion", "42"},
         {"labels", {{"kubectl-llm.dev/gpu-check-run", "abcde"}}},
         {"annotations", {{"batch.kubernetes.io/job-completion-index", "1"}}},
         {"managedFields", json::array({{{"manager", "kubectl-llm"}, {"fieldsV1", {{"f:spec", json::object()}}}}})}}},
       {"spec",
        {{"nodeName", "n1"},
         {"containers", json::array({{{"name", "gpu-check"}, {"image", "img"}, {"args", {"--profile", "quick"}}}})},
         {"tolerations", json::array({{{"operator", "Exists"}}})}}},
       {"status",
        {{"phase", "Succeeded"}, {"conditions", json::array({{{"type", "PodScheduled"}, {"status", "True"}}})}}}},
      {{"terminated",
        {{"exitCode", 0},
         {"startedAt", "2026-11-28T12:00:05Z"},
         {"finishedAt", "2026-11-28T12:03:05Z"},
         {"message", gpu_check::FormatTerminationSummary(pass)}}}});
  json cut = whole;
  KeepRunPodFields(cut);

  CHECK(cut["spec"] == json{{"nodeName", "n1"}});
  CHECK_FALSE(cut["metadata"].contains("managedFields"));
  CHECK(cut["metadata"]["labels"] == whole["metadata"]["labels"]);
  CHECK(cut["metadata"]["annotations"] == whole["metadata"]["annotations"]);
  CHECK(cut["metadata"]["resourceVersion"] == "42");
  CHECK(cut["status"] == whole["status"]);
  const PodReading from_whole = ReadGpuCheckPod(whole);
  const PodReading from_cut = ReadGpuCheckPod(cut);
  CHECK(from_cut.state == from_whole.state);
  CHECK(from_cut.node == from_whole.node);
  CHECK(from_cut.from_container == from_whole.from_container);
  CHECK(from_cut.outcome.verdict == from_whole.outcome.verdict);
  CHECK(from_cut.outcome.bandwidth.allreduce_busbw == from_whole.outcome.bandwidth.allreduce_busbw);
  CHECK(from_cut.outcome.finished_at == from_whole.outcome.finished_at);
}

}  // namespace llm
