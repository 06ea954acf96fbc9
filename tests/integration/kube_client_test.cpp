// The Kubernetes client core against the real local control plane
// (tests/cluster/up.sh): kubeconfigs with certificates, a ServiceAccount token
// and an exec plugin; RBAC errors; server-side apply; paging; warnings.
#include <array>
#include <cstdio>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include <doctest/doctest.h>

#include "kube/client_factory.h"

namespace llm::kube {
namespace {

const std::string kClusterDir = LLM_TEST_CLUSTER_DIR;
const std::string kNamespace = "it-kube-core";

std::string Kubeconfig(const std::string& name) { return kClusterDir + "/" + name + ".kubeconfig"; }

struct Client {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Connection connection;
  RestClient* operator->() { return connection.client.get(); }
};

std::unique_ptr<Client> Connect(const std::string& kubeconfig, int verbosity = 0, const std::string& token = "") {
  auto client = std::make_unique<Client>();
  ConfigFlags flags;
  flags.kubeconfig = Kubeconfig(kubeconfig);
  flags.verbosity = verbosity;
  flags.token = token;
  auto connection = kube::Connect(flags, IoStreams{client->in, client->out, client->err});
  REQUIRE_MESSAGE(connection.ok(), connection.error().message());
  client->connection = std::move(connection).value();
  return client;
}

const ResourceRef kNamespaces{"", "v1", "namespaces", "", "", ""};
ResourceRef ConfigMaps(const std::string& name = "") { return {"", "v1", "configmaps", kNamespace, name, ""}; }

void EnsureNamespace(Client& admin) {
  nlohmann::json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", kNamespace}}}};
  ResourceRef ref = kNamespaces;
  ref.name = kNamespace;
  auto applied = admin->Apply(ref, ns, ApplyOptions{});
  REQUIRE_MESSAGE(applied.ok(), applied.error().message());
}

nlohmann::json ConfigMap(const std::string& name, nlohmann::json data) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", kNamespace}, {"labels", {{"suite", "kube-core"}}}}},
          {"data", std::move(data)}};
}

struct Ran {
  int code;
  std::string out;  // stdout and stderr together
};

Ran RunBinary(const std::string& args) {
  std::string command = std::string(KUBECTL_LLM_BINARY) + " " + args + " 2>&1";
  Ran ran{-1, ""};
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) ran.out.append(buffer.data(), n);
  int status = pclose(pipe);
  ran.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

TEST_CASE("admin (client certificate) and exec (plugin) kubeconfigs list namespaces") {
  for (const char* name : {"admin", "exec"}) {
    CAPTURE(name);
    auto client = Connect(name);
    auto list = (*client)->List(kNamespaces, ListOptions{});
    REQUIRE_MESSAGE(list.ok(), list.error().message());
    bool has_default = false;
    for (const auto& item : (*list)["items"]) has_default |= item["metadata"]["name"] == "default";
    CHECK(has_default);
  }
}

TEST_CASE("dev (ServiceAccount token) works in its namespace and is Forbidden on nodes with kubectl's message") {
  auto dev = Connect("dev");
  auto allowed = (*dev)->List(ResourceRef{"", "v1", "configmaps", "team-a", "", ""}, ListOptions{});
  REQUIRE_MESSAGE(allowed.ok(), allowed.error().message());

  auto nodes = (*dev)->List(ResourceRef{"", "v1", "nodes", "", "", ""}, ListOptions{});
  REQUIRE_FALSE(nodes.ok());
  CHECK(nodes.error().kind() == ErrorKind::kForbidden);
  CHECK(nodes.error().message().starts_with("Error from server (Forbidden): nodes is forbidden: User \"system:serviceaccount:team-a:"));
  CHECK(nodes.error().message().ends_with("\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"));
}

TEST_CASE("a bad token gets kubectl's Unauthorized message") {
  auto client = Connect("dev", 0, "not-a-valid-token");
  auto list = (*client)->List(ResourceRef{"", "v1", "configmaps", "team-a", "", ""}, ListOptions{});
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().kind() == ErrorKind::kUnauthorized);
  CHECK(list.error().message() == "You must be logged in to the server (Unauthorized)");
}

TEST_CASE("NotFound and Invalid come back in kubectl's words") {
  auto admin = Connect("admin");
  EnsureNamespace(*admin);
  auto missing = (*admin)->Get(ResourceRef{"apps", "v1", "deployments", kNamespace, "x", ""});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind() == ErrorKind::kNotFound);
  CHECK(missing.error().message() == "Error from server (NotFound): deployments.apps \"x\" not found");

  auto invalid = (*admin)->Create(ConfigMaps(), ConfigMap("Bad_Name", nlohmann::json::object()), false);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().kind() == ErrorKind::kInvalid);
  CHECK(invalid.error().message().starts_with(
      "The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
      "subdomain"));
}

