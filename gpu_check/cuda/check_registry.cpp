#include <algorithm>
#include <utility>

#include "check.h"

namespace llm::gpu_check {
namespace {

// A function-local static: registrations run during static initialization,
// in whatever order the linker put the check files, possibly before any
// namespace-scope object of this file would be constructed.
std::vector<std::pair<CheckId, CheckFactory>>& Registrations() {
  static std::vector<std::pair<CheckId, CheckFactory>> registrations;
  return registrations;
}

}  // namespace

void AddCheckRegistration(CheckId id, CheckFactory make) { Registrations().emplace_back(id, make); }

std::vector<CheckId> RegisteredCheckIds() {
  std::vector<CheckId> ids;
  for (const auto& [id, make] : Registrations()) ids.push_back(id);
  return ids;
}

std::unique_ptr<Check> CreateCheck(CheckId id) {
  const auto& all = Registrations();
  auto it = std::find_if(all.begin(), all.end(), [id](const auto& r) { return r.first == id; });
  return it == all.end() ? nullptr : it->second();
}

}  // namespace llm::gpu_check
