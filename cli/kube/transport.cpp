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
  return Error(
      ErrorKind::kConnection,
      fmt::format("The connection to the server {} was refused - did you specify the right host or port?", host_port));
}

bool IsConnectionRefused(const Error& error) {
  return error.kind() == ErrorKind::kConnection && error.message().starts_with("The connection to the server ") &&
         error.message().find(" was refused") != std::string::npos;
}

Error UnableToConnectError(std::string_view go_text, ErrorKind kind) {
  return Error(kind, fmt::format("Unable to connect to the server: {}", go_text));
}

bool IsProbableEOF(const Error& error) {
  if (error.kind() != ErrorKind::kConnection) return false;
  const std::string& text = error.message();
  auto has = [&](std::string_view words) { return text.find(words) != std::string::npos; };
  return text.ends_with(": EOF") || text.ends_with(": unexpected EOF") || has("connection reset by peer") ||
         has("http2: server sent GOAWAY and closed the connection") || has("http2: client connection lost");
}

}  // namespace llm::kube
