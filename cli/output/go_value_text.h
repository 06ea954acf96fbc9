// How kubectl's Go code spells a JSON value, for the printers that must match
// kubectl byte for byte (-o jsonpath, -o custom-columns): fmt's %v and
// encoding/json's compact Marshal differ from nlohmann's dump in float
// notation, HTML escaping and how maps and lists read.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm {

/// fmt.Sprint of the value as Go's JSON decoder holds it: strings as is,
/// float64 as %v (1.5, 1e+06, 1e-05), maps as "map[a:1 b:x]" (keys sorted),
/// lists as "[1 2]", null as "<nil>".
std::string GoSprint(const nlohmann::json& value);

/// encoding/json.Marshal: compact, keys sorted, <, > and & as \u003c..., floats
/// as 1.5, 1e+21 and 1e-7.
std::string GoJsonMarshal(const nlohmann::json& value);

/// strconv.Quote (fmt's %q): double quotes, Go's escapes for control bytes.
std::string GoQuote(std::string_view text);

}  // namespace llm
