// What metadata.managedFields says about a field manager's server-side applies.
//
// The API server stamps a manager's entry with the current time only when its
// apply changed the object (or its set of fields); a no-op apply leaves the
// entry as it was. So the entry's time, compared with the one recorded after
// the previous apply, tells whether this apply changed anything, without a
// read before it. Times have whole seconds.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm::kube {

/// The time of `manager`'s Apply entry (operation Apply, no subresource) as
/// the server wrote it; "" when the object has none.
std::string ApplyEntryTime(const nlohmann::json& object, std::string_view manager);

/// ApplyEntryTime, or "" while that time is the object's creation (within a
/// second of metadata.creationTimestamp: the two are taken a moment apart and
/// may fall on either side of a second). An apply that changes the object
/// later than that yields a time of its own.
std::string ApplyTimeSinceCreation(const nlohmann::json& object, std::string_view manager);

}  // namespace llm::kube
