// Waiter: waits until one object satisfies a predicate, driven by a watch on
// that object (fieldSelector metadata.name=NAME) with a deadline: the state
// is evaluated on the initial list and on every event, never by polling.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "kube/rest_client.h"
#include "kube/wait_condition.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm::kube {

struct WaitResult {
  std::string message;    ///< the predicate's last message ("condition met", "... successfully rolled out")
  nlohmann::json object;  ///< the object as last seen; null when it does not exist
};

/// Called with each pending state, for progress output ("Waiting for deployment ...").
using WaitProgress = std::function<void(const WaitCheck& check)>;

class Waiter {
 public:
  Waiter(RestClient& client, Clock& clock) : client_(client), clock_(clock) {}

  /// `object` names one object (ns and name set). A zero timeout checks once.
  /// Errors: kTimeout "timed out waiting for the condition on deployments/x";
  /// kServer with the predicate's message when it reports kFailed.
  /// `stop_requested` lets another thread end the wait early (the watch's
  /// WatchOptions::stop_requested); it then fails with kInternal "stopped
  /// waiting for deployments/x", which that thread expects.
  Result<WaitResult> WaitFor(const ResourceRef& object, const WaitPredicate& predicate,
                             std::chrono::milliseconds timeout, const WaitProgress& progress = {},
                             std::function<bool()> stop_requested = {});

  /// The clock its deadlines are read on, for callers that also poll.
  Clock& clock() const { return clock_; }

 private:
  RestClient& client_;
  Clock& clock_;
};

}  // namespace llm::kube
