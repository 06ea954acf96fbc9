// FakeGpuKubelet: plays the kubelet's last part for gpu-check pods on the
// local control plane, where no GPU runs. kwok makes each pod Running; this
// then ends it as llm-gpu-check would: the termination message is the summary
// gpu_check's own writer (RenderReport) produces from fixture measurements,
// written with PATCH pods/NAME/status. Used by the integration test and by
// tests/bench/validate_nodes_bench.sh (through fake_gpu_kubelet_main.cpp).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm::testing {

/// What the fake self-test does on a node.
enum class FakeOutcome {
  kPass,    ///< healthy H100s: exit 0
  kFail,    ///< GPU 3's HBM far below the floor: exit 1
  kSilent,  ///< never ends (validate-nodes must time out)
};

struct FakeTermination {
  int exit_code = 0;
  std::string message;  ///< the termination summary
};

/// The summary and exit code llm-gpu-check writes for `outcome` on `node`.
FakeTermination FakeSelfTest(FakeOutcome outcome, const std::string& node);

/// The merge patch for pods/NAME/status that ends the pod's container with `t`.
nlohmann::json TerminatedStatusPatch(const nlohmann::json& pod, const FakeTermination& t);

class FakeGpuKubelet {
 public:
  using OutcomeFor = std::function<FakeOutcome(const std::string& node)>;
  /// Watches gpu-check pods in `ns` ("" = every namespace) from a thread.
  FakeGpuKubelet(std::shared_ptr<kube::RestClient> client, std::string ns, OutcomeFor outcome_for);
  ~FakeGpuKubelet();
  /// Ends the watch (within the watch request's few seconds) and joins.
  void Stop();
  int answered() const { return answered_.load(); }
  /// The first error the watch or a patch met, "" when none.
  std::string error() const;

 private:
  void Run();
  std::shared_ptr<kube::RestClient> client_;
  std::string ns_;
  OutcomeFor outcome_for_;
  SystemClock clock_;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  mutable std::mutex mu_;
  std::string error_;
  std::set<std::string> done_;  ///< pod uids already answered
  std::thread thread_;
};

}  // namespace llm::testing
