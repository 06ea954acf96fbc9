#include "integration/fake_gpu_kubelet.h"

#include <fmt/format.h>

#include "kube/watcher.h"
#include "render_report.h"
#include "unit/gpu_check/report_fixtures.h"
#include "util/rfc3339.h"

namespace llm::testing {
namespace {

using nlohmann::json;

std::string Now() { return FormatRfc3339(std::chrono::system_clock::now()); }

/// A Lease's renewTime: metav1.MicroTime wants exactly six fraction digits.
std::string MicroNow() {
  const auto now = std::chrono::system_clock::now();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::string seconds = FormatRfc3339(now);  // "...:05Z"
  seconds.pop_back();
  return fmt::format("{}.{:06d}Z", seconds, micros);
}

constexpr auto kHeartbeatEvery = std::chrono::seconds(5);

bool OwnedByJob(const json& pod) {
  for (const json& owner : pod["metadata"].value("ownerReferences", json::array())) {
    if (owner.value("kind", "") == "Job") return true;
  }
  return false;
}

/// The nodes a multi-node pod may go to: its required node affinity's
/// metadata.name values (templates/gpu-check/_pod_spec.mustache).
std::vector<std::string> PairNodes(const json& pod) {
  std::vector<std::string> nodes;
  const json terms = pod["spec"]
                         .value("affinity", json::object())
                         .value("nodeAffinity", json::object())
                         .value("requiredDuringSchedulingIgnoredDuringExecution", json::object())
                         .value("nodeSelectorTerms", json::array());
  for (const json& term : terms) {
    for (const json& field : term.value("matchFields", json::array())) {
      if (field.value("key", "") != "metadata.name") continue;
      for (const json& value : field.value("values", json::array())) nodes.push_back(value.get<std::string>());
    }
  }
  return nodes;
}

}  // namespace

FakeTermination FakeSelfTest(FakeOutcome outcome, const std::string& node) {
  gpu_check::Report report;
  report.node.node_name = node;
  report.gpus = gpu_check::testing::H100s(8);
  gpu_check::TestResult inventory;
  inventory.name = "inventory";
  std::vector<double> hbm = {2950, 2960, 2940, 2955, 2948, 2951, 2962, 2939};
  if (outcome == FakeOutcome::kFail) hbm[3] = 1200;
  report.tests = {inventory, gpu_check::testing::HbmTest(hbm), gpu_check::testing::HealthTest(8)};
  if (outcome == FakeOutcome::kHealthFail) {
    gpu_check::GpuHealth& g = report.tests.back().health->gpus[5];
    g.after.ecc_uncorrected_volatile = 2;
    g.after.ecc_uncorrected_aggregate = 2;
    g.xids = {{48}};
  }
  gpu_check::RenderedReport rendered = gpu_check::RenderReport(report);
  return {static_cast<int>(rendered.exit_code), rendered.termination_summary};
}

FakeTermination FakeMultiNodeSelfTest(double busbw, const std::string& node, int rank) {
  gpu_check::Report report;
  report.node.node_name = node;
  report.gpus = gpu_check::testing::H100s(8);
  report.config.world_size = 2;
  report.config.rank = rank;
  report.config.tests = {"nccl"};
  gpu_check::TestResult nccl;
  nccl.name = "nccl";
  nccl.nccl_ranks = 16;
  nccl.nccl_algo = rank == 0 ? "RING" : "";  // only rank 0 logs NCCL's choice
  const double factor = 2.0 * 15 / 16;
  nccl.nccl = {{1ULL << 30, false, 1e6 * (1ULL << 30) / (busbw / factor * 1e9), busbw / factor, busbw, factor, 0}};
  nccl.series = {gpu_check::testing::MakeSeries("nccl_busbw", -1, {busbw - 1, busbw, busbw + 1})};
  report.tests = {nccl};
  gpu_check::RenderedReport rendered = gpu_check::RenderReport(report);
  return {static_cast<int>(rendered.exit_code), rendered.termination_summary};
}

json TerminatedStatusPatch(const json& pod, const FakeTermination& t) {
  const json& container = pod["spec"]["containers"][0];
  std::string started = Now();
  if (pod.contains("status") && pod["status"].contains("startTime")) started = pod["status"]["startTime"];
  json terminated = {{"exitCode", t.exit_code},
                     {"reason", t.exit_code == 0 ? "Completed" : "Error"},
                     {"message", t.message},
                     {"startedAt", started},
                     {"finishedAt", Now()}};
  json status = {{"name", container.value("name", "")},
                 {"image", container.value("image", "")},
                 {"imageID", ""},
                 {"ready", false},
                 {"started", false},
                 {"restartCount", 0},
                 {"state", {{"terminated", terminated}}}};
  return {
      {"status", {{"phase", t.exit_code == 0 ? "Succeeded" : "Failed"}, {"containerStatuses", json::array({status})}}}};
}

FakeGpuKubelet::FakeGpuKubelet(std::shared_ptr<kube::RestClient> client, std::string ns, OutcomeFor outcome_for,
                               std::set<std::string> own_nodes, int senders)
    : client_(std::move(client)),
      ns_(std::move(ns)),
      outcome_for_(std::move(outcome_for)),
      own_nodes_(std::move(own_nodes)) {
  for (int i = 0; i < senders; ++i) senders_.emplace_back([this] { Send(); });
  thread_ = std::thread([this] { Run(); });
  if (!own_nodes_.empty()) heartbeat_ = std::thread([this] { Heartbeat(); });
}

FakeGpuKubelet::~FakeGpuKubelet() { Stop(); }

void FakeGpuKubelet::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (heartbeat_.joinable()) heartbeat_.join();
  // Under the lock, so that a sender between its check of stop_ and its wait
  // cannot miss this wake-up.
  { std::lock_guard<std::mutex> lock(queue_mu_); }
  queue_cv_.notify_all();
  for (std::thread& sender : senders_) {
    if (sender.joinable()) sender.join();
  }
}

