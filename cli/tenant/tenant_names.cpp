#include "tenant/tenant_names.h"

#include <cctype>

namespace llm::tenant {

std::string TenantSetName(std::string_view team) { return "tenant-" + std::string(team); }

const PriorityLevel* FindPriorityLevel(std::string_view name) {
  for (const PriorityLevel& level : kPriorityLevels) {
    if (level.name == name) return &level;
  }
  return nullptr;
}

std::string GpuFlavorName(std::string_view product) {
  std::string out = "gpu-";
  for (char c : product) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
  }
  while (out.size() > 63) out.pop_back();
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace llm::tenant
