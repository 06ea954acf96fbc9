#include "kube/client_config.h"

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

const std::string kDir = LLM_TESTDATA_DIR "/kubeconfig";

Kubeconfig Load(const std::string& kubeconfig_env) {
  auto config = LoadKubeconfig({"", kubeconfig_env, ""});
  REQUIRE(config.ok());
  return *config;
}

TEST_CASE("the current context picks cluster, user and namespace") {
  auto config = ResolveClientConfig(Load(kDir + "/a.yaml:" + kDir + "/b.yaml"), {});
  REQUIRE(config.ok());
  CHECK(config->context_name == "ctx-a");
  CHECK(config->server == "https://a.example:6443");
  CHECK(config->tls_server_name == "api.a.example");
  CHECK(config->token == "token-from-a");
  CHECK(config->username.empty());  // not mixed in from b's "shared" user
  CHECK(config->ns == "team-a");
  CHECK_FALSE(config->namespace_explicit);
}

TEST_CASE("--context, --cluster, --user and -n override the kubeconfig") {
  Kubeconfig merged = Load(kDir + "/a.yaml:" + kDir + "/b.yaml");
  ConfigFlags flags;
  flags.context = "ctx-b";
  auto b = ResolveClientConfig(merged, flags);
  REQUIRE(b.ok());
  CHECK(b->server == "https://only-b.example");
  CHECK(b->ca_data == "-----BEGIN CERTIFICATE-----\nca-data\n-----END CERTIFICATE-----\n");
  CHECK(b->token_file == kDir + "/token.txt");
  CHECK(b->ns == "default");  // ctx-b has no namespace

  flags = {};
  flags.cluster = "only-b";
  flags.user = "user-b";
  flags.ns = "other";
  auto overridden = ResolveClientConfig(merged, flags);
  REQUIRE(overridden.ok());
  CHECK(overridden->context_name == "ctx-a");
  CHECK(overridden->server == "https://only-b.example");
  CHECK(overridden->token.empty());
  CHECK(overridden->token_file == kDir + "/token.txt");
  CHECK(overridden->ns == "other");
  CHECK(overridden->namespace_explicit);
}

TEST_CASE("--as, --as-group, --as-uid and --disable-compression override the kubeconfig, as kubectl's") {
  Kubeconfig merged = Load(kDir + "/a.yaml:" + kDir + "/b.yaml");
  ConfigFlags flags;
  flags.impersonate = "jane";
  flags.impersonate_groups = {"ml", "ops"};
  flags.impersonate_uid = "1234";
  flags.disable_compression = true;
  auto config = ResolveClientConfig(merged, flags);
  REQUIRE(config.ok());
  CHECK(config->impersonate == "jane");
  CHECK(config->impersonate_groups == std::vector<std::string>{"ml", "ops"});
  CHECK(config->impersonate_uid == "1234");
  CHECK(config->disable_compression);
  CHECK_FALSE(ResolveClientConfig(merged, {})->disable_compression);

  // A uid or groups without a user: kubectl's refusal, before any request.
  for (const auto& [groups, uid] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{{{"ml"}, ""}, {{}, "1"}}) {
    ConfigFlags alone;
    alone.impersonate_groups = groups;
    alone.impersonate_uid = uid;
    auto refused = ResolveClientConfig(merged, alone);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message() == "requesting uid, groups or user-extra for shared without impersonating a user");
  }
}

TEST_CASE("unknown context, cluster or user names are errors") {
  Kubeconfig merged = Load(kDir + "/a.yaml");
  ConfigFlags flags;
  flags.context = "nope";
  auto r = ResolveClientConfig(merged, flags);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "context \"nope\" does not exist");
  flags = {};
  flags.cluster = "nope";
  r = ResolveClientConfig(merged, flags);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "cluster \"nope\" does not exist");
  flags = {};
  flags.user = "nope";
  r = ResolveClientConfig(merged, flags);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "auth info \"nope\" does not exist");
}

TEST_CASE("--server replaces the server and clears the kubeconfig's tls-server-name") {
  ConfigFlags flags;
  flags.server = "https://other:6443/";
  auto r = ResolveClientConfig(Load(kDir + "/a.yaml"), flags);
  REQUIRE(r.ok());
  CHECK(r->server == "https://other:6443");
  CHECK(r->tls_server_name.empty());
  flags.tls_server_name = "named";
  r = ResolveClientConfig(Load(kDir + "/a.yaml"), flags);
  REQUIRE(r.ok());
  CHECK(r->tls_server_name == "named");
}

TEST_CASE("a server without a scheme gets https only when TLS is configured") {
  ConfigFlags flags;
  flags.server = "localhost:8080";
  auto plain = ResolveClientConfig({}, flags);
  REQUIRE(plain.ok());
  CHECK(plain->server == "http://localhost:8080");
  flags.insecure_skip_tls_verify = true;
  auto tls = ResolveClientConfig({}, flags);
  REQUIRE(tls.ok());
  CHECK(tls->server == "https://localhost:8080");
}