void FakeGpuKubelet::Send() {
  while (true) {
    PendingAnswer answer;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      answer = std::move(queue_.front());
      queue_.pop_front();
    }
    auto patched = client_->MergePatch(answer.pod_status, answer.patch, false);
    if (!patched.ok()) {
      NoteError(patched.error().message());
    } else {
      ++answered_;
    }
  }
}

std::string FakeGpuKubelet::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void FakeGpuKubelet::NoteError(const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  if (error_.empty()) error_ = message;
}

void FakeGpuKubelet::Heartbeat() {
  // What the kubelet does: one Lease per node in kube-node-lease, renewed well
  // within its duration, so the node lifecycle controller keeps the node Ready.
  while (!stop_) {
    for (const std::string& node : own_nodes_) {
      kube::ResourceRef ref{"coordination.k8s.io", "v1", "leases", "kube-node-lease", node, ""};
      json spec = {{"holderIdentity", node}, {"leaseDurationSeconds", 40}, {"renewTime", MicroNow()}};
      auto renewed = client_->MergePatch(ref, {{"spec", spec}}, false);
      if (renewed.ok()) continue;
      if (renewed.error().kind() != ErrorKind::kNotFound) {
        NoteError(renewed.error().message());
        continue;
      }
      json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                    {"kind", "Lease"},
                    {"metadata", {{"name", node}, {"namespace", "kube-node-lease"}}},
                    {"spec", spec}};
      auto created = client_->Create(ref, lease, false);
      if (!created.ok()) NoteError(created.error().message());
    }
    for (auto waited = std::chrono::milliseconds(0); waited < kHeartbeatEvery && !stop_;
         waited += std::chrono::milliseconds(100)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  for (const std::string& node : own_nodes_) {
    (void)client_->Delete({"coordination.k8s.io", "v1", "leases", "kube-node-lease", node, ""}, kube::DeleteOptions{});
  }
}

void FakeGpuKubelet::Answer(const json& pod) {
  const json& metadata = pod["metadata"];
  const std::string node = pod["spec"].value("nodeName", "");
  const bool own = own_nodes_.contains(node);
  kube::ResourceRef ref{"", "v1", "pods", metadata.value("namespace", ""), metadata.value("name", ""), ""};
  if (metadata.contains("deletionTimestamp")) {
    // The kubelet confirms a deletion once the containers are gone: grace 0.
    if (own) {
      kube::DeleteOptions now;
      now.grace_period_seconds = 0;
      (void)client_->Delete(ref, now);
    }
    return;
  }
  const std::string phase = pod.value("status", json::object()).value("phase", "");
  // kwok's nodes: answer once kwok made the pod Running. Own nodes: once bound.
  if (own ? (node.empty() || phase != "Pending") : phase != "Running") return;
  const std::string uid = metadata.value("uid", "");
  if (done_.contains(uid)) return;
  FakeTermination termination;
  if (OwnedByJob(pod)) {
    bool slow = false;
    for (const std::string& member : PairNodes(pod)) {
      const FakeOutcome o = outcome_for_(member);
      if (o == FakeOutcome::kSilent || o == FakeOutcome::kHangsPaired) return;
      slow = slow || o == FakeOutcome::kSlowFabric;
    }
    const std::string index =
        metadata.value("annotations", json::object()).value("batch.kubernetes.io/job-completion-index", "0");
    termination = FakeMultiNodeSelfTest(slow ? kFakeSlowFabricBusBw : kFakeFabricBusBw, node, std::stoi(index));
  } else {
    FakeOutcome outcome = outcome_for_(node);
    if (outcome == FakeOutcome::kSilent) return;
    if (outcome == FakeOutcome::kSlowFabric || outcome == FakeOutcome::kHangsPaired) outcome = FakeOutcome::kPass;
    termination = FakeSelfTest(outcome, node);
  }
  done_.insert(uid);
  ref.subresource = "status";
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    queue_.push_back({ref, TerminatedStatusPatch(pod, termination)});
  }
  queue_cv_.notify_one();
}

void FakeGpuKubelet::Run() {
  kube::WatchOptions options;
  options.label_selector = "app.kubernetes.io/component=gpu-check";
  options.max_watch_duration = std::chrono::seconds(2);  // notice Stop() soon
  options.stop_requested = [this] { return stop_.load(); };
  // As a kubelet, it watches on through an API server that is down for a
  // while (the fault suite restarts it): a failed watch is noted and started again.
  while (!stop_) {
    kube::Watcher watcher(*client_, clock_, kube::ResourceRef{"", "v1", "pods", ns_, "", ""}, options);
    Status status = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
      if (stop_) return false;
      if (event.type == kube::WatchEventType::kAdded || event.type == kube::WatchEventType::kModified) {
        Answer(event.object);
      }
      return !stop_;
    });
    if (status.ok() || stop_) return;
    NoteError(status.error().message());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace llm::testing
