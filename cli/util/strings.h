// Small ASCII string helpers used across layers (Kubernetes names, headers
// and reasons are ASCII, so no locale is involved).
#pragma once

#include <string>
#include <string_view>

namespace llm {

std::string Lower(std::string_view text);
std::string Upper(std::string_view text);
/// Without leading and trailing whitespace (space, tab, CR, LF, VT, FF).
std::string_view Trim(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace llm
