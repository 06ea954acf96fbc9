#include "faults/api_server_restart.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"

extern char** environ;

namespace llm::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The NUL-separated command line of `pid`.
std::vector<std::string> CommandLine(int pid) {
  std::string raw = ReadAll("/proc/" + std::to_string(pid) + "/cmdline");
  std::vector<std::string> argv;
  std::string current;
  for (char c : raw) {
    if (c == '\0') {
      argv.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return argv;
}

std::string PidFile(const std::string& daemon) { return TestCluster::Get().dir() + "/pids/" + daemon + ".pid"; }

/// The pid of the daemon started as `daemon` (its pid file's name) while that
/// process runs it; 0 otherwise.
int RunningPid(const std::string& daemon) {
  const std::string text = ReadAll(PidFile(daemon));
  if (text.empty()) return 0;
  const int pid = std::stoi(text);
  const std::vector<std::string> argv = CommandLine(pid);
  return !argv.empty() && argv[0].find(daemon) != std::string::npos ? pid : 0;
}

/// Kills the daemon up.sh started as `daemon`; returns its command line.
std::vector<std::string> KillDaemon(const std::string& daemon) {
  const int pid = RunningPid(daemon);
  REQUIRE_MESSAGE(pid != 0, PidFile(daemon), " names no running ", daemon);
  std::vector<std::string> argv = CommandLine(pid);
  REQUIRE(::kill(pid, SIGKILL) == 0);
  // up.sh started it with setsid, and a restarted one is reaped by init once
  // this test ends: either way, wait for it to go rather than for its status.
  for (int i = 0; i < 200 && ::kill(pid, 0) == 0; ++i) {
    int status = 0;
    ::waitpid(pid, &status, WNOHANG);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return argv;
}

/// Starts `argv` as up.sh's start_daemon does (own session, output appended
/// to logs/DAEMON.log) and records its pid where down.sh looks.
pid_t SpawnDaemon(const std::string& daemon, std::vector<std::string> argv) {
  const TestCluster& cluster = TestCluster::Get();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = cluster.dir() + "/logs/" + daemon + ".log";
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);  // as up.sh's setsid: outlives this test
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t started = 0;
  int rc = posix_spawn(&started, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  REQUIRE_MESSAGE(rc == 0, "could not start ", argv[0]);
  std::ofstream(PidFile(daemon)) << started << "\n";
  return started;
}

}  // namespace

std::vector<std::string> KillApiServer() { return KillDaemon("kube-apiserver"); }

void StartApiServer(std::vector<std::string> argv) {
  const TestCluster& cluster = TestCluster::Get();
  const pid_t started = SpawnDaemon("kube-apiserver", std::move(argv));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (cluster.Kubectl("admin", {"get", "--raw=/readyz", "--request-timeout=5s"}).exit_code != 0) {
    // Reap it if it died at once (a port still held, say), so the failure says so.
    int status = 0;
    REQUIRE_MESSAGE(::waitpid(started, &status, WNOHANG) == 0, "the restarted API server exited; see ", cluster.dir(),
                    "/logs/kube-apiserver.log");
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the API server was not ready within 120 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

namespace {

/// True once the Deployment and Job it makes in `ns` (fault-settle-N, one pod
/// each on cpu-node-0) have their pods counted, within `limit`; they are
/// deleted again either way.
bool ControllersAct(const std::string& ns, std::chrono::seconds limit) {
  static int made = 0;
  const std::string name = "fault-settle-" + std::to_string(++made);
  const std::string pod_spec =
      "      nodeSelector: {kubernetes.io/hostname: cpu-node-0}\n"
      "      containers: [{name: main, image: reg/img:1}]\n";
  const std::string manifests = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name +
                                "}\nspec:\n  replicas: 1\n  selector: {matchLabels: {settle: " + name +
                                "}}\n  template:\n    metadata: {labels: {settle: " + name + "}}\n    spec:\n" +
                                pod_spec + "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: " + name +
                                "}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n" + pod_spec;
  const TestCluster& cluster = TestCluster::Get();
  CommandOutput applied = cluster.Kubectl("admin", {"-n", ns, "apply", "-f", "-"}, manifests);
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto counted = [&](const std::string& object, const std::string& field) {
    CommandOutput r = cluster.Kubectl("admin", {"-n", ns, "get", object, "-o", "jsonpath={" + field + "}"});
    return r.exit_code == 0 && r.out.find_first_of("123456789") != std::string::npos;
  };
  bool acted = false;
  while (!(acted = counted("deployment/" + name, ".status.availableReplicas") &&
                   counted("job/" + name, ".status.active}{.status.succeeded")) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  cluster.Kubectl("admin", {"-n", ns, "delete", "deployment/" + name, "job/" + name, "--wait=false"});
  return acted;
}

/// Until RBAC lets the controller manager and the scheduler watch what they
/// watch: a restarted API server answers /readyz before its RBAC caches are
/// filled, and refuses (403) them until then.
void WaitForRbac() {
  const TestCluster& cluster = TestCluster::Get();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto allowed = [&](const char* user, const char* resource) {
    return cluster.Kubectl("admin", {"auth", "can-i", "watch", resource, "-A", "--as", user}).exit_code == 0;
  };
  while (!allowed("system:kube-controller-manager", "deployments.apps") || !allowed("system:kube-scheduler", "pods")) {
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "RBAC still refuses the controllers after 60 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

/// Kueue, when a test has started it (tests/cluster/kueue.sh), killed and
/// started again by kueue.sh. Its pod webhook looks a pod's owner up in its
/// cache, whose watches back off like the controllers', and refuses the pods
/// of new Jobs and ReplicaSets until it catches up ("admission webhook
/// \"mpod.kb.io\" denied the request: Job.batch \"x\" not found"). It runs in a
/// mount namespace of its own, so its command line alone cannot start it again.
void RestartKueueIfRunning() {
  if (RunningPid("kueue") == 0) return;
  KillDaemon("kueue");
  CommandOutput started = TestCluster::Get().StartKueue();
  REQUIRE_MESSAGE(started.exit_code == 0, "kueue.sh: ", started.err);
}

}  // namespace

std::chrono::seconds RestartControllers(const std::string& ns) {
  const auto start = std::chrono::steady_clock::now();
  WaitForRbac();
  RestartKueueIfRunning();
  constexpr int kTries = 4;
  for (int i = 1; i <= kTries; ++i) {
    for (const char* daemon : {"kube-controller-manager", "kube-scheduler", "kwok"}) {
      SpawnDaemon(daemon, KillDaemon(daemon));
    }
    if (ControllersAct(ns, std::chrono::seconds(15))) {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
    }
    MESSAGE("restart ", i, " of the controllers: no pods for a new Deployment and Job within 15 s");
  }
  FAIL("after ", kTries, " restarts the controllers still make no pods in ", ns);
  return {};
}

}  // namespace llm::testing
