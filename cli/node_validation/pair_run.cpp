#include "node_validation/pair_run.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/object_fields.h"
#include "node_validation/pod_reading.h"

namespace llm {
namespace {

/// Both ranks of a two-node test.
constexpr std::size_t kRanks = 2;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

bool Contains(const NodePair& pair, const std::string& node) { return pair.first == node || pair.second == node; }

const std::string& Partner(const NodePair& pair, const std::string& node) {
  return pair.first == node ? pair.second : pair.first;
}

void KeepLower(std::optional<double>& into, const std::optional<double>& value) {
  if (value && (!into || *value < *into)) into = value;
}

}  // namespace

std::string GpuCheckPairJobName(std::string_view run_id, int number) {
  return fmt::format("gpu-check-{}-pair-{}", run_id, number);
}

std::string_view MultiNodeConclusionName(MultiNodeConclusion conclusion) {
  switch (conclusion) {
    case MultiNodeConclusion::kGood:
      return "good";
    case MultiNodeConclusion::kBad:
      return "bad";
    case MultiNodeConclusion::kInconclusive:
      return "inconclusive";
    case MultiNodeConclusion::kError:
      return "error";
    case MultiNodeConclusion::kUntested:
      return "untested";
  }
  return "untested";
}

PairRun::PairRun(PairRunConfig config, std::vector<std::string> nodes)
    : config_(std::move(config)), nodes_(std::move(nodes)) {
  std::sort(nodes_.begin(), nodes_.end());
  nodes_.erase(std::unique(nodes_.begin(), nodes_.end()), nodes_.end());
}

std::vector<PairAction> PairRun::Start(TimePoint now) {
  std::vector<PairAction> out;
  Advance(now, out);
  return out;
}

std::vector<PairResult> PairRun::DecidedResults() const {
  std::vector<PairResult> results;
  for (const PairTestResult& p : pairs_) {
    if (p.done && p.verdict != Verdict::kError)
      results.push_back({p.nodes.first, p.nodes.second, p.verdict == Verdict::kPass});
  }
  return results;
}

void PairRun::PlanRound() {
  std::vector<std::string> active;
  for (const std::string& n : nodes_) {
    if (!taken_out_.contains(n)) active.push_back(n);
  }
  const PairingPlan plan = PlanNodePairs(active, DecidedResults());
  if (plan.finished) {
    planning_over_ = true;
    return;
  }
  ++round_;
  round_begin_ = pairs_.size();
  for (const NodePair& pair : plan.next) {
    PairTestResult p;
    p.job = GpuCheckPairJobName(config_.run_id, static_cast<int>(pairs_.size()) + 1);
    p.nodes = pair;
    p.round = round_;
    by_job_.emplace(p.job, pairs_.size());
    queued_.push_back(pairs_.size());
    pairs_.push_back(std::move(p));
    states_.emplace_back();
  }
}

void PairRun::Fill(TimePoint now, std::vector<PairAction>& out) {
  while (!queued_.empty() && (pairs_holding_slots_ == 0 || 2 * (pairs_holding_slots_ + 1) <= config_.max_parallel)) {
    const std::size_t index = queued_.front();
    queued_.pop_front();
    PairTestResult& p = pairs_[index];
    if (p.done) continue;  // a member was deleted while it waited
    PairState& state = states_[index];
    p.created = true;
    state.created = true;
    state.holds_slot = true;
    state.created_at = now;
    ++pairs_holding_slots_;
    timers_.emplace(now + config_.timeout, Timer{index, TimerKind::kTimeout});
    out.push_back({PairAction::Kind::kCreateJob, p.job, p.nodes});
  }
}

void PairRun::JudgeRoundOutliers() {
  std::vector<double> measured;
  for (const PairTestResult& p : pairs_) {
    if (p.done && p.verdict != Verdict::kError && p.allreduce_busbw) measured.push_back(*p.allreduce_busbw);
  }
  if (measured.size() < 2) return;
  const double median = Median(measured);
  for (std::size_t i = round_begin_; i < pairs_.size(); ++i) {
    PairTestResult& p = pairs_[i];
    if (p.verdict != Verdict::kPass || !p.allreduce_busbw || *p.allreduce_busbw >= kPairOutlierRatio * median) continue;
    p.verdict = Verdict::kFail;
    p.reason = fmt::format(
        "all-reduce bus bandwidth {:.1f} GB/s is below {} x the median of the {} pairs measured "
        "({:.1f} GB/s)",
        *p.allreduce_busbw, kPairOutlierRatio, measured.size(), median);
  }
}

void PairRun::Advance(TimePoint now, std::vector<PairAction>& out) {
  if (done_emitted_) return;
  const auto round_over = [&] {
    return std::all_of(pairs_.begin() + static_cast<std::ptrdiff_t>(round_begin_), pairs_.end(),
                       [](const PairTestResult& p) { return p.done; });
  };
  if (!cancelled_ && !planning_over_ && round_over()) {
    JudgeRoundOutliers();
    PlanRound();
  }
  Fill(now, out);
  const bool all_done = std::all_of(pairs_.begin(), pairs_.end(), [](const PairTestResult& p) { return p.done; });
  if ((planning_over_ || cancelled_) && all_done) {
    done_emitted_ = true;
    out.push_back({PairAction::Kind::kDone, "", {}});
  }
}

void PairRun::Finish(std::size_t index, Verdict verdict, std::string reason, TimePoint now) {
  PairTestResult& p = pairs_[index];
  if (p.done) return;
  p.done = true;
  p.verdict = verdict;
  p.reason = std::move(reason);
  if (!p.started_at) p.started_at = states_[index].created_at;
  if (!p.finished_at) p.finished_at = now;
}

void PairRun::TakeOut(const std::string& node, const std::string& reason) {
  if (taken_out_.insert(node).second) taken_out_reason_[node] = reason;
}

void PairRun::MaybeRelease(std::size_t index) {
  PairState& state = states_[index];
  if (!state.holds_slot || !pairs_[index].done) return;
  const bool all_ended =
      std::all_of(state.pods.begin(), state.pods.end(), [](const auto& e) { return e.second.ended; });
  if (state.pods.size() >= kRanks && all_ended) {
    state.holds_slot = false;
    --pairs_holding_slots_;
  }
}

void PairRun::Abandon(std::size_t index, std::string reason, TimePoint now, std::vector<PairAction>& out) {
  const std::string why = reason;
  Finish(index, Verdict::kError, std::move(reason), now);
  states_[index].abandoned = true;
  out.push_back({PairAction::Kind::kDeleteJob, pairs_[index].job, {}});
  timers_.emplace(now + config_.delete_grace, Timer{index, TimerKind::kDeleteGrace});
  if (!cancelled_) {
    TakeOut(pairs_[index].nodes.first, why);
    TakeOut(pairs_[index].nodes.second, why);
  }
}

void PairRun::HandlePod(std::size_t index, WatchEventType type, const nlohmann::json& pod, TimePoint now,
                        std::vector<PairAction>& out) {
  PairTestResult& p = pairs_[index];
  PairState& state = states_[index];
  std::string key = AnnotationOf(pod, kJobCompletionIndexAnnotation);
  if (key.empty()) key = NameOf(pod);
  PodTrack& track = state.pods[key];
  track.name = NameOf(pod);
  const PodReading reading = ReadGpuCheckPod(pod);
  if (!reading.node.empty()) track.node = reading.node;
  const std::string who = track.node.empty() ? "pod " + track.name : track.node;
  using State = PodReading::State;

  if (reading.state == State::kEnded || type == WatchEventType::kDeleted) track.ended = true;
  if (p.done) {
    if (reading.terminal_phase) track.ended = true;
    MaybeRelease(index);
    return;
  }
  if (reading.state == State::kEnded) {
    track.verdict = reading.outcome.verdict;
    if (reading.from_container) {
      KeepLower(p.allreduce_busbw, reading.outcome.bandwidth.allreduce_busbw);
      if (reading.outcome.started_at && (!p.started_at || *reading.outcome.started_at < *p.started_at)) {
        p.started_at = reading.outcome.started_at;
      }
    }
    if (reading.outcome.verdict == Verdict::kFail) {
      Finish(index, Verdict::kFail, fmt::format("{}: {}", who, reading.outcome.reason), now);
    } else if (reading.outcome.verdict == Verdict::kError) {
      const std::string reason = fmt::format("{}: {}", who, reading.outcome.reason);
      Finish(index, Verdict::kError, reason, now);
      TakeOut(p.nodes.first, reason);
      TakeOut(p.nodes.second, reason);
    } else {
      const auto passed = std::count_if(state.pods.begin(), state.pods.end(),
                                        [](const auto& e) { return e.second.verdict == Verdict::kPass; });
      if (static_cast<std::size_t>(passed) >= kRanks) Finish(index, Verdict::kPass, "", now);
    }
    if (p.done) timers_.emplace(now + config_.delete_grace, Timer{index, TimerKind::kDeleteGrace});
    MaybeRelease(index);
    return;
  }
  if (type == WatchEventType::kDeleted) {
    Abandon(index, fmt::format("pod {} deleted before it finished", track.name), now, out);
    MaybeRelease(index);
    return;
  }
  switch (reading.state) {
    case State::kStuck:
      Abandon(index, fmt::format("{}: {}", who, reading.reason), now, out);
      return;
    case State::kUnschedulable:
      if (!track.unschedulable_since) {
        track.unschedulable_since = now;
        timers_.emplace(now + config_.unschedulable_grace, Timer{index, TimerKind::kUnschedulable});
      }
      track.unschedulable_message = reading.reason;
      if (now - *track.unschedulable_since >= config_.unschedulable_grace) {
        Abandon(index, "pod could not be scheduled: " + reading.reason, now, out);
      }
      return;
    default:
      track.unschedulable_since.reset();
      if (reading.state == State::kRunning && reading.started_at &&
          (!p.started_at || *reading.started_at < *p.started_at)) {
        p.started_at = reading.started_at;
      }
      return;
  }
}

std::vector<PairAction> PairRun::OnPodEvent(WatchEventType type, const nlohmann::json& pod, TimePoint now) {
  std::vector<PairAction> out;
  const auto labels = LabelsOf(pod);
  const auto label = labels.find(kPairJobLabel);
  if (label == labels.end()) return out;
  const auto it = by_job_.find(label->second);
  if (it == by_job_.end() || !states_[it->second].created) return out;
  HandlePod(it->second, type, pod, now, out);
  Advance(now, out);
  return out;
}

std::vector<PairAction> PairRun::OnNodeEvent(WatchEventType type, const nlohmann::json& node, TimePoint now) {
  std::vector<PairAction> out;
  const std::string name = NameOf(node);
  if (type != WatchEventType::kDeleted || !std::binary_search(nodes_.begin(), nodes_.end(), name)) return out;
  // Only the deleted node leaves the pairing: its partner did nothing wrong.
  bool was_running = false;
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    if (pairs_[i].done || !Contains(pairs_[i].nodes, name)) continue;
    if (states_[i].created) {
      was_running = true;
      Finish(i, Verdict::kError, fmt::format("node {} deleted during the test", name), now);
      states_[i].abandoned = true;
      out.push_back({PairAction::Kind::kDeleteJob, pairs_[i].job, {}});
      timers_.emplace(now + config_.delete_grace, Timer{i, TimerKind::kDeleteGrace});
    } else {
      Finish(i, Verdict::kError, fmt::format("node {} deleted before its test started", name), now);
    }
  }
  if (!cancelled_) TakeOut(name, was_running ? "node deleted during the test" : "node deleted before its test started");
  Advance(now, out);
  return out;
}

