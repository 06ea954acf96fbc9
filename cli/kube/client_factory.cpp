#include "kube/client_factory.h"

#include "kube/authenticator.h"
#include "kube/curl_transport.h"
#include "kube/exec_credential.h"
#include "kube/rest_client_impl.h"
#include "kube/user_agent.h"

namespace llm::kube {

Result<std::shared_ptr<RestClient>> NewRestClientForConfig(const ClientConfig& config, int verbosity, IoStreams streams,
                                                           const ClientEnvironment& environment) {
  // client-go sends credentials only over TLS; a token never travels in clear text.
  bool tls = config.server.starts_with("https://");
  std::shared_ptr<ExecCredentialProvider> exec;
  if (tls && Authenticator::UsesExec(config)) {
    ExecClusterInfo cluster{config.server,        config.tls_server_name, config.insecure_skip_tls_verify,
                            config.ca_data,       config.proxy_url,       config.disable_compression,
                            config.exec_extension};
    // --request-timeout bounds the plugin's run too; without it, kExecRunLimit does.
    exec = std::make_shared<ExecCredentialProvider>(
        *config.exec, std::move(cluster), environment.runner, *environment.clock, environment.stdin_is_terminal,
        kExecExpiryMargin, config.request_timeout.count() > 0 ? config.request_timeout : kExecRunLimit);
  }
  std::shared_ptr<Transport> transport = environment.transport;
  if (!transport) {
    CurlTransportConfig tc{config.server,    config.tls_server_name,     config.insecure_skip_tls_verify,
                           config.ca_data,   config.cert_data,           config.key_data,
                           config.proxy_url, config.disable_compression, nullptr};
    if (exec) {
      // The Authenticator ran the plugin (or failed) just before the transport asks:
      // read what it got rather than running the plugin a second time.
      tc.dynamic_client_certificate = [exec]() -> std::optional<std::pair<std::string, std::string>> {
        auto cred = exec->Last();
        if (!cred || cred->client_certificate_data.empty()) return std::nullopt;
        return std::make_pair(cred->client_certificate_data, cred->client_key_data);
      };
    }
    LLM_ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> curl, CurlTransport::Create(std::move(tc), environment.env));
    transport = std::move(curl);
  }
  std::shared_ptr<Authenticator> auth;
  if (tls) auth = std::make_shared<Authenticator>(config, exec, *environment.clock);
  RestClientOptions options;
  options.server = config.server;
  options.user_agent = UserAgent();
  options.verbosity = verbosity;
  options.log = &streams.err;
  options.warnings = &streams.err;
  options.request_timeout = config.request_timeout;
  options.qps = environment.qps;
  options.burst = environment.burst;
  auto client =
      std::make_shared<RestClientImpl>(std::move(transport), std::move(auth), environment.clock, std::move(options));
  // Verification is off only when asked for (kubeconfig or flag); say so once,
  // since every request of this run can then be intercepted unnoticed.
  if (config.insecure_skip_tls_verify) client->Warn(kInsecureTlsWarning);
  return std::shared_ptr<RestClient>(std::move(client));
}

Result<Connection> Connect(const ConfigFlags& flags, IoStreams streams, const ClientEnvironment& environment) {
  LLM_ASSIGN_OR_RETURN(ClientConfig config, LoadClientConfig(flags, environment.env, environment.service_account_dir));
  LLM_ASSIGN_OR_RETURN(std::shared_ptr<RestClient> client,
                       NewRestClientForConfig(config, flags.verbosity, streams, environment));
  return Connection{std::move(client), std::move(config)};
}

Result<ResolvedNamespace> DefaultNamespace(const ConfigFlags& flags, const ClientEnvironment& environment) {
  LLM_ASSIGN_OR_RETURN(ClientConfig config, LoadClientConfig(flags, environment.env, environment.service_account_dir));
  return ResolvedNamespace{config.ns, config.namespace_explicit};
}

}  // namespace llm::kube
