// -w/--watch of a listing command: every collection the listing reads (the
// workload kinds, Services and autoscalers of status; nodes and pods of
// nodes; revision Secrets of history) is listed and then watched from its
// list's resourceVersion by a kube::Watcher of its own (resumed where a watch
// ends, listed again after 410 Gone), each on a thread. The command turns what
// the watches hold into its Listing, the same function its one-shot listing
// uses, and output/listing_table.h's ListingWatchPrinter prints the changes.
// Ctrl-C ends it with exit 0, as kubectl get -w.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/listing_flags.h"
#include "kube/rest_client.h"
#include "output/listing_table.h"
#include "output/terminal.h"
#include "util/clock.h"
#include "util/interrupt_signals.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm {

struct WatchedCollection {
  kube::ResourceRef collection;  ///< no name; ns "" for every namespace
  std::string label_selector;
  std::string field_selector;
  /// What to keep of each object (a pod's GPU requests, a Secret's
  /// metadata), so a long watch holds little; empty: the whole object.
  std::function<nlohmann::json(const nlohmann::json&)> keep;
};

/// What each collection holds now, "namespace/name" -> object, in the order
/// of ListingWatch::collections.
using WatchedObjects = std::vector<std::map<std::string, nlohmann::json>>;

struct ListingWatch {
  std::vector<WatchedCollection> collections;
  /// The listing the watched objects make, AGE counted at `now`.
  std::function<Result<Listing>(const WatchedObjects& objects, std::chrono::system_clock::time_point now)> listing;
  /// Checked on the first complete listing (status NAME that is not there:
  /// NotFound, as kubectl get NAME -w); empty: nothing to check.
  std::function<Status(const Listing& first)> check_first;
  /// Said on stderr when the first listing is empty and a table is printed
  /// ("No resources found in ml namespace."); "" says nothing.
  std::string empty_message;
};

/// What a watch needs besides the client: the clock AGE is counted by, where
/// the listing goes, and whether Ctrl-C was pressed.
struct ListingWatchEnv {
  Clock& clock;
  Terminal& terminal;
  std::ostream& err;
  std::function<bool()> stopped;
};

/// The ListingWatchEnv of a command run from the command line: its stdout (a
/// terminal when stdout is one: TERM not dumb, its width), the system clock,
/// and SIGINT/SIGTERM caught for as long as it lives. Make one only for -w.
class CommandLineWatchEnv {
 public:
  explicit CommandLineWatchEnv(IoStreams streams);
  CommandLineWatchEnv(const CommandLineWatchEnv&) = delete;
  CommandLineWatchEnv& operator=(const CommandLineWatchEnv&) = delete;
  const ListingWatchEnv& env() const { return env_; }
  /// The exit code of a watch the user stopped: 130 after Ctrl-C, 143 after
  /// SIGTERM, as for `metrics -w` and validate-nodes (kubectl get -w exits 1,
  /// which scripts cannot tell from a failure). 0 while no signal came.
  int stopped_exit_code() const { return signals_.received() == 0 ? 0 : ExitCodeForSignal(signals_.received()); }

 private:
  SystemClock clock_;
  StreamTerminal terminal_;
  InterruptSignals signals_;
  ListingWatchEnv env_;
};

/// Runs until `env.stopped` (Ok) or a watch fails for good (its error).
Status RunListingWatch(kube::RestClient& client, const ListingWatch& watch, const ListingOptions& options,
                       const OutputSpec& output, const ListingWatchEnv& env);

}  // namespace llm