TEST_CASE("server-side apply: create, update, conflict with the fields, force, dry run") {
  auto admin = Connect("admin");
  EnsureNamespace(*admin);
  (void)(*admin)->Delete(ConfigMaps("ssa"), DeleteOptions{});

  auto created = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "1"}}), ApplyOptions{});
  REQUIRE_MESSAGE(created.ok(), created.error().message());
  CHECK((*created)["data"]["a"] == "1");
  bool ours = false;
  for (const auto& mf : (*created)["metadata"]["managedFields"]) {
    ours |= mf["manager"] == "kubectl-llm" && mf["operation"] == "Apply";
  }
  CHECK(ours);

  auto updated = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "2"}}), ApplyOptions{});
  REQUIRE_MESSAGE(updated.ok(), updated.error().message());
  CHECK((*updated)["data"]["a"] == "2");

  ApplyOptions other;
  other.field_manager = "other-tool";
  auto conflict = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "3"}}), other);
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().kind() == ErrorKind::kConflict);
  CHECK(conflict.error().message().starts_with(
      "Apply failed with 1 conflict: conflict with \"kubectl-llm\" using v1: .data.a\nPlease review the fields above"));
  CHECK(conflict.error().message().find("--force-conflicts") != std::string::npos);

  other.force = true;
  auto forced = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "3"}}), other);
  REQUIRE_MESSAGE(forced.ok(), forced.error().message());
  CHECK((*forced)["data"]["a"] == "3");
  std::string rv = (*forced)["metadata"]["resourceVersion"];

  other.dry_run = true;
  auto dry = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "4"}}), other);
  REQUIRE_MESSAGE(dry.ok(), dry.error().message());
  CHECK((*dry)["data"]["a"] == "4");
  auto live = (*admin)->Get(ConfigMaps("ssa"));
  REQUIRE(live.ok());
  CHECK((*live)["data"]["a"] == "3");
  CHECK((*live)["metadata"]["resourceVersion"] == rv);

  auto deleted = (*admin)->Delete(ConfigMaps("ssa"), DeleteOptions{});
  CHECK(deleted.ok());
  auto again = (*admin)->Delete(ConfigMaps("ssa"), DeleteOptions{});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message() == "Error from server (NotFound): configmaps \"ssa\" not found");
}

TEST_CASE("List with limit=1 pages through every object") {
  auto admin = Connect("admin", 6);
  EnsureNamespace(*admin);
  for (int i = 0; i < 5; ++i) {
    std::string name = "page-" + std::to_string(i);
    auto applied = (*admin)->Apply(ConfigMaps(name), ConfigMap(name, {{"i", std::to_string(i)}}), ApplyOptions{});
    REQUIRE_MESSAGE(applied.ok(), applied.error().message());
  }
  admin->err.str("");
  ListOptions options;
  options.limit = 1;
  options.label_selector = "suite=kube-core";
  auto list = (*admin)->List(ConfigMaps(), options);
  REQUIRE_MESSAGE(list.ok(), list.error().message());
  int pages = 0;
  std::istringstream log(admin->err.str());
  for (std::string line; std::getline(log, line);) pages += line.find("/configmaps?") != std::string::npos ? 1 : 0;
  // One object per page (a filtered list may end with an empty page).
  int items = static_cast<int>((*list)["items"].size());
  CHECK(items >= 5);
  CHECK(pages >= items);
  CHECK_FALSE((*list)["metadata"].contains("continue"));
}

TEST_CASE("the server's Warning headers are printed as 'Warning: ...'") {
  auto admin = Connect("admin");
  EnsureNamespace(*admin);
  nlohmann::json object = ConfigMap("warned", {{"k", "v"}});
  object["unknownTopLevelField"] = "x";
  ApplyOptions warn;
  warn.field_validation = "Warn";
  auto applied = (*admin)->Apply(ConfigMaps("warned"), object, warn);
  REQUIRE_MESSAGE(applied.ok(), applied.error().message());
  CHECK(admin->err.str().find("Warning: unknown field \"unknownTopLevelField\"") != std::string::npos);
}

TEST_CASE("kubectl llm version prints the server version; --client does not contact it") {
  Ran text = RunBinary("version --kubeconfig " + Kubeconfig("admin"));
  CHECK(text.code == 0);
  CHECK(text.out.find("Server Version: v1.") != std::string::npos);

  Ran json = RunBinary("version -o json --kubeconfig=" + Kubeconfig("admin"));
  REQUIRE(json.code == 0);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["serverVersion"]["major"] == "1");
  CHECK(doc["serverVersion"]["gitVersion"].get<std::string>().starts_with("v1."));
  CHECK(doc["serverVersion"].contains("platform"));

  Ran client = RunBinary("version --client --server https://127.0.0.1:1");
  CHECK(client.code == 0);
  CHECK(client.out.find("Server Version") == std::string::npos);
}

TEST_CASE("an unreachable server gives kubectl's connection refused message, exit 1") {
  Ran r = RunBinary("version --kubeconfig " + Kubeconfig("admin") + " --server https://127.0.0.1:1");
  CHECK(r.code == 1);
  CHECK(r.out.find("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or "
                   "port?\n") != std::string::npos);
}

}  // namespace
}  // namespace llm::kube