std::vector<PairAction> PairRun::OnTick(TimePoint now) {
  std::vector<PairAction> out;
  while (!timers_.empty() && timers_.begin()->first <= now) {
    const Timer timer = timers_.begin()->second;
    timers_.erase(timers_.begin());
    PairState& state = states_[timer.pair];
    const bool done = pairs_[timer.pair].done;
    switch (timer.kind) {
      case TimerKind::kTimeout:
        if (!done) Abandon(timer.pair, "timed out after " + FormatDuration(config_.timeout), now, out);
        break;
      case TimerKind::kUnschedulable:
        if (done) break;
        for (const auto& [key, track] : state.pods) {
          if (track.unschedulable_since && now - *track.unschedulable_since >= config_.unschedulable_grace) {
            Abandon(timer.pair, "pod could not be scheduled: " + track.unschedulable_message, now, out);
            break;
          }
        }
        break;
      case TimerKind::kDeleteGrace:
        if (state.holds_slot) {
          state.holds_slot = false;
          --pairs_holding_slots_;
        }
        break;
    }
  }
  Advance(now, out);
  return out;
}

std::vector<PairAction> PairRun::OnCreateFailed(std::string_view job, std::string_view message, TimePoint now) {
  std::vector<PairAction> out;
  const auto it = by_job_.find(std::string(job));
  if (it == by_job_.end()) return out;
  const std::size_t index = it->second;
  const std::string reason = fmt::format("could not create job: {}", message);
  if (!pairs_[index].done) {
    Finish(index, Verdict::kError, reason, now);
    if (!cancelled_) {
      TakeOut(pairs_[index].nodes.first, reason);
      TakeOut(pairs_[index].nodes.second, reason);
    }
  }
  PairState& state = states_[index];
  if (state.holds_slot) {
    state.holds_slot = false;
    --pairs_holding_slots_;
  }
  Advance(now, out);
  return out;
}

