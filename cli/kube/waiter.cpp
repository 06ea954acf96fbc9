#include "kube/waiter.h"

#include <optional>

#include "kube/watcher.h"

namespace llm::kube {

Result<WaitResult> Waiter::WaitFor(const ResourceRef& object, const WaitPredicate& predicate,
                                   std::chrono::milliseconds timeout, const WaitProgress& progress,
                                   std::function<bool()> stop_requested) {
  ResourceRef collection = object;
  collection.name.clear();
  collection.subresource.clear();
  const std::string target = object.GroupResource() + "/" + object.name;

  WatchOptions options;
  options.field_selector = "metadata.name=" + object.name;
  options.deadline = clock_.Now() + timeout;
  options.stop_requested = stop_requested;

  WaitResult result;
  std::optional<WaitCheck> final_check;
  std::string last_message;
  bool present = false;
  auto evaluate = [&](const nlohmann::json* current) -> bool {
    WaitCheck check = predicate(current);
    result.object = current != nullptr ? *current : nlohmann::json();
    result.message = check.message;
    if (check.state != WaitState::kPending) {
      final_check = check;
      return false;
    }
    if (progress && check.message != last_message) progress(check);
    last_message = check.message;
    return true;
  };

  Watcher watcher(client_, clock_, collection, options);
  Status run = watcher.Run([&](const WatchEvent& event) -> Result<bool> {
    switch (event.type) {
      case WatchEventType::kBookmark:
        return true;
      case WatchEventType::kSynced:
        // A list without the object reports nothing else: absence is judged here.
        return present || evaluate(nullptr);
      case WatchEventType::kDeleted:
        present = false;
        return evaluate(nullptr);
      case WatchEventType::kAdded:
      case WatchEventType::kModified:
        present = true;
        return evaluate(&event.object);
    }
    return true;
  });
  if (!run.ok() && run.error().kind() != ErrorKind::kTimeout) {
    return run.error().WithContext("waiting for " + target);
  }
  if (final_check) {
    if (final_check->state == WaitState::kDone) return result;
    return Error(ErrorKind::kServer, final_check->message);
  }
  if (run.ok() && stop_requested && stop_requested()) {
    return Error(ErrorKind::kInternal, "stopped waiting for " + object.resource + "/" + object.name);
  }
  return Error(ErrorKind::kTimeout, "timed out waiting for the condition on " + object.resource + "/" + object.name);
}

}  // namespace llm::kube
