// FakeGpuKubelet: plays the kubelet's last part for gpu-check pods on the
// local control plane, where no GPU runs. kwok makes each pod Running; this
// then ends it as llm-gpu-check would: the termination message is the summary
// gpu_check's own writer (RenderReport) produces from fixture measurements,
// written with PATCH pods/NAME/status. Used by the integration test and by
// tests/bench/validate_nodes_bench.sh (through fake_gpu_kubelet_main.cpp).
//
// The multi-node test's pods belong to an Indexed Job, and kwok completes a
// Job's pods (exit 0, no message) the moment they run, before anyone else can
// answer. So those pods must run on "own" nodes: nodes created without kwok's
// annotation, whose whole kubelet part this plays (the node Lease renewed every
// few seconds, each pod ended straight from Pending once it is bound, a pod
// being deleted removed). Every pod of a multi-node Job reports the same
// all-reduce bus bandwidth: kFakeFabricBusBw, or kFakeSlowFabricBusBw when one
// of its nodes is kSlowFabric.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm::testing {

/// What the fake self-test does on a node.
enum class FakeOutcome {
  kPass,         ///< healthy H100s: exit 0
  kFail,         ///< GPU 3's HBM far below the floor: exit 1
  kHealthFail,   ///< fast, but GPU 5 counts uncorrectable ECC errors and an XID 48 during the run: exit 2
  kSilent,       ///< never ends (validate-nodes must time out)
  kSlowFabric,   ///< healthy alone; any multi-node all-reduce with it is slow (a bad NIC)
  kHangsPaired,  ///< healthy alone; a multi-node test with it never ends
};

/// GB/s of the fake two-node all-reduce (16 ranks over the network).
inline constexpr double kFakeFabricBusBw = 180.0;
inline constexpr double kFakeSlowFabricBusBw = 45.0;

struct FakeTermination {
  int exit_code = 0;
  std::string message;  ///< the termination summary
};

/// The summary and exit code llm-gpu-check writes for `outcome` on `node`.
FakeTermination FakeSelfTest(FakeOutcome outcome, const std::string& node);

/// What llm-gpu-check writes as `rank` of a two-node nccl run on `node`.
FakeTermination FakeMultiNodeSelfTest(double busbw, const std::string& node, int rank);

/// The merge patch for pods/NAME/status that ends the pod's container with `t`.
nlohmann::json TerminatedStatusPatch(const nlohmann::json& pod, const FakeTermination& t);

class FakeGpuKubelet {
 public:
  using OutcomeFor = std::function<FakeOutcome(const std::string& node)>;
  /// Watches gpu-check pods in `ns` ("" = every namespace) from a thread.
  /// `own_nodes`: nodes kwok does not manage, whose kubelet this plays whole.
  /// `senders`: threads that send the answers, so that one round trip does
  /// not hold up the answers behind it (a benchmark plays thousands of
  /// kubelets at once; tests need one).
  FakeGpuKubelet(std::shared_ptr<kube::RestClient> client, std::string ns, OutcomeFor outcome_for,
                 std::set<std::string> own_nodes = {}, int senders = 1);
  ~FakeGpuKubelet();
  /// Ends the watch (within the watch request's few seconds) and joins.
  void Stop();
  int answered() const { return answered_.load(); }
  /// The first error the watch or a patch met, "" when none.
  std::string error() const;

 private:
  void Run();
  /// Renews the own nodes' Leases until Stop(), so they stay Ready.
  void Heartbeat();
  /// Decides (on the watch thread) how `pod` ends, and queues the answer.
  void Answer(const nlohmann::json& pod);
  /// A sender thread: sends queued answers until Stop().
  void Send();
  void NoteError(const std::string& message);
  std::shared_ptr<kube::RestClient> client_;
  std::string ns_;
  OutcomeFor outcome_for_;
  std::set<std::string> own_nodes_;
  SystemClock clock_;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  mutable std::mutex mu_;
  std::string error_;
  std::set<std::string> done_;  ///< pod uids already answered (the watch thread's alone)
  struct PendingAnswer {
    kube::ResourceRef pod_status;
    nlohmann::json patch;
  };
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingAnswer> queue_;  ///< under queue_mu_
  std::thread thread_;
  std::thread heartbeat_;
  std::vector<std::thread> senders_;
};

}  // namespace llm::testing