std::vector<PairAction> PairRun::Cancel(std::string_view reason, TimePoint now) {
  std::vector<PairAction> out;
  if (done_emitted_) return out;
  // Decided before the cancel: those conclusions stand.
  const PairingPlan decided = PlanNodePairs(nodes_, DecidedResults());
  cancelled_ = true;
  cancel_reason_ = std::string(reason);
  queued_.clear();
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    if (pairs_[i].done) continue;
    if (states_[i].created) {
      Abandon(i, cancel_reason_, now, out);
    } else {
      Finish(i, Verdict::kError, cancel_reason_, now);
    }
  }
  for (const auto& [node, conclusion] : decided.conclusions) {
    if (conclusion != PairConclusion::kGood && conclusion != PairConclusion::kBad) cancelled_nodes_.insert(node);
  }
  Advance(now, out);
  return out;
}

std::optional<TimePoint> PairRun::NextDeadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

std::vector<MultiNodeNodeResult> PairRun::NodeResults() const {
  const PairingPlan plan = PlanNodePairs(nodes_, DecidedResults());
  std::vector<MultiNodeNodeResult> results;
  for (const std::string& node : nodes_) {
    MultiNodeNodeResult r;
    r.node = node;
    const PairConclusion c = plan.conclusions.at(node);
    std::optional<double> passing_busbw, any_busbw;
    std::vector<const PairTestResult*> failed;
    for (const PairTestResult& p : pairs_) {
      if (!p.created || !Contains(p.nodes, node)) continue;
      r.jobs.push_back(p.job);
      if (!p.done) continue;
      if (p.verdict == Verdict::kPass) KeepLower(passing_busbw, p.allreduce_busbw);
      if (p.verdict != Verdict::kError) KeepLower(any_busbw, p.allreduce_busbw);
      if (p.verdict == Verdict::kFail) failed.push_back(&p);
    }
    if (c == PairConclusion::kGood) {
      r.conclusion = MultiNodeConclusion::kGood;
      r.allreduce_busbw = passing_busbw;
    } else if (c == PairConclusion::kBad) {
      r.conclusion = MultiNodeConclusion::kBad;
      r.allreduce_busbw = any_busbw;
      // The latest such pair: the one that met a partner already known good.
      for (auto it = failed.rbegin(); it != failed.rend(); ++it) {
        const PairTestResult* p = *it;
        const std::string& partner = Partner(p->nodes, node);
        if (plan.conclusions.contains(partner) && plan.conclusions.at(partner) == PairConclusion::kGood) {
          r.reason = fmt::format("the all-reduce with known-good node {} failed: {}", partner, p->reason);
          break;
        }
      }
    } else if (cancelled_nodes_.contains(node)) {
      r.conclusion = MultiNodeConclusion::kError;
      r.reason = cancel_reason_;
      r.allreduce_busbw = any_busbw;
    } else if (const auto out = taken_out_reason_.find(node); out != taken_out_reason_.end()) {
      r.conclusion = MultiNodeConclusion::kError;
      r.reason = out->second;
      r.allreduce_busbw = any_busbw;
    } else if (r.jobs.empty()) {
      r.conclusion = MultiNodeConclusion::kUntested;
      r.reason = "no other node passed its single-node test to pair with";
    } else {
      r.conclusion = MultiNodeConclusion::kInconclusive;
      r.allreduce_busbw = any_busbw;
      std::vector<std::string> partners;
      for (const PairTestResult* p : failed) partners.push_back(Partner(p->nodes, node));
      r.reason = fmt::format("the all-reduce with {} failed and no known-good node was left to tell which node is bad",
                             fmt::join(partners, ", "));
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace llm
