#include "render/k8s_names.h"

#include <fmt/format.h>

namespace llm {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

/// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63: label names and values.
bool IsQualifiedNamePart(std::string_view s) {
  if (s.empty() || s.size() > 63 || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

bool IsDns1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63 || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsDns1123Subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    if (!IsDns1123Label(s.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsDns1035Label(std::string_view s) { return IsDns1123Label(s) && s.front() >= 'a' && s.front() <= 'z'; }

Status CheckLabelKey(std::string_view s, std::string_view what) {
  std::string_view name = s;
  const size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    const std::string_view prefix = s.substr(0, slash);
    name = s.substr(slash + 1);
    if (!IsDns1123Subdomain(prefix)) {
      return Error(
          ErrorKind::kUsage,
          fmt::format("{}: the key prefix '{}' must be a lower-case DNS subdomain (e.g. 'example.com')", what, prefix));
    }
  }
  if (!IsQualifiedNamePart(name)) {
    return Error(ErrorKind::kUsage,
                 fmt::format("{}: the key '{}' must be '[prefix/]name' where name has at most 63 characters "
                             "[A-Za-z0-9_.-], starting and ending with a letter or digit",
                             what, s));
  }
  return Ok();
}

Status CheckLabelValue(std::string_view s, std::string_view what) {
  if (s.empty() || IsQualifiedNamePart(s)) return Ok();
  return Error(ErrorKind::kUsage,
               fmt::format("{}: the value '{}' must be empty or at most 63 characters [A-Za-z0-9_.-], "
                           "starting and ending with a letter or digit",
                           what, s));
}

Status CheckEnvVarName(std::string_view s, std::string_view what) {
  bool ok = !s.empty() && !(s.front() >= '0' && s.front() <= '9');
  for (char c : s) ok = ok && (IsAlnum(c) || c == '_' || c == '-' || c == '.');
  if (ok) return Ok();
  return Error(ErrorKind::kUsage, fmt::format("{}: '{}' is not a valid environment variable name "
                                              "(letters, digits, '_', '-', '.', not starting with a digit)",
                                              what, s));
}

Status CheckNamespaceFlag(std::string_view ns) {
  if (ns.empty() || IsDns1123Label(ns)) return Ok();
  return Error(ErrorKind::kUsage,
               fmt::format("-n/--namespace: '{}' must be a DNS-1123 label (lower-case letters, digits and '-', "
                           "at most 63 characters)",
                           ns));
}

}  // namespace llm
