#include "node_validation/validation_run.h"

#include <algorithm>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "node_validation/pod_reading.h"

namespace llm {
namespace {

constexpr std::size_t kMaxPodNameLength = 63;  // the pod's hostname is its name

std::uint32_t Fnv1a(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

std::string_view NodePhaseName(NodePhase phase) {
  switch (phase) {
    case NodePhase::kPending:
      return "Pending";
    case NodePhase::kCreated:
      return "Created";
    case NodePhase::kScheduled:
      return "Scheduled";
    case NodePhase::kRunning:
      return "Running";
    case NodePhase::kDone:
      return "Done";
  }
  return "Pending";
}

std::string GpuCheckPodName(std::string_view node, std::string_view run_id) {
  std::string name = "gpu-check-";
  if (!run_id.empty()) name += std::string(run_id) + "-";
  for (char c : node) name += c == '.' ? '-' : c;
  if (name.size() <= kMaxPodNameLength) return name;
  const std::string suffix = fmt::format("-{:08x}", Fnv1a(node));
  name.resize(kMaxPodNameLength - suffix.size());
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name + suffix;
}

ValidationRun::ValidationRun(ValidationRunConfig config, std::vector<std::string> nodes) : config_(std::move(config)) {
  config_.max_parallel = std::max(config_.max_parallel, 1);
  states_.reserve(nodes.size());
  for (std::string& node : nodes) {
    if (by_node_.contains(node)) continue;
    by_node_.emplace(node, states_.size());
    pending_.push_back(states_.size());
    NodeState state;
    state.result.node = std::move(node);
    states_.push_back(std::move(state));
  }
}

std::vector<RunAction> ValidationRun::Start(TimePoint now) {
  std::vector<RunAction> out;
  Fill(now, out);
  MaybeDone(out);
  return out;
}

void ValidationRun::Fill(TimePoint now, std::vector<RunAction>& out) {
  while (slots_in_use_ < config_.max_parallel && !pending_.empty()) {
    ++steps_;
    const std::size_t index = pending_.front();
    pending_.pop_front();
    NodeState& state = states_[index];
    if (state.phase != NodePhase::kPending) continue;  // finished while waiting (node deleted)
    state.phase = NodePhase::kCreated;
    state.pod = GpuCheckPodName(state.result.node, config_.run_id);
    state.result.pod = state.pod;
    state.holds_slot = true;
    state.created_at = now;
    ++slots_in_use_;
    by_pod_.emplace(state.pod, index);
    timers_.emplace(now + config_.timeout, Timer{index, TimerKind::kTimeout});
    out.push_back({RunAction::Kind::kCreatePod, state.result.node, state.pod});
  }
}

void ValidationRun::Finish(std::size_t index, Verdict verdict, std::string reason, TimePoint now) {
  NodeState& state = states_[index];
  if (state.phase == NodePhase::kDone) return;
  state.phase = NodePhase::kDone;
  state.result.verdict = verdict;
  state.result.reason = std::move(reason);
  if (!state.result.started_at) state.result.started_at = state.created_at;
  if (!state.result.finished_at) state.result.finished_at = now;
  ++done_count_;
}

void ValidationRun::ReleaseSlot(NodeState& state) {
  if (!state.holds_slot) return;
  state.holds_slot = false;
  --slots_in_use_;
}

void ValidationRun::Abandon(std::size_t index, std::string reason, TimePoint now, std::vector<RunAction>& out) {
  NodeState& state = states_[index];
  Finish(index, Verdict::kError, std::move(reason), now);
  state.abandoned = true;
  out.push_back({RunAction::Kind::kDeletePod, state.result.node, state.pod});
  timers_.emplace(now + config_.delete_grace, Timer{index, TimerKind::kDeleteGrace});
}

void ValidationRun::MaybeDone(std::vector<RunAction>& out) {
  if (finished() && !done_emitted_) {
    done_emitted_ = true;
    out.push_back({RunAction::Kind::kDone, "", ""});
  }
}

bool ValidationRun::FinishIfEnded(std::size_t index, const nlohmann::json& pod, TimePoint now, bool pod_exists,
                                  std::vector<RunAction>& out) {
  NodeState& state = states_[index];
  const PodReading reading = ReadGpuCheckPod(pod);
  if (reading.state != PodReading::State::kEnded) return false;
  NodeResult& r = state.result;
  if (reading.from_container) {
    const CheckOutcome& outcome = reading.outcome;
    r.exit_code = outcome.exit_code;
    r.bandwidth = outcome.bandwidth;
    r.model = outcome.model;
    r.gpu_count = outcome.gpu_count;
    r.suspect_gpus = outcome.suspect_gpus;
    r.health = outcome.health;
    r.detail = outcome.detail;
    if (outcome.started_at) r.started_at = outcome.started_at;
    if (outcome.finished_at) r.finished_at = outcome.finished_at;
  }
  Finish(index, reading.outcome.verdict, reading.outcome.reason, now);
  ReleaseSlot(state);
  if (pod_exists && !config_.keep) out.push_back({RunAction::Kind::kDeletePod, r.node, state.pod});
  return true;
}

void ValidationRun::HandlePodStatus(std::size_t index, const nlohmann::json& pod, TimePoint now,
                                    std::vector<RunAction>& out) {
  NodeState& state = states_[index];
  const PodReading reading = ReadGpuCheckPod(pod);
  if (state.phase == NodePhase::kDone) {
    if (reading.terminal_phase) ReleaseSlot(state);  // an abandoned pod that has stopped
    return;
  }
  if (FinishIfEnded(index, pod, now, /*pod_exists=*/true, out)) return;
  if (reading.state == PodReading::State::kStuck) {
    Abandon(index, reading.reason, now, out);
    return;
  }
  if (reading.state == PodReading::State::kUnschedulable) {
    if (!state.unschedulable_since) {
      state.unschedulable_since = now;
      timers_.emplace(now + config_.unschedulable_grace, Timer{index, TimerKind::kUnschedulable});
    }
    state.unschedulable_message = reading.reason;
    if (now - *state.unschedulable_since >= config_.unschedulable_grace) {
      Abandon(index, "pod could not be scheduled: " + reading.reason, now, out);
    }
    return;
  }
  state.unschedulable_since.reset();
  if (reading.state == PodReading::State::kRunning) {
    state.phase = NodePhase::kRunning;
    if (reading.started_at) state.result.started_at = reading.started_at;
  } else if (state.phase == NodePhase::kCreated && reading.state == PodReading::State::kScheduled) {
    state.phase = NodePhase::kScheduled;
  }
}

std::vector<RunAction> ValidationRun::OnPodEvent(WatchEventType type, const nlohmann::json& pod, TimePoint now) {
  std::vector<RunAction> out;
  const auto it = by_pod_.find(NameOf(pod));
  ++steps_;
  if (it == by_pod_.end()) return out;
  const std::size_t index = it->second;
  NodeState& state = states_[index];
  if (type == WatchEventType::kDeleted) {
    // The last state may hold the result (deleted right after it ended).
    if (state.phase != NodePhase::kDone && !FinishIfEnded(index, pod, now, /*pod_exists=*/false, out)) {
      Finish(index, Verdict::kError, "pod deleted before it finished", now);
      state.unseen = true;
    }
    ReleaseSlot(state);
  } else {
    HandlePodStatus(index, pod, now, out);
  }
  Fill(now, out);
  MaybeDone(out);
  return out;
}

std::vector<RunAction> ValidationRun::OnNodeEvent(WatchEventType type, const nlohmann::json& node, TimePoint now) {
  std::vector<RunAction> out;
  if (type != WatchEventType::kDeleted) return out;
  ++steps_;
  const auto it = by_node_.find(NameOf(node));
  if (it == by_node_.end()) return out;
  const std::size_t index = it->second;
  NodeState& state = states_[index];
  if (state.phase == NodePhase::kPending) {
    Finish(index, Verdict::kError, "node deleted before its test started", now);
  } else if (state.phase != NodePhase::kDone) {
    Finish(index, Verdict::kError, "node deleted during the test", now);
    // Pod garbage collection removes it too; deleting it ourselves is harmless.
    out.push_back({RunAction::Kind::kDeletePod, state.result.node, state.pod});
  }
  ReleaseSlot(state);  // nothing runs on a node that is gone
  Fill(now, out);
  MaybeDone(out);
  return out;
}

std::vector<RunAction> ValidationRun::OnTick(TimePoint now) {
  std::vector<RunAction> out;
  while (!timers_.empty() && timers_.begin()->first <= now) {
    ++steps_;
    const Timer timer = timers_.begin()->second;
    timers_.erase(timers_.begin());
    NodeState& state = states_[timer.index];
    switch (timer.kind) {
      case TimerKind::kTimeout:
        if (state.phase != NodePhase::kDone) {
          Abandon(timer.index, "timed out after " + FormatDuration(config_.timeout), now, out);
        }
        break;
      case TimerKind::kUnschedulable:
        if (state.phase != NodePhase::kDone && state.unschedulable_since &&
            now - *state.unschedulable_since >= config_.unschedulable_grace) {
          Abandon(timer.index, "pod could not be scheduled: " + state.unschedulable_message, now, out);
        }
        break;
      case TimerKind::kDeleteGrace:
        if (state.abandoned) ReleaseSlot(state);
        break;
    }
  }
  Fill(now, out);
  MaybeDone(out);
  return out;
}

std::vector<RunAction> ValidationRun::OnCreateFailed(std::string_view node, std::string_view message, TimePoint now) {
  std::vector<RunAction> out;
  ++steps_;
  const auto it = by_node_.find(std::string(node));
  if (it == by_node_.end()) return out;
  NodeState& state = states_[it->second];
  if (state.phase != NodePhase::kDone) {
    Finish(it->second, Verdict::kError, fmt::format("could not create pod: {}", message), now);
    state.unseen = true;
  }
  ReleaseSlot(state);
  Fill(now, out);
  MaybeDone(out);
  return out;
}

std::vector<RunAction> ValidationRun::Cancel(std::string_view reason, TimePoint now) {
  std::vector<RunAction> out;
  pending_.clear();
  for (std::size_t i = 0; i < states_.size(); ++i) {
    ++steps_;
    NodeState& state = states_[i];
    if (state.phase == NodePhase::kDone) continue;
    if (state.phase != NodePhase::kPending) out.push_back({RunAction::Kind::kDeletePod, state.result.node, state.pod});
    Finish(i, Verdict::kError, std::string(reason), now);
    ReleaseSlot(state);
  }
  MaybeDone(out);
  return out;
}

std::optional<TimePoint> ValidationRun::NextDeadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

NodePhase ValidationRun::phase(std::string_view node) const {
  const auto it = by_node_.find(std::string(node));
  return it == by_node_.end() ? NodePhase::kPending : states_[it->second].phase;
}

std::set<std::string> ValidationRun::unseen_nodes() const {
  std::set<std::string> nodes;
  for (const NodeState& state : states_) {
    if (state.unseen) nodes.insert(state.result.node);
  }
  return nodes;
}

std::vector<NodeResult> ValidationRun::Results() const {
  std::vector<NodeResult> results;
  results.reserve(states_.size());
  for (const NodeState& state : states_) results.push_back(state.result);
  return results;
}

}  // namespace llm
