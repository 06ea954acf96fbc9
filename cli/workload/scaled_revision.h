// The objects a `scale` revision records: those of the revision the live
// workload came from, with the one change scale made (the workload's replicas,
// or its autoscaler's bounds), so that `rollback` to it restores that scale
// and `diff --revision` shows it as the only difference.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

/// `objects` with `spec_fields` merged into the spec of the object of `kind`
/// named `name` (the others unchanged). `found` tells whether it was there.
std::vector<nlohmann::json> WithSpecFields(std::vector<nlohmann::json> objects, const std::string& kind,
                                           const std::string& name, const nlohmann::json& spec_fields, bool& found);

}  // namespace llm
