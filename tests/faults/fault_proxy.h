// FaultProxy: one toxiproxy proxy in front of the local API server, and a
// kubeconfig that sends kubectl-llm through it. Faults are toxiproxy's own:
// toxics (latency, bandwidth, a stall, a reset) on the TCP stream, and
// disabling the proxy (every connection closed, new ones refused). The proxy
// server is the cluster's one, which tests/cluster/toxiproxy.sh starts on
// demand; everything stays on 127.0.0.1.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace llm::testing {

class FaultProxy {
 public:
  /// Creates proxy `name` listening on a free loopback port, upstream the API server.
  explicit FaultProxy(std::string name);
  /// Deletes the proxy (its connections close).
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  /// "https://127.0.0.1:PORT": where clients connect.
  const std::string& server() const { return server_; }

  /// Adds toxic `name` of `type` ("latency", "bandwidth", "timeout",
  /// "reset_peer", "limit_data", ...) on `stream` ("downstream": server to
  /// client; "upstream": client to server), applied to a `toxicity` share of
  /// connections.
  void AddToxic(const std::string& name, const std::string& type, const std::string& stream,
                const nlohmann::json& attributes, double toxicity = 1.0);
  void RemoveToxic(const std::string& name);
  /// Disabled: every open connection is closed and new ones are refused.
  void SetEnabled(bool enabled);
  /// Removes every toxic and enables the proxy again.
  void Heal();

  /// Writes `<user>.kubeconfig` in the cluster's directory: a copy of the
  /// `from` user's kubeconfig ("admin", "exec", ...) whose server is this proxy.
  /// Returns `user`, for TestCluster::Plugin.
  std::string WriteKubeconfig(const std::string& user, const std::string& from) const;

 private:
  nlohmann::json Call(const std::string& method, const std::string& path, const nlohmann::json& body) const;

  std::string name_;
  std::string api_;     ///< toxiproxy's API, http://127.0.0.1:PORT
  std::string server_;  ///< the proxy's https URL
  nlohmann::json toxics_ = nlohmann::json::array();
};

}  // namespace llm::testing
