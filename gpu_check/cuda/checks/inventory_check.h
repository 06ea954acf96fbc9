// inventory: the GPUs match what the pod should have (count, peer access).
// Names, UUIDs, PCI ids, memory, compute capability and versions are queried
// once by the runner for the report; this check judges them.
#pragma once

#include "check.h"

namespace llm::gpu_check {

class InventoryCheck : public Check {
 public:
  CheckId id() const override { return CheckId::kInventory; }
  Result<TestResult> Run(CheckContext& ctx) override;
};

}  // namespace llm::gpu_check
