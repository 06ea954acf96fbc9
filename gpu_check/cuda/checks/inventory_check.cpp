// inventory: the GPUs match what the pod should have (count, peer access).
// Names, UUIDs, PCI ids, memory, compute capability and versions are queried
// once by the runner for the report; this check judges them.
#include "check.h"

#include <fmt/format.h>

namespace llm::gpu_check {

class InventoryCheck : public Check {
 public:
  Result<TestResult> Run(CheckContext& ctx) override;
};

Result<TestResult> InventoryCheck::Run(CheckContext& ctx) {
  TestResult t;
  t.name = std::string(ctx.spec.key);
  t.peer_access = ctx.peer_access;
  const int n = static_cast<int>(ctx.gpus.size());
  for (const GpuInfo& g : ctx.gpus) {
    ctx.log << fmt::format("llm-gpu-check: gpu {}: {} {} {} cc {}.{} {} GiB numa {}\n", g.index, g.name, g.uuid,
                           g.pci_bus_id, g.cc_major, g.cc_minor, g.memory_bytes >> 30, g.numa_node);
  }
  auto fail = [&](std::string reason) {
    t.status = TestStatus::kFail;
    t.code = ExitCode::kTopology;
    if (t.reason.empty()) t.reason = std::move(reason);
  };
  if (auto mismatch = GpuCountMismatch(n, ctx.options.expect_gpus)) fail(*mismatch);
  // All pairs or none: a node where only some pairs reach each other has a
  // missing NVLink/NVSwitch path or GPUs split by an ACS/IOMMU setting.
  int pairs = 0;
  int accessible = 0;
  std::string missing;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      ++pairs;
      if (ctx.peer_access[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] != 0) {
        ++accessible;
      } else if (missing.size() < 200) {
        missing += fmt::format("{}{}->{}", missing.empty() ? "" : " ", i, j);
      }
    }
  }
  if (accessible > 0 && accessible < pairs) {
    fail(fmt::format("peer access on {} of {} GPU pairs; missing: {}", accessible, pairs, missing));
  }
  return t;
}

const RegisterCheck<InventoryCheck> kRegistered(CheckId::kInventory);

}  // namespace llm::gpu_check
