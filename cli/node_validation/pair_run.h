// PairRun: the --multi-node part of validate-nodes as a state machine, like
// ValidationRun and as free of I/O. Nodes that passed alone are paired
// (PlanNodePairs); each pair runs the two-node NCCL all-reduce as one Indexed
// Job (two pods, one per node) and a headless Service; a failing pair's members
// are re-paired with known-good nodes in the next round until each node is
// good, bad or inconclusive. The command feeds pod and node watch events and
// ticks, and carries out the actions (create or delete a pair's Job and
// Service, finish).
//
// A pair passes when both pods pass and its bus bandwidth is not an outlier:
// below kPairOutlierRatio x the median over every pair measured so far (at
// least two), judged when its round ends. llm-gpu-check has no floor for
// multi-node all-reduce (the fabric decides what is normal), so comparing pairs
// of one run is what finds a slow NIC or link. A pair fails when a pod's
// self-test fails (or its bandwidth is an outlier); anything that says nothing
// about the fabric (not schedulable, image pull, timeout, deleted) is an error:
// both members are then taken out of the pairing and reported as error, unless
// an earlier pair already decided them.
//
// Slots: a pair holds two of --max-parallel pod slots (one pair always runs,
// even with --max-parallel 1) from CreateJob until it has ended, or, when it was
// given up on and deleted, until its pods are seen gone or delete_grace passed.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/well_known_names.h"
#include "node_validation/node_pairing.h"
#include "node_validation/node_result.h"
#include "node_validation/validation_run.h"
#include "util/duration.h"

namespace llm {

/// A pair whose bus bandwidth is below this fraction of the median over the
/// run's pairs fails: llm-gpu-check's own outlier ratio within a node.
inline constexpr double kPairOutlierRatio = 0.85;

/// Every object of a pair (Job, Service, pods) carries this label with the
/// Job's name (the rendered workload's NAME): the Service and the pods'
/// anti-affinity select by it, and the run maps a pod to its pair with it.
inline constexpr const char* kPairJobLabel = kInstanceLabel.data();
/// Set by the Job controller on every pod of an Indexed Job (its rank).
inline constexpr const char* kJobCompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";

struct PairRunConfig {
  int max_parallel = 2;  ///< pods at once (--max-parallel); a pair takes two
  Seconds timeout{600};  ///< per pair, from CreateJob
  Seconds unschedulable_grace{120};
  Seconds delete_grace{60};
  std::string run_id;
};

/// "gpu-check-<run>-pair-<n>", n counting from 1: short, since the pods'
/// hostnames are "<job>-<index>".
std::string GpuCheckPairJobName(std::string_view run_id, int number);

struct PairAction {
  enum class Kind { kCreateJob, kDeleteJob, kDone };
  Kind kind;
  std::string job;  ///< kCreateJob, kDeleteJob: the Job and its Service
  NodePair nodes;   ///< kCreateJob
  bool operator==(const PairAction&) const = default;
};

/// One pair test (one Job).
struct PairTestResult {
  std::string job;
  NodePair nodes;
  int round = 0;         ///< 1 for the first pairing, 2 for the first re-pairing, ...
  bool created = false;  ///< CreateJob was issued (a Cancel can end planned pairs first)
  bool done = false;
  Verdict verdict = Verdict::kError;
  std::string reason;                     ///< "" on pass; failing pods' reasons start with their node
  std::optional<double> allreduce_busbw;  ///< GB/s, the lower of the two pods' figures
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
};

/// What the pair tests say about one node.
enum class MultiNodeConclusion {
  kGood,          ///< passed with some partner
  kBad,           ///< failed with a known-good partner
  kInconclusive,  ///< failed, and no known-good partner was left to tell
  kError,         ///< its pair ended in an error before anything was decided
  kUntested,      ///< no partner: no other node passed its single-node test
};
std::string_view MultiNodeConclusionName(MultiNodeConclusion conclusion);

struct MultiNodeNodeResult {
  std::string node;
  MultiNodeConclusion conclusion = MultiNodeConclusion::kUntested;
  std::string reason;                     ///< "" for good
  std::optional<double> allreduce_busbw;  ///< good: its slowest passing pair; else its slowest pair
  std::vector<std::string> jobs;          ///< the pairs it was in, in order
};

class PairRun {
 public:
  /// `nodes`: the nodes that passed alone; their order does not matter (pairs
  /// are planned in name order).
  PairRun(PairRunConfig config, std::vector<std::string> nodes);

