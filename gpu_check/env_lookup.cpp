#include "env_lookup.h"

#include <cstdlib>
#include <string_view>

extern char** environ;  // NOLINT: POSIX

namespace llm::gpu_check {

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::map<std::string, std::string> ProcessEnvWithPrefix(const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = entry.substr(0, eq);
    if (name.starts_with(prefix)) out.emplace(std::string(name), std::string(entry.substr(eq + 1)));
  }
  return out;
}

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace llm::gpu_check
