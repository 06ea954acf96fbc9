// pcie: pinned host<->device copy bandwidth per GPU, first each GPU alone,
// then all GPUs at once (shared PCIe switches and root ports show up only
// then), with each GPU's host buffer on its own NUMA node, data verified.
#pragma once

#include "check.h"

namespace llm::gpu_check {

class PcieCheck : public Check {
 public:
  CheckId id() const override { return CheckId::kPcie; }
  Result<TestResult> Run(CheckContext& ctx) override;
};

}  // namespace llm::gpu_check