  std::vector<PairAction> Start(TimePoint now);
  /// Pods of this run's pairs (by kPairJobLabel); others are ignored.
  std::vector<PairAction> OnPodEvent(WatchEventType type, const nlohmann::json& pod, TimePoint now);
  /// DELETED of a node in an open pair makes the pair an error; a node deleted
  /// before its turn is taken out of the pairing.
  std::vector<PairAction> OnNodeEvent(WatchEventType type, const nlohmann::json& node, TimePoint now);
  std::vector<PairAction> OnTick(TimePoint now);
  /// The API server refused the Job or its Service: error "could not create job: MESSAGE".
  std::vector<PairAction> OnCreateFailed(std::string_view job, std::string_view message, TimePoint now);
  /// Every open pair becomes an error `reason` (its Job deleted), no new pair
  /// starts, nodes not decided yet are errors; then Done.
  std::vector<PairAction> Cancel(std::string_view reason, TimePoint now);

  bool finished() const { return done_emitted_; }
  int pods_in_use() const { return 2 * pairs_holding_slots_; }
  std::optional<TimePoint> NextDeadline() const;
  /// Every pair created or planned so far, in creation order.
  const std::vector<PairTestResult>& Pairs() const { return pairs_; }
  /// One entry per node given, in name order.
  std::vector<MultiNodeNodeResult> NodeResults() const;
  /// Nodes whose conclusion a Cancel decided (not to be recorded).
  const std::set<std::string>& cancelled_nodes() const { return cancelled_nodes_; }

 private:
  enum class TimerKind { kTimeout, kUnschedulable, kDeleteGrace };
  struct Timer {
    std::size_t pair;
    TimerKind kind;
  };
  /// One pod of a pair, keyed by its rank (completion index), else its name.
  struct PodTrack {
    std::string name;
    std::string node;
    bool ended = false;  ///< terminal or gone
    std::optional<Verdict> verdict;
    std::optional<TimePoint> unschedulable_since;
    std::string unschedulable_message;
  };
  struct PairState {
    bool created = false;
    bool holds_slot = false;
    bool abandoned = false;
    std::optional<TimePoint> created_at;
    std::map<std::string, PodTrack> pods;
  };

  void Fill(TimePoint now, std::vector<PairAction>& out);
  /// The next round from PlanNodePairs, queued; or planning_over_ when it is empty.
  void PlanRound();
  void Finish(std::size_t index, Verdict verdict, std::string reason, TimePoint now);
  void Abandon(std::size_t index, std::string reason, TimePoint now, std::vector<PairAction>& out);
  /// Releases the pair's slot once nothing of it can still run.
  void MaybeRelease(std::size_t index);
  void HandlePod(std::size_t index, WatchEventType type, const nlohmann::json& pod, TimePoint now,
                 std::vector<PairAction>& out);
  /// After any change: round over -> outliers judged, next round planned; all over -> Done.
  void Advance(TimePoint now, std::vector<PairAction>& out);
  void JudgeRoundOutliers();
  /// Errors say nothing about the fabric: the members are not paired again.
  void TakeOut(const std::string& node, const std::string& reason);
  /// Pass and fail pairs, for PlanNodePairs (errors are left out).
  std::vector<PairResult> DecidedResults() const;

  PairRunConfig config_;
  std::vector<std::string> nodes_;   ///< sorted
  std::set<std::string> taken_out_;  ///< errors and deleted nodes: not paired again
  std::map<std::string, std::string> taken_out_reason_;
  std::set<std::string> cancelled_nodes_;
  std::vector<PairTestResult> pairs_;
  std::vector<PairState> states_;
  std::map<std::string, std::size_t> by_job_;
  std::deque<std::size_t> queued_;
  std::multimap<TimePoint, Timer> timers_;
  int round_ = 0;
  std::size_t round_begin_ = 0;  ///< index of the first pair of the current round
  int pairs_holding_slots_ = 0;
  bool planning_over_ = false;
  bool cancelled_ = false;
  std::string cancel_reason_;
  bool done_emitted_ = false;
};

}  // namespace llm
