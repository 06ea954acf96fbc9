// Environment: reads environment variables through a function, so code that
// depends on KUBECONFIG, HOME or proxy variables is tested without setenv().
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace llm {

/// Returns the variable's value, or nullopt when it is not set.
using Getenv = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment.
Getenv ProcessGetenv();
/// A fixed environment (tests).
Getenv MapGetenv(std::map<std::string, std::string> vars);

}  // namespace llm
