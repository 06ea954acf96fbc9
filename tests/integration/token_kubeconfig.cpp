#include "integration/token_kubeconfig.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"

namespace llm::testing {

ScopedTokenKubeconfig::ScopedTokenKubeconfig(std::string user, const std::string& ns, const std::string& token,
                                             const std::string& server)
    : user_(std::move(user)), path_(TestCluster::Get().Kubeconfig(user_)) {
  const std::string& dir = TestCluster::Get().dir();
  nlohmann::json context = {{"cluster", "local"}, {"user", user_}};
  if (!ns.empty()) context["namespace"] = ns;
  nlohmann::json config = {{"apiVersion", "v1"},
                           {"kind", "Config"},
                           {"clusters",
                            {{{"name", "local"},
                              {"cluster",
                               {{"server", server.empty() ? TestCluster::Get().Server() : server},
                                {"certificate-authority", dir + "/pki/ca.crt"}}}}}},
                           {"users", {{{"name", user_}, {"user", {{"token", token}}}}}},
                           {"contexts", {{{"name", user_}, {"context", context}}}},
                           {"current-context", user_}};
  // Owner-only before the token goes in.
  { std::ofstream create(path_); }
  std::filesystem::permissions(path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream out(path_);
  out << config.dump(2) << "\n";  // JSON is YAML, as kubeconfigs are read
}

ScopedTokenKubeconfig::~ScopedTokenKubeconfig() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace llm::testing
