// EnvLookup: reading environment variables through a function, so the
// multi-node and lint logic can be tested with a fake environment.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace llm::gpu_check {

/// Returns the value of a variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// Reads the process environment.
EnvLookup ProcessEnv();

/// Every variable of the process environment whose name starts with `prefix`.
std::map<std::string, std::string> ProcessEnvWithPrefix(const std::string& prefix);

/// A fixed environment (tests, and the validate-nodes fixtures).
EnvLookup MapEnv(std::map<std::string, std::string> vars);

}  // namespace llm::gpu_check
