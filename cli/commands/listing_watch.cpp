#include "commands/listing_watch.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include <unistd.h>

#include <cstdlib>

#include "kube/object_fields.h"
#include "kube/watcher.h"

namespace llm {
namespace {

using nlohmann::json;

std::string KeyOf(const json& object) { return NamespaceOf(object) + "/" + NameOf(object); }

struct Queued {
  size_t collection = 0;
  kube::WatchEventType type = kube::WatchEventType::kAdded;
  std::string key;
  json object;
};

/// The watches' threads and what they report, handed to the printing thread.
class WatchThreads {
 public:
  WatchThreads(kube::RestClient& client, Clock& clock, const std::vector<WatchedCollection>& collections) {
    for (size_t i = 0; i < collections.size(); ++i) {
      threads_.emplace_back([this, &client, &clock, &collections, i] { Run(client, clock, collections[i], i); });
    }
  }
  ~WatchThreads() { Stop(); }
  WatchThreads(const WatchThreads&) = delete;
  WatchThreads& operator=(const WatchThreads&) = delete;

  /// Ends every watch (within about a second) and joins the threads.
  void Stop() {
    stopping_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  /// Waits up to `timeout` for events; returns them (maybe none), or the
  /// first watch's failure.
  Result<std::deque<Queued>> Take(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait_for(lock, timeout, [this] { return !queue_.empty() || failure_.has_value(); });
    if (failure_) return *failure_;
    std::deque<Queued> taken;
    taken.swap(queue_);
    return taken;
  }

 private:
  void Run(kube::RestClient& client, Clock& clock, const WatchedCollection& collection, size_t index) {
    kube::WatchOptions options;
    options.label_selector = collection.label_selector;
    options.field_selector = collection.field_selector;
    options.stop_requested = [this] { return stopping_.load(); };
    kube::Watcher watcher(client, clock, collection.collection, options);
    Status ended = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
      if (event.type == kube::WatchEventType::kBookmark) return !stopping_;
      Queued queued{index, event.type, "", json()};
      if (event.type != kube::WatchEventType::kSynced) {
        queued.key = KeyOf(event.object);
        queued.object = collection.keep ? collection.keep(event.object) : event.object;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(queued));
      ready_.notify_one();
      return !stopping_;
    });
    if (ended.ok() || stopping_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure_) failure_ = ended.error();
    ready_.notify_one();
  }

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Queued> queue_;
  std::optional<Error> failure_;
  std::vector<std::thread> threads_;
};

bool StdoutIsTerminal() {
  const char* term = std::getenv("TERM");
  return IsTerminalFd(STDOUT_FILENO, term == nullptr ? "" : term);
}

}  // namespace

CommandLineWatchEnv::CommandLineWatchEnv(IoStreams streams)
    : terminal_(streams.out, StdoutIsTerminal(), TerminalColumns(STDOUT_FILENO)),
      env_{clock_, terminal_, streams.err, [this] { return signals_.received() != 0; }} {}

Status RunListingWatch(kube::RestClient& client, const ListingWatch& watch, const ListingOptions& options,
                       const OutputSpec& output, const ListingWatchEnv& env) {
  ListingWatchPrinter printer(options.print, output, options.watch_only, env.terminal);
  if (options.print.sort_by && !printer.redraws()) {
    env.err << (options.watch_only
                    ? "warning: --watch-only requested, --sort-by will be ignored\n"
                    : "warning: --watch requested, --sort-by will be ignored for watch events received\n");
  }
  // AGE and the like move with the clock; rows computed at this fixed time
  // tell a change of the objects from the clock's.
  const auto stable_time = env.clock.Now();
  WatchedObjects objects(watch.collections.size());
  std::vector<bool> synced(watch.collections.size(), false);
  bool started = false;
  WatchThreads threads(client, env.clock, watch.collections);
  while (!env.stopped()) {
    LLM_ASSIGN_OR_RETURN(std::deque<Queued> events, threads.Take(std::chrono::milliseconds(250)));
    if (events.empty()) continue;
    std::set<std::pair<size_t, std::string>> deleted;
    for (Queued& event : events) {
      switch (event.type) {
        case kube::WatchEventType::kSynced:
          synced[event.collection] = true;
          break;
        case kube::WatchEventType::kDeleted:
          // Kept until the rows are computed once more: its last row is printed.
          objects[event.collection][event.key] = std::move(event.object);
          deleted.emplace(event.collection, event.key);
          break;
        case kube::WatchEventType::kAdded:
        case kube::WatchEventType::kModified:
          objects[event.collection][event.key] = std::move(event.object);
          deleted.erase({event.collection, event.key});
          break;
        case kube::WatchEventType::kBookmark:
          break;
      }
    }
    if (!started && std::find(synced.begin(), synced.end(), false) != synced.end()) {
      for (const auto& [collection, key] : deleted) objects[collection].erase(key);
      continue;  // the first listing waits for every list
    }
    std::optional<Listing> before;
    if (started && !deleted.empty()) {
      LLM_ASSIGN_OR_RETURN(before, watch.listing(objects, env.clock.Now()));
    }
    for (const auto& [collection, key] : deleted) objects[collection].erase(key);
    LLM_ASSIGN_OR_RETURN(Listing now, watch.listing(objects, env.clock.Now()));
    LLM_ASSIGN_OR_RETURN(const Listing stable, watch.listing(objects, stable_time));
    if (started) {
      LLM_RETURN_IF_ERROR(printer.Update(std::move(now), stable, before));
      continue;
    }
    started = true;
    if (watch.check_first) LLM_RETURN_IF_ERROR(watch.check_first(now));
    if (now.table.row_count() == 0 && output.is_table() && !options.watch_only && !watch.empty_message.empty()) {
      env.err << watch.empty_message << std::flush;
    }
    LLM_RETURN_IF_ERROR(printer.Start(std::move(now), stable));
  }
  return Ok();
}

}  // namespace llm
