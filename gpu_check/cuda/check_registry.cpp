#include "check.h"
#include "checks/hbm_check.h"
#include "checks/health_check.h"
#include "checks/inventory_check.h"
#include "checks/nccl_check.h"
#include "checks/p2p_check.h"
#include "checks/pcie_check.h"

namespace llm::gpu_check {

// No default case: a CheckId without a class is a compile error (-Wswitch).
std::unique_ptr<Check> CreateCheck(CheckId id) {
  switch (id) {
    case CheckId::kInventory: return std::make_unique<InventoryCheck>();
    case CheckId::kHbm: return std::make_unique<HbmCheck>();
    case CheckId::kPcie: return std::make_unique<PcieCheck>();
    case CheckId::kP2p: return std::make_unique<P2pCheck>();
    case CheckId::kNccl: return std::make_unique<NcclCheck>();
    case CheckId::kHealth: return std::make_unique<HealthCheck>();
  }
  return nullptr;
}

}  // namespace llm::gpu_check
