// FakeProcessRunner: plays an exec credential plugin. Records each run's spec,
// answers from a queue (the last answer repeats), and can hold each run for a
// moment to check that runs never overlap.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "kube/process_runner.h"

namespace llm::testing {

class FakeProcessRunner final : public kube::ProcessRunner {
 public:
  void Answer(Result<kube::ProcessResult> result) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.push_back(std::move(result));
  }
  void HoldEachRunFor(std::chrono::milliseconds d) { hold_ = d; }

  Result<kube::ProcessResult> Run(const kube::ProcessSpec& spec) override {
    int now_running = ++running_;
    int seen = max_running_.load();
    while (now_running > seen && !max_running_.compare_exchange_weak(seen, now_running)) {
    }
    if (hold_.count() > 0) std::this_thread::sleep_for(hold_);
    Result<kube::ProcessResult> answer = Error(ErrorKind::kInternal, "no answer queued");
    {
      std::lock_guard<std::mutex> lock(mu_);
      specs_.push_back(spec);
      if (!answers_.empty()) {
        answer = answers_.front();
        if (answers_.size() > 1) answers_.pop_front();
      }
    }
    --running_;
    return answer;
  }

  std::vector<kube::ProcessSpec> specs() const {
    std::lock_guard<std::mutex> lock(mu_);
    return specs_;
  }
  int runs() const { return static_cast<int>(specs().size()); }
  int max_concurrent() const { return max_running_.load(); }

 private:
  mutable std::mutex mu_;
  std::deque<Result<kube::ProcessResult>> answers_;
  std::vector<kube::ProcessSpec> specs_;
  std::chrono::milliseconds hold_{0};
  std::atomic<int> running_{0};
  std::atomic<int> max_running_{0};
};

/// An ExecCredential reply as a plugin prints it.
inline kube::ProcessResult ExecReply(const std::string& token, const std::string& expiry = "",
                                     const std::string& api_version = "client.authentication.k8s.io/v1") {
  std::string status = "{\"token\":\"" + token + "\"";
  if (!expiry.empty()) status += ",\"expirationTimestamp\":\"" + expiry + "\"";
  status += "}";
  return kube::ProcessResult{
      0, "{\"apiVersion\":\"" + api_version + "\",\"kind\":\"ExecCredential\",\"status\":" + status + "}"};
}

}  // namespace llm::testing
