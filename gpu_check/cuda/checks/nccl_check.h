// nccl: all-reduce bus bandwidth over every local GPU (and every node in a
// multi-node run), out-of-place and in-place, over a size sweep; the largest
// size is judged. Each size is followed by an exact correctness check, and
// the algorithm NCCL chose is read from its log.
#pragma once

#include "check.h"

namespace llm::gpu_check {

class NcclCheck : public Check {
 public:
  CheckId id() const override { return CheckId::kNccl; }
  Result<TestResult> Run(CheckContext& ctx) override;
};

}  // namespace llm::gpu_check
