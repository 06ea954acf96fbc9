#include "integration/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string_view>

extern char** environ;

namespace llm::testing {
namespace {

/// Closes a pipe end once, on scope exit too.
struct Fd {
  int fd = -1;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

}  // namespace

CommandOutput RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const std::string& input, const OnStarted& on_started, const OutputWatcher& watcher) {
  CommandOutput result;
  std::array<int, 2> in{}, out{}, err{};
  if (pipe2(in.data(), O_CLOEXEC) != 0 || pipe2(out.data(), O_CLOEXEC) != 0 || pipe2(err.data(), O_CLOEXEC) != 0) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  Fd in_w{in[1]}, out_r{out[0]}, err_r{err[0]};
  Fd in_r{in[0]}, out_w{out[1]}, err_w{err[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // `env` entries replace inherited variables of the same name.
  std::vector<std::string> env_storage(env.begin(), env.end());
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view key = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (const std::string& mine : env) replaced = replaced || mine.starts_with(key);
    if (!replaced) env_storage.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  // The child starts with SIGINT and SIGTERM at their default action, as from
  // an interactive shell, even when this process runs in the background
  // (where a non-interactive shell ignores SIGINT, and the child would inherit it).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);

  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  in_r.Close();
  out_w.Close();
  err_w.Close();
  if (rc != 0) {
    result.err = "spawn " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  if (on_started) on_started(static_cast<int>(pid));
  const auto started = std::chrono::steady_clock::now();

  // Feed stdin and drain both outputs together so no pipe fills up and blocks.
  std::string_view pending = input;
  if (pending.empty()) in_w.Close();
  fcntl(in_w.fd, F_SETFL, O_NONBLOCK);
  std::array<char, 65536> buffer{};
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    std::array<pollfd, 3> fds{{{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}, {in_w.fd, POLLOUT, 0}}};
    if (poll(fds.data(), fds.size(), watcher ? 100 : -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (in_w.fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      ssize_t n = ::write(in_w.fd, pending.data(), pending.size());
      if (n > 0) pending.remove_prefix(static_cast<size_t>(n));
      if (n < 0 || pending.empty()) in_w.Close();
    }
    for (int i = 0; i < 2; ++i) {
      Fd& fd = i == 0 ? out_r : err_r;
      if (fd.fd < 0 || (fds[static_cast<size_t>(i)].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = ::read(fd.fd, buffer.data(), buffer.size());
      if (n <= 0) {
        fd.Close();
      } else {
        (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<size_t>(n));
      }
    }
    if (watcher) {
      auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      if (int signal = watcher(result, elapsed); signal != 0) ::kill(pid, signal);
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return result;
}

}  // namespace llm::testing
