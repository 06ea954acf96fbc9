#include "kube/transport.h"

#include <strings.h>

#include <fmt/format.h>

namespace llm::kube {
namespace {
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

std::vector<std::string> HttpResponse::HeaderValues(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) values.push_back(value);
  }
  return values;
}

Error ConnectionRefusedError(std::string_view host_port) {
  return Error(ErrorKind::kConnection,
               fmt::format("The connection to the server {} was refused - did you specify the right host or port?",
                           host_port));
}

bool IsConnectionRefused(const Error& error) {
  return error.kind() == ErrorKind::kConnection && error.message().starts_with("The connection to the server ") &&
         error.message().find(" was refused") != std::string::npos;
}

}  // namespace llm::kube
