// p2p: copy-engine bandwidth of every ordered GPU pair with peer access,
// unidirectional (one copy) and bidirectional (both directions at once, each
// direction reported), with the received data verified.
#pragma once

#include "check.h"

namespace llm::gpu_check {

class P2pCheck : public Check {
 public:
  CheckId id() const override { return CheckId::kP2p; }
  Result<TestResult> Run(CheckContext& ctx) override;
};

}  // namespace llm::gpu_check
