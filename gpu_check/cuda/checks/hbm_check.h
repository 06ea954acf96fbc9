// hbm: device memory copy bandwidth of every GPU, all GPUs at once (a copy
// kernel, read + write bytes counted), with the copied data verified.
#pragma once

#include "check.h"

namespace llm::gpu_check {

class HbmCheck : public Check {
 public:
  CheckId id() const override { return CheckId::kHbm; }
  Result<TestResult> Run(CheckContext& ctx) override;
};

}  // namespace llm::gpu_check
