// ValidationRun: the scheduler and per-node state machine of validate-nodes.
// It does no I/O: the command feeds it watch events (pods, nodes) and clock
// ticks, and carries out the actions it returns (create a pod, delete a pod,
// finish). Per node: Pending -> Created -> Scheduled -> Running -> Done, with
// Done holding a pass, fail or error verdict and its reason.
//
// Invariants: at most max_parallel pods hold a slot at once, where a pod holds
// its slot from CreatePod until it is seen to end (terminal phase or DELETED),
// or, for a pod the run gave up on and deleted, until it is seen gone or
// delete_grace has passed. Every handler costs O(log n) per node touched: state
// is kept in maps keyed by node and pod name and timers in an ordered map, so a
// run over n nodes is O(n log n) overall (steps() counts the work for tests).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/watcher.h"
#include "node_validation/node_result.h"
#include "util/duration.h"

namespace llm {

struct ValidationRunConfig {
  int max_parallel = 1;
  Seconds timeout{600};              ///< per node, from CreatePod
  Seconds unschedulable_grace{120};  ///< how long Unschedulable may last before it is an error
  Seconds delete_grace{60};          ///< how long a deleted pod may keep its slot unseen
  bool keep = false;                 ///< leave pods that ended (abandoned pods are always deleted)
  std::string run_id;                ///< part of every pod name, so reruns never collide
};

enum class NodePhase { kPending, kCreated, kScheduled, kRunning, kDone };
std::string_view NodePhaseName(NodePhase phase);

/// The machines take the watcher's events as they come (kube/watcher.h); only
/// ADDED, MODIFIED and DELETED carry an object and change anything.
using kube::WatchEventType;

struct RunAction {
  enum class Kind { kCreatePod, kDeletePod, kDone };
  Kind kind;
  std::string node;  ///< kCreatePod, kDeletePod
  std::string pod;   ///< kCreatePod (the name to give it), kDeletePod
  bool operator==(const RunAction&) const = default;
};

/// "gpu-check-<run>-<node>" with dots as dashes; names over 63 characters (a
/// pod's hostname is its name) are cut and end in 8 hex digits of a hash of the
/// node name, so distinct nodes keep distinct pods.
std::string GpuCheckPodName(std::string_view node, std::string_view run_id);

class ValidationRun {
 public:
  /// `nodes` are tested in this order.
  ValidationRun(ValidationRunConfig config, std::vector<std::string> nodes);

  /// The first CreatePod actions (and Done at once when there are no nodes).
  std::vector<RunAction> Start(TimePoint now);
  /// A watch event for a pod; pods the run did not create are ignored.
  std::vector<RunAction> OnPodEvent(WatchEventType type, const nlohmann::json& pod, TimePoint now);
  /// A watch event for a node; only DELETED of a node under test matters.
  std::vector<RunAction> OnNodeEvent(WatchEventType type, const nlohmann::json& node, TimePoint now);
  /// The passage of time: timeouts, Unschedulable grace, deletion grace.
  std::vector<RunAction> OnTick(TimePoint now);
  /// The API server refused CreatePod for `node`: error "could not create pod: MESSAGE".
  std::vector<RunAction> OnCreateFailed(std::string_view node, std::string_view message, TimePoint now);

  /// Stops the run (Ctrl-C, a lost API connection): every node not done gets
  /// error `reason`, every pod that may still run is deleted, then Done.
  std::vector<RunAction> Cancel(std::string_view reason, TimePoint now);

  bool finished() const { return done_count_ == states_.size(); }
  int slots_in_use() const { return slots_in_use_; }
  /// When OnTick next has something to do; nullopt when no timer is armed.
  std::optional<TimePoint> NextDeadline() const;
  NodePhase phase(std::string_view node) const;
  /// Results in the order the nodes were given; only Done nodes carry a verdict.
  std::vector<NodeResult> Results() const;
  /// Done nodes whose verdict says nothing of the node itself: its pod was
  /// never created (the API refused it, or the connection dropped) or was
  /// deleted by someone else before it ended. --record leaves them as they
  /// were: a verdict is recorded only for a node whose test the run saw end
  /// (or run past its timeout, or fail to schedule or start there).
  std::set<std::string> unseen_nodes() const;
  /// Internal work done so far (map lookups, queue and timer pops): tests use
  /// it to check that a run stays linear in its events.
  std::uint64_t steps() const { return steps_; }

 private:
  enum class TimerKind { kTimeout, kUnschedulable, kDeleteGrace };
  struct Timer {
    std::size_t index;
    TimerKind kind;
  };
  struct NodeState {
    NodePhase phase = NodePhase::kPending;
    std::string pod;
    bool holds_slot = false;
    bool abandoned = false;  ///< we asked to delete a pod that had not ended
    std::optional<TimePoint> created_at;
    std::optional<TimePoint> unschedulable_since;
    std::string unschedulable_message;
    bool unseen = false;  ///< see unseen_nodes()
    NodeResult result;
  };

  void Fill(TimePoint now, std::vector<RunAction>& out);
  void Finish(std::size_t index, Verdict verdict, std::string reason, TimePoint now);
  /// Takes the result of a pod that has ended (terminated container or a
  /// terminal phase); false when it has not ended.
  bool FinishIfEnded(std::size_t index, const nlohmann::json& pod, TimePoint now, bool pod_exists,
                     std::vector<RunAction>& out);
  /// Gives up on a pod that may still run: error, DeletePod, slot held until gone.
  void Abandon(std::size_t index, std::string reason, TimePoint now, std::vector<RunAction>& out);
  void ReleaseSlot(NodeState& state);
  void HandlePodStatus(std::size_t index, const nlohmann::json& pod, TimePoint now, std::vector<RunAction>& out);
  void MaybeDone(std::vector<RunAction>& out);

  ValidationRunConfig config_;
  std::vector<NodeState> states_;
  std::unordered_map<std::string, std::size_t> by_node_;
  std::unordered_map<std::string, std::size_t> by_pod_;
  std::deque<std::size_t> pending_;
  std::multimap<TimePoint, Timer> timers_;
  int slots_in_use_ = 0;
  std::size_t done_count_ = 0;
  bool done_emitted_ = false;
  std::uint64_t steps_ = 0;
};

}  // namespace llm
