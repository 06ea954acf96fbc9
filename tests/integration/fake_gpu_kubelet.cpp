#include "integration/fake_gpu_kubelet.h"

#include <fmt/format.h>

#include "kube/watcher.h"
#include "render_report.h"
#include "unit/gpu_check/report_fixtures.h"
#include "validate/timestamp.h"

namespace llm::testing {
namespace {

using nlohmann::json;

std::string Now() { return FormatRfc3339(std::chrono::system_clock::now()); }

}  // namespace

FakeTermination FakeSelfTest(FakeOutcome outcome, const std::string& node) {
  gpu_check::Report report;
  report.node.node_name = node;
  report.gpus = gpu_check::testing::H100s(8);
  gpu_check::TestResult inventory;
  inventory.name = "inventory";
  std::vector<double> hbm = {2950, 2960, 2940, 2955, 2948, 2951, 2962, 2939};
  if (outcome == FakeOutcome::kFail) hbm[3] = 1200;
  report.tests = {inventory, gpu_check::testing::HbmTest(hbm)};
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
  return {{"status",
           {{"phase", t.exit_code == 0 ? "Succeeded" : "Failed"},
            {"containerStatuses", json::array({status})}}}};
}

FakeGpuKubelet::FakeGpuKubelet(std::shared_ptr<kube::RestClient> client, std::string ns, OutcomeFor outcome_for)
    : client_(std::move(client)), ns_(std::move(ns)), outcome_for_(std::move(outcome_for)) {
  thread_ = std::thread([this] { Run(); });
}

FakeGpuKubelet::~FakeGpuKubelet() { Stop(); }

void FakeGpuKubelet::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string FakeGpuKubelet::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void FakeGpuKubelet::Run() {
  kube::WatchOptions options;
  options.label_selector = "app.kubernetes.io/component=gpu-check";
  options.max_watch_duration = std::chrono::seconds(2);  // notice Stop() soon
  options.stop_requested = [this] { return stop_.load(); };
  kube::Watcher watcher(*client_, clock_, kube::ResourceRef{"", "v1", "pods", ns_, "", ""}, options);
  Status status = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
    if (stop_) return false;
    if (event.type != kube::WatchEventType::kAdded && event.type != kube::WatchEventType::kModified) return true;
    const json& pod = event.object;
    const json& metadata = pod["metadata"];
    if (pod.value("status", json::object()).value("phase", "") != "Running") return true;
    if (metadata.contains("deletionTimestamp")) return true;
    const std::string uid = metadata.value("uid", "");
    if (done_.contains(uid)) return true;
    const std::string node = pod["spec"].value("nodeName", "");
    const FakeOutcome outcome = outcome_for_(node);
    if (outcome == FakeOutcome::kSilent) return true;
    done_.insert(uid);
    kube::ResourceRef ref{"", "v1", "pods", metadata.value("namespace", ""), metadata.value("name", ""), "status"};
    auto patched = client_->MergePatch(ref, TerminatedStatusPatch(pod, FakeSelfTest(outcome, node)), false);
    if (!patched.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (error_.empty()) error_ = patched.error().message();
    } else {
      ++answered_;
    }
    return !stop_;
  });
  if (!status.ok() && !stop_) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_.empty()) error_ = status.error().message();
  }
}

}  // namespace llm::testing
