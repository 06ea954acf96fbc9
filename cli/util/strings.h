// Small ASCII string helpers used across layers (Kubernetes names, headers
// and reasons are ASCII, so no locale is involved).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llm {

std::string Lower(std::string_view text);
std::string Upper(std::string_view text);
/// Without leading and trailing whitespace (space, tab, CR, LF, VT, FF).
std::string_view Trim(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
/// "a", "a or b", "a, b or c": the list in an error that says what is accepted.
std::string JoinWithOr(const std::vector<std::string>& items);

}  // namespace llm
