// A sweep's trial as train renders it (labels, annotations, the wrapped
// command), and the wrapper itself, run in a real shell as the container runs
// it: output passes through, the last metric line lands in the termination
// log, the command's exit status and SIGTERM reach through.
#include "render/sweep_trial.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "kube/well_known_names.h"
#include "render/render_pipeline.h"
#include "util/yaml_document.h"

extern char** environ;

namespace llm {
namespace {

using nlohmann::json;

struct Run {
  int exit_code = -1;
  std::string out;
  std::string termination_log;  ///< "" when the wrapper wrote none
};

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs `argv` with stdout to a file and KUBECTL_LLM_TERMINATION_LOG set;
/// `while_running` (if any) gets its pid.
Run RunWrapped(const std::vector<std::string>& argv, const std::function<void(pid_t)>& while_running = {}) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sweep-trial-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path out = dir / "out", log = dir / "termination-log";
  std::filesystem::remove(log);
  const std::string log_env = "KUBECTL_LLM_TERMINATION_LOG=" + log.string();
  const std::string tmp_env = "TMPDIR=" + dir.string();
  std::vector<char*> env = {const_cast<char*>(log_env.c_str()), const_cast<char*>(tmp_env.c_str()),
                            const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data()) == 0);
  posix_spawn_file_actions_destroy(&actions);
  if (while_running) while_running(pid);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Run run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadAll(out);
  if (std::filesystem::exists(log)) run.termination_log = ReadAll(log);
  // The FIFO is removed on the way out.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    CHECK_MESSAGE(entry.path().filename().string().rfind("kubectl-llm-trial.", 0) != 0, entry.path().string());
  }
  std::filesystem::remove_all(dir);
  return run;
}

TEST_CASE("trial wrapper: output passes through, the last val_loss line becomes the termination message") {
  Run run = RunWrapped(TrialCommand(
      "val_loss", {"/bin/sh", "-c",
                   "echo step=1 val_loss=0.9; echo avg_val_loss=7; echo 'epoch 2: val_loss=0.42 acc=0.8'; echo done; "
                   "printf 'no newline'; exit 3"}));
  CHECK(run.exit_code == 3);
  CHECK(run.out == "step=1 val_loss=0.9\navg_val_loss=7\nepoch 2: val_loss=0.42 acc=0.8\ndone\nno newline\n");
  CHECK(run.termination_log == "epoch 2: val_loss=0.42 acc=0.8\n");
}

TEST_CASE("trial wrapper: no metric line writes no message, and a long line is cut at 1 KiB") {
  Run none = RunWrapped(TrialCommand("loss", {"/bin/sh", "-c", "echo other=1; echo val_loss=2"}));
  CHECK(none.exit_code == 0);
  CHECK(none.termination_log.empty());
  Run long_line = RunWrapped(TrialCommand("loss", {"/bin/sh", "-c", "printf 'loss=1 %02000d\\n' 0"}));
  CHECK(long_line.termination_log.size() == 1025);
  CHECK(long_line.termination_log.rfind("loss=1 000", 0) == 0);
}

TEST_CASE("trial wrapper: SIGTERM to the shell reaches the command, whose status the wrapper returns") {
  // The sleep left behind keeps the command's stdout open: the wrapper still
  // ends, 5 s after the command did, with the message written.
  const auto started = std::chrono::steady_clock::now();
  Run run = RunWrapped(
      TrialCommand("loss", {"/bin/sh", "-c", "trap 'echo stopping; exit 7' TERM; echo loss=0.5; sleep 30 & wait"}),
      [](pid_t pid) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        ::kill(pid, SIGTERM);
      });
  CHECK(run.exit_code == 7);
  CHECK(run.out == "loss=0.5\nstopping\n");
  CHECK(run.termination_log == "loss=0.5\n");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
}

TEST_CASE("a sweep trial renders as train does, labelled, annotated and wrapped") {
  RenderRequest r;
  r.workload = "train";
  r.name = "lr-3";
  r.flags = {{"image", {"img:1"}}, {"queue", {"team-a"}}};
  r.trailing = {"torchrun", "t.py", "--lr", "0.001"};
  r.served = std::set<std::string, std::less<>>{};
  r.trial = SweepTrial{"lr", 3, {{"lr", "0.001"}, {"wd", "1e-05"}}, "val_loss", false};
  auto templates = EmbeddedTemplateSource();
  auto manifests =
      RenderManifests(r, *templates, [](const std::string&) -> Result<std::string> { return std::string(); });
  REQUIRE_MESSAGE(manifests.ok(), (manifests.ok() ? "" : manifests.error().message()));
  std::vector<json> objects = ToApiObjects(*manifests);
  REQUIRE(objects.size() == 2);
  const json& job = objects[1];
  CHECK(job["kind"] == "Job");
  CHECK(job["metadata"]["name"] == "lr-3");
  CHECK(job["metadata"]["labels"]["kubectl-llm.dev/sweep"] == "lr");
  CHECK(job["metadata"]["labels"]["kubectl-llm.dev/trial"] == "3");
  CHECK(job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "team-a");
  CHECK(job["metadata"]["annotations"]["kubectl-llm.dev/trial-params"] == R"({"lr":"0.001","wd":"1e-05"})");
  CHECK(job["metadata"]["annotations"]["kubectl-llm.dev/sweep-metric"] == "val_loss");
  CHECK(job["metadata"]["annotations"]["kubectl-llm.dev/sweep-mode"] == "min");
  const json& pod = job["spec"]["template"];
  CHECK(pod["metadata"]["labels"]["kubectl-llm.dev/sweep"] == "lr");
  CHECK(pod["metadata"]["labels"]["kubectl-llm.dev/trial"] == "3");
  const json& command = pod["spec"]["containers"][0]["command"];
  CHECK(command.get<std::vector<std::string>>() == TrialCommand("val_loss", r.trailing));

  // Without a trial, train renders exactly as before: no sweep labels, the command as given.
  r.trial.reset();
  auto plain = RenderManifests(r, *templates, [](const std::string&) -> Result<std::string> { return std::string(); });
  REQUIRE(plain.ok());
  const json plain_job = ToApiObjects(*plain)[1];
  CHECK_FALSE(plain_job["metadata"]["labels"].contains("kubectl-llm.dev/sweep"));
  CHECK(plain_job["spec"]["template"]["spec"]["containers"][0]["command"].get<std::vector<std::string>>() ==
        r.trailing);
}

}  // namespace
}  // namespace llm
