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

}  // namespace

std::vector<std::string> KillApiServer() {
  const std::string pid_file = TestCluster::Get().dir() + "/pids/kube-apiserver.pid";
  const int pid = std::stoi(ReadAll(pid_file));
  std::vector<std::string> argv = CommandLine(pid);
  REQUIRE_MESSAGE((!argv.empty() && argv[0].find("kube-apiserver") != std::string::npos), "pid ", pid, " in ", pid_file,
                  " is not the API server");
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

void StartApiServer(std::vector<std::string> argv) {
  const TestCluster& cluster = TestCluster::Get();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = cluster.dir() + "/logs/kube-apiserver.log";
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
  std::ofstream(cluster.dir() + "/pids/kube-apiserver.pid") << started << "\n";

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (cluster.Kubectl("admin", {"get", "--raw=/readyz", "--request-timeout=5s"}).exit_code != 0) {
    // Reap it if it died at once (a port still held, say), so the failure says so.
    int status = 0;
    REQUIRE_MESSAGE(::waitpid(started, &status, WNOHANG) == 0, "the restarted API server exited; see ", log);
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the API server was not ready within 120 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace llm::testing