TEST_CASE("--certificate-authority and --insecure-skip-tls-verify replace the cluster's TLS settings") {
  Kubeconfig merged = Load(kDir + "/b.yaml");
  ConfigFlags flags;
  flags.context = "ctx-b";
  flags.insecure_skip_tls_verify = true;
  auto insecure = ResolveClientConfig(merged, flags);
  REQUIRE(insecure.ok());
  CHECK(insecure->insecure_skip_tls_verify);
  CHECK(insecure->ca_data.empty());

  flags.insecure_skip_tls_verify = false;
  flags.certificate_authority = kDir + "/sub/ca.pem";
  auto ca = ResolveClientConfig(merged, flags);
  REQUIRE(ca.ok());
  CHECK(ca->ca_data.find("relative-ca") != std::string::npos);
}

TEST_CASE("--token replaces the user's token and token file - exec stays configured but unused") {
  ConfigFlags flags;
  flags.context = "ctx-b";
  flags.token = "flag-token";
  auto r = ResolveClientConfig(Load(kDir + "/b.yaml"), flags);
  REQUIRE(r.ok());
  CHECK(r->token == "flag-token");
  CHECK(r->token_file.empty());
}

TEST_CASE("files named by the kubeconfig are read into memory - flags replace them") {
  auto r = ResolveClientConfig(Load(kDir + "/sub/relative.yaml"), {});
  REQUIRE(r.ok());
  CHECK(r->ca_data.find("relative-ca") != std::string::npos);
  CHECK(r->cert_data.find("relative-client") != std::string::npos);
  CHECK(r->key_data.find("relative-key") != std::string::npos);

  ConfigFlags flags;
  flags.client_certificate = kDir + "/nonexistent.pem";
  auto missing = ResolveClientConfig(Load(kDir + "/sub/relative.yaml"), flags);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message().starts_with("unable to read client-cert " + kDir + "/nonexistent.pem for rel"));
}

TEST_CASE("a client certificate without a key is refused, naming the user") {
  auto r = ResolveClientConfig(Load(kDir + "/cert-no-key.yaml"), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() ==
        "client-key-data or client-key must be specified for u to use the clientCert authentication method.");
}

TEST_CASE("an empty config without --server is an error") {
  auto r = ResolveClientConfig({}, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().starts_with("invalid configuration: no configuration has been provided"));
}

struct ServiceAccountDir {
  std::filesystem::path path;
  ServiceAccountDir() {
    path = std::filesystem::temp_directory_path() / ("llm-sa-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(path);
    std::ofstream(path / "token") << "sa-token\n";
    std::ofstream(path / "ca.crt") << "sa-ca";
    std::ofstream(path / "namespace") << "from-file\n";
  }
  ~ServiceAccountDir() { std::filesystem::remove_all(path); }
};

TEST_CASE("with no kubeconfig, the in-cluster config is used, -n and --token still override") {
  ServiceAccountDir sa;
  Getenv env = MapGetenv(
      {{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}, {"HOME", "/nonexistent-home"}});
  auto r = LoadClientConfig({}, env, sa.path.string());
  REQUIRE(r.ok());
  CHECK(r->in_cluster);
  CHECK(r->server == "https://10.0.0.1:443");
  CHECK(r->token_file == (sa.path / "token").string());
  CHECK(r->ca_data == "sa-ca");
  CHECK(r->ns == "from-file");

  ConfigFlags flags;
  flags.ns = "flag-ns";
  flags.token = "flag-token";
  auto overridden = LoadClientConfig(flags, env, sa.path.string());
  REQUIRE(overridden.ok());
  CHECK(overridden->ns == "flag-ns");
  CHECK(overridden->token == "flag-token");
  CHECK(overridden->token_file.empty());
}

TEST_CASE("in-cluster: POD_NAMESPACE wins, IPv6 hosts get brackets, a kubeconfig wins over both") {
  ServiceAccountDir sa;
  Getenv env = MapGetenv({{"KUBERNETES_SERVICE_HOST", "fd00::1"},
                          {"KUBERNETES_SERVICE_PORT", "6443"},
                          {"POD_NAMESPACE", "from-env"},
                          {"HOME", "/nonexistent-home"}});
  auto r = LoadClientConfig({}, env, sa.path.string());
  REQUIRE(r.ok());
  CHECK(r->server == "https://[fd00::1]:6443");
  CHECK(r->ns == "from-env");

  Getenv with_kubeconfig = MapGetenv(
      {{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}, {"KUBECONFIG", kDir + "/a.yaml"}});
  auto k = LoadClientConfig({}, with_kubeconfig, sa.path.string());
  REQUIRE(k.ok());
  CHECK_FALSE(k->in_cluster);
  CHECK(k->server == "https://a.example:6443");
}

}  // namespace
}  // namespace llm::kube
