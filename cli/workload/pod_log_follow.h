// FollowPodLog: one pod's log followed (`logs -f`) through dropped
// connections. kubectl logs -f ends when its connection breaks (an API server
// restart, a proxy or VPN that drops it); this opens the stream again, from
// where it broke (LogFollowCursor), until the container's stream ends or no
// connection holds for a while.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm {

struct LogFollowPolicy {
  /// Given up (the last error returned) once no attempt has held a connection
  /// or brought a line for this long.
  std::chrono::seconds give_up_after{60};
  /// An attempt that lasted this long held its connection.
  std::chrono::seconds held_after{10};
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{4000};
  /// Lines keep their timestamps (logs --timestamps); else they are removed.
  bool timestamps = false;
};

/// The request path of the stream: `since_time` nullopt for the first request
/// (or when nothing came yet), else the RFC 3339 second to resume from. The
/// path must ask for follow=true and timestamps=true.
using LogPathFn = std::function<std::string(const std::optional<std::string>& since_time)>;

/// Follows the stream, passing `emit` whole lines (timestamps removed unless
/// policy.timestamps), each
/// line once. Ok when the stream ended (the container stopped); the error of
/// the last attempt when it is not a dropped connection (or a server error),
/// or when the policy gives up.
Status FollowPodLog(kube::RestClient& client, Clock& clock, const LogPathFn& path,
                    const std::function<void(std::string_view lines)>& emit, const LogFollowPolicy& policy = {});

}  // namespace llm
