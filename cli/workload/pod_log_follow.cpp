#include "workload/pod_log_follow.h"

#include <algorithm>

#include "workload/log_follow_cursor.h"

namespace llm {
namespace {

/// A broken or refused connection, a timeout, or a server error (an API
/// server starting, a kubelet restarting): the stream may be opened again.
bool Resumable(const Error& error) {
  return error.kind() == ErrorKind::kConnection || error.kind() == ErrorKind::kTimeout ||
         error.kind() == ErrorKind::kServer;
}

}  // namespace

Status FollowPodLog(kube::RestClient& client, Clock& clock, const LogPathFn& path,
                    const std::function<void(std::string_view lines)>& emit, const LogFollowPolicy& policy) {
  LogFollowCursor cursor(policy.timestamps);
  auto last_good = clock.Monotonic();
  auto backoff = policy.first_backoff;
  while (true) {
    kube::HttpRequest request;
    request.path = path(cursor.ResumeSince());
    bool delivered = false;
    const auto started = clock.Monotonic();
    auto response = client.Stream(std::move(request), [&](std::string_view chunk) {
      delivered = true;
      if (std::string lines = cursor.Feed(chunk); !lines.empty()) emit(lines);
      return true;
    });
    if (response.ok()) {
      if (std::string last = cursor.Finish(); !last.empty()) emit(last);
      return Ok();
    }
    if (!Resumable(response.error())) return response.error();
    const auto now = clock.Monotonic();
    if (delivered || now - started >= policy.held_after) {
      last_good = now;
      backoff = policy.first_backoff;
    }
    if (now - last_good >= policy.give_up_after) return response.error();
    clock.SleepFor(backoff);
    backoff = std::min(backoff * 2, policy.max_backoff);
    cursor.Resume();
  }
}

}  // namespace llm
