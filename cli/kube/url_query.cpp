#include "kube/url_query.h"

#include <cctype>

#include <fmt/format.h>

namespace llm::kube {

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

std::string EncodeQuery(const QueryParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += out.empty() ? "?" : "&";
    out += PercentEncode(key) + "=" + PercentEncode(value);
  }
  return out;
}

std::string AppendQuery(const std::string& path, std::string_view key, std::string_view value) {
  const char* separator = path.find('?') == std::string::npos ? "?" : "&";
  return path + separator + PercentEncode(key) + "=" + PercentEncode(value);
}

}  // namespace llm::kube
