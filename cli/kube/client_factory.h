// The factory commands call to talk to the cluster: loads the config as
// kubectl does (client_config), builds the transport, credentials and the
// RestClient, and tells the namespace to use.
#pragma once

#include <memory>
#include <string>

#include "kube/client_config.h"
#include "kube/config_flags.h"
#include "kube/process_runner.h"
#include "kube/rate_limiter.h"
#include "kube/rest_client.h"
#include "kube/transport.h"
#include "util/clock.h"
#include "util/environment.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm::kube {

/// The process's side effects, each replaceable in tests.
struct ClientEnvironment {
  Getenv env = ProcessGetenv();
  std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
  std::shared_ptr<ProcessRunner> runner = std::make_shared<PosixProcessRunner>();
  std::string service_account_dir = kServiceAccountDir;
  bool stdin_is_terminal = StdinIsTerminal();
  /// Replaces the libcurl transport when set (unit tests).
  std::shared_ptr<Transport> transport;
  /// Client-side rate limit (rate_limiter.h); bulk commands such as validate-nodes raise it.
  double qps = kDefaultQps;
  int burst = kDefaultBurst;
};

struct Connection {
  std::shared_ptr<RestClient> client;
  ClientConfig config;  ///< server, namespace (config.ns, config.namespace_explicit), context
};

/// What a client with TLS verification off says once, on stderr, as "Warning: ...".
inline constexpr const char* kInsecureTlsWarning =
    "TLS verification is off (insecure-skip-tls-verify): the server's certificate is not checked, so this "
    "connection and its credentials can be intercepted";

/// Builds a client for an already resolved config. -v logs and Warning lines go to streams.err.
Result<std::shared_ptr<RestClient>> NewRestClientForConfig(const ClientConfig& config, int verbosity, IoStreams streams,
                                                           const ClientEnvironment& environment);

/// Loads the config from the flags and environment and builds a client.
Result<Connection> Connect(const ConfigFlags& flags, IoStreams streams,
                           const ClientEnvironment& environment = ClientEnvironment());

struct ResolvedNamespace {
  std::string name;    ///< -n, else the context's namespace, else "default"
  bool explicit_flag;  ///< -n was given: a manifest's other namespace is an error
};
/// The namespace without building a client (no server contact).
Result<ResolvedNamespace> DefaultNamespace(const ConfigFlags& flags,
                                           const ClientEnvironment& environment = ClientEnvironment());

}  // namespace llm::kube
