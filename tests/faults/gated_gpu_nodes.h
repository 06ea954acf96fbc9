// GatedGpuNodes: two GPU nodes of the fault suite's own, for validate-nodes,
// and the kubelet's last part for their gpu-check pods (FakeGpuKubelet) held
// back until the test opens the gate, so a fault can strike while the run is
// still waiting for its verdicts. The nodes carry a taint no workload
// tolerates (the self-test's pods name their node and skip the scheduler), so
// the scenario's serve and train pods never make them busy.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "integration/fake_gpu_kubelet.h"
#include "integration/kube_client.h"

namespace llm::testing {

class GatedGpuNodes {
 public:
  /// Creates the nodes (Ready) and starts the fake kubelet for `ns`.
  explicit GatedGpuNodes(std::string ns);
  ~GatedGpuNodes();
  GatedGpuNodes(const GatedGpuNodes&) = delete;
  GatedGpuNodes& operator=(const GatedGpuNodes&) = delete;

  const std::vector<std::string>& names() const { return names_; }

  /// Closes the gate and removes every recorded verdict (labels, annotation,
  /// taint) from the nodes, so what a run records is plain to see.
  void Reset();
  /// Lets every gpu-check pod of the namespace end (passing), now and later.
  void Open();

  /// "" when each node carries no verdict or `pass` (the only verdict the fake
  /// self-test gives), and, with `all_pass`, every node carries `pass`; else
  /// what is wrong.
  std::string CheckVerdicts(bool all_pass) const;
  /// "" once no gpu-check pod is left in the namespace (waits for deletions
  /// to finish), else the pods left.
  std::string CheckNoPodsLeft() const;

 private:
  std::string ns_;
  Cluster admin_;  ///< the fake kubelet's client: straight to the API server, as a kubelet's
  std::vector<std::string> names_;
  std::shared_ptr<std::atomic<bool>> open_ = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<FakeGpuKubelet> kubelet_;
};

}  // namespace llm::testing
