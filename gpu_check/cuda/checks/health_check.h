// health: NVML's view of every GPU around the run (health_session.h). Runs
// last: it drives its own load window (HBM copy kernels and host-to-device
// copies on every GPU at once) while NVML is sampled, then reads the
// counters again and collects the XID events delivered during the run.
#pragma once

#include "check.h"

namespace llm::gpu_check {

class HealthCheck : public Check {
 public:
  CheckId id() const override { return CheckId::kHealth; }
  Result<TestResult> Run(CheckContext& ctx) override;
};

}  // namespace llm::gpu_check
