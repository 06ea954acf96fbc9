// URL query strings for API requests: selectors and continue tokens contain
// characters ('=', ',', '!', '+', '/') that must be percent-encoded.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llm::kube {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// RFC 3986 percent-encoding of everything but unreserved characters.
std::string PercentEncode(std::string_view text);
/// "?k=v&k2=v2" in the given order, or "" when there are no parameters.
std::string EncodeQuery(const QueryParams& params);
/// `path` with k=v added to its query ("?" or "&" as needed).
std::string AppendQuery(const std::string& path, std::string_view key, std::string_view value);

}  // namespace llm::kube
