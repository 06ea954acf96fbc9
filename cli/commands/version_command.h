// `kubectl llm version`: the plugin's version and git commit, and the API
// server's version when a cluster is reachable (as `kubectl version`).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "output/output_format.h"

namespace llm {

struct VersionOptions {
  std::string output;        ///< "" (text), "json" or "yaml"
  bool client_only = false;  ///< --client: never contact a server
};

/// Builds the client when (and only when) the server is asked.
using RestClientFactory = std::function<Result<std::shared_ptr<kube::RestClient>>()>;

Result<OutputSpec> ValidateVersionOptions(const VersionOptions& options);
/// Prints the versions; when the server cannot be reached the client part is
/// still printed and the kubectl-shaped error returned (exit 1).
Status RunVersion(const VersionOptions& options, const RestClientFactory& connect, IoStreams streams);
void SetupVersionCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm
