// The Kubernetes client core against the real local control plane
// (tests/cluster/up.sh): kubeconfigs with certificates, a ServiceAccount token
// and an exec plugin; RBAC errors; server-side apply; paging; warnings.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <unistd.h>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"
#include "kube/client_factory.h"
#include "kube/resource_ref.h"

namespace llm::kube {
namespace {

using testing::CommandOutput;
using testing::TestCluster;

const std::string kNamespace = "it-kube-core";

std::string Kubeconfig(const std::string& name) { return TestCluster::Get().Kubeconfig(name); }
std::string StateFile(const std::string& name) { return TestCluster::Get().dir() + "/" + name; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

int ExecCalls() {
  std::ifstream in(StateFile("exec-calls"));
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

struct Client {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Connection connection;
  RestClient* operator->() { return connection.client.get(); }
};

std::unique_ptr<Client> ConnectTo(const std::string& kubeconfig_path, int verbosity = 0,
                                  const std::string& token = "") {
  auto client = std::make_unique<Client>();
  ConfigFlags flags;
  flags.kubeconfig = kubeconfig_path;
  flags.verbosity = verbosity;
  flags.token = token;
  auto connection = kube::Connect(flags, IoStreams{client->in, client->out, client->err});
  REQUIRE_MESSAGE(connection.ok(), (connection.ok() ? "" : connection.error().message()));
  client->connection = std::move(connection).value();
  return client;
}

std::unique_ptr<Client> Connect(const std::string& user, int verbosity = 0, const std::string& token = "") {
  return ConnectTo(Kubeconfig(user), verbosity, token);
}

const ResourceRef kNamespaces{"", "v1", "namespaces", "", "", ""};
ResourceRef ConfigMaps(const std::string& name = "") { return {"", "v1", "configmaps", kNamespace, name, ""}; }

void EnsureNamespace(Client& admin) {
  nlohmann::json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", kNamespace}}}};
  ResourceRef ref = kNamespaces;
  ref.name = kNamespace;
  auto applied = admin->Apply(ref, ns, ApplyOptions{});
  REQUIRE_MESSAGE(applied.ok(), (applied.ok() ? "" : applied.error().message()));
}

nlohmann::json ConfigMap(const std::string& name, nlohmann::json data) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", kNamespace}, {"labels", {{"suite", "kube-core"}}}}},
          {"data", std::move(data)}};
}

TEST_CASE("admin (client certificate) and exec (plugin) kubeconfigs list namespaces") {
  for (const char* name : {"admin", "exec"}) {
    CAPTURE(name);
    auto client = Connect(name);
    auto list = (*client)->List(kNamespaces, ListOptions{});
    REQUIRE_MESSAGE(list.ok(), (list.ok() ? "" : list.error().message()));
    bool has_default = false;
    for (const auto& item : (*list)["items"]) has_default |= item["metadata"]["name"] == "default";
    CHECK(has_default);
  }
}

TEST_CASE("dev (ServiceAccount token) works in its namespace and is Forbidden on nodes with kubectl's message") {
  auto dev = Connect("dev");
  auto allowed = (*dev)->List(core::Pods("team-a"), ListOptions{});
  REQUIRE_MESSAGE(allowed.ok(), (allowed.ok() ? "" : allowed.error().message()));

  auto nodes = (*dev)->List(ResourceRef{"", "v1", "nodes", "", "", ""}, ListOptions{});
  REQUIRE_FALSE(nodes.ok());
  CHECK(nodes.error().kind() == ErrorKind::kForbidden);
  CHECK(nodes.error().message().starts_with(
      "Error from server (Forbidden): nodes is forbidden: User \"system:serviceaccount:team-a:"));
  CHECK(nodes.error().message().ends_with("\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"));
}

TEST_CASE("a bad token gets kubectl's Unauthorized message") {
  auto client = Connect("dev", 0, "not-a-valid-token");
  auto list = (*client)->List(core::Pods("team-a"), ListOptions{});
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
  REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message()));
  CHECK((*created)["data"]["a"] == "1");
  bool ours = false;
  for (const auto& mf : (*created)["metadata"]["managedFields"]) {
    ours |= mf["manager"] == "kubectl-llm" && mf["operation"] == "Apply";
  }
  CHECK(ours);

  auto updated = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "2"}}), ApplyOptions{});
  REQUIRE_MESSAGE(updated.ok(), (updated.ok() ? "" : updated.error().message()));
  CHECK((*updated)["data"]["a"] == "2");

  ApplyOptions other;
  other.field_manager = "other-tool";
  auto conflict = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "3"}}), other);
  REQUIRE_FALSE(conflict.ok());
  CAPTURE(conflict.error().message());
  CHECK(conflict.error().kind() == ErrorKind::kConflict);
  CHECK(conflict.error().message().starts_with(
      "Apply failed with 1 conflict: conflict with \"kubectl-llm\": .data.a\nPlease review the fields above"));
  CHECK(conflict.error().message().find("--force-conflicts") != std::string::npos);

  other.force = true;
  auto forced = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "3"}}), other);
  REQUIRE_MESSAGE(forced.ok(), (forced.ok() ? "" : forced.error().message()));
  CHECK((*forced)["data"]["a"] == "3");
  std::string rv = (*forced)["metadata"]["resourceVersion"];

  other.dry_run = true;
  auto dry = (*admin)->Apply(ConfigMaps("ssa"), ConfigMap("ssa", {{"a", "4"}}), other);
  REQUIRE_MESSAGE(dry.ok(), (dry.ok() ? "" : dry.error().message()));
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
    REQUIRE_MESSAGE(applied.ok(), (applied.ok() ? "" : applied.error().message()));
  }
  admin->err.str("");
  ListOptions options;
  options.limit = 1;
  options.label_selector = "suite=kube-core";
  auto list = (*admin)->List(ConfigMaps(), options);
  REQUIRE_MESSAGE(list.ok(), (list.ok() ? "" : list.error().message()));
  int pages = 0;
  std::istringstream log(admin->err.str());
  for (std::string line; std::getline(log, line);) pages += line.find("/configmaps?") != std::string::npos ? 1 : 0;
  // One object per page (a filtered list may end with an empty page).
  int items = static_cast<int>((*list)["items"].size());
  CHECK(items >= 5);
  CHECK(pages >= items);
  CHECK_FALSE((*list)["metadata"].contains("continue"));
}

// The established TCP connections this process holds to the API server's
// port (its sockets in /proc/self/fd, found in /proc/net/tcp and tcp6).
int ConnectionsToServer() {
  const std::string server = TestCluster::Get().Server();
  const int port = std::stoi(server.substr(server.rfind(':') + 1));
  std::set<std::string> inodes;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const std::string target = std::filesystem::read_symlink(fd.path(), error).string();
    if (!error && target.starts_with("socket:[")) inodes.insert(target.substr(8, target.size() - 9));
  }
  int count = 0;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
      const int remote_port = std::stoi(remote.substr(remote.find(':') + 1), nullptr, 16);
      if (state == "01" && remote_port == port && inodes.contains(inode)) ++count;
    }
  }
  return count;
}

TEST_CASE("Prefetch sends reads together on the one connection, and the calls that follow take their answers") {
  for (const char* user : {"admin", "exec"}) {
    CAPTURE(user);
    auto client = Connect(user, 6);
    EnsureNamespace(*client);
    const ResourceRef reviews{"authentication.k8s.io", "v1", "selfsubjectreviews", "", "", ""};
    const nlohmann::json review = {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}};
    ResourceRef own_namespace = kNamespaces;
    own_namespace.name = kNamespace;
    REQUIRE((*client)->Get(own_namespace).ok());  // the connection is open before the batch
    client->err.str("");
    (*client)->Prefetch({PlannedRead::Get(own_namespace), PlannedRead::Get(ConfigMaps("never-made")),
                         PlannedRead::List(ConfigMaps(), ListOptions{}), PlannedRead::Review(reviews, review)});
    CHECK(ConnectionsToServer() == 1);  // HTTP/2: four streams of the connection already open
    const std::string sent = client->err.str();

    auto ns = (*client)->Get(own_namespace);
    REQUIRE_MESSAGE(ns.ok(), (ns.ok() ? "" : ns.error().message()));
    CHECK((*ns)["metadata"]["name"] == kNamespace);
    auto missing = (*client)->Get(ConfigMaps("never-made"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message() == "Error from server (NotFound): configmaps \"never-made\" not found");
    auto listed = (*client)->List(ConfigMaps(), ListOptions{});
    REQUIRE_MESSAGE(listed.ok(), (listed.ok() ? "" : listed.error().message()));
    CHECK((*listed)["items"].is_array());
    auto who = (*client)->Create(reviews, review, /*dry_run=*/false);
    REQUIRE_MESSAGE(who.ok(), (who.ok() ? "" : who.error().message()));
    CHECK((*who)["status"]["userInfo"]["username"] != "");
    // Four requests, each logged once, by the batch; the calls sent nothing more.
    int requests = 0;
    std::istringstream log(sent);
    for (std::string line; std::getline(log, line);) requests += line.find(" milliseconds") != std::string::npos;
    CHECK_MESSAGE(requests == 4, sent);
    CHECK_MESSAGE(client->err.str() == sent, client->err.str());
  }
}

TEST_CASE("ApplyObjects sends its applies together on the one connection, each answered as its own apply") {
  auto client = Connect("admin", 7);
  EnsureNamespace(*client);
  for (const char* name : {"together-new", "together-held"}) (void)(*client)->Delete(ConfigMaps(name), DeleteOptions{});
  ApplyOptions other;
  other.field_manager = "other-tool";
  REQUIRE((*client)->Apply(ConfigMaps("together-held"), ConfigMap("together-held", {{"a", "1"}}), other).ok());
  client->err.str("");

  std::vector<Result<AppliedObject>> answers = (*client)->ApplyObjects({
      {ConfigMaps("together-new"), ConfigMap("together-new", {{"a", "1"}}), ApplyOptions{}},
      {ConfigMaps("together-held"), ConfigMap("together-held", {{"a", "2"}}), ApplyOptions{}},  // other-tool's field
      {ConfigMaps("Bad_Name"), ConfigMap("Bad_Name", nlohmann::json::object()), ApplyOptions{}},
  });
  CHECK(ConnectionsToServer() == 1);
  REQUIRE(answers.size() == 3);
  REQUIRE_MESSAGE(answers[0].ok(), (answers[0].ok() ? "" : answers[0].error().message()));
  CHECK(answers[0]->created);
  CHECK(answers[0]->object["data"]["a"] == "1");
  REQUIRE_FALSE(answers[1].ok());
  CHECK(answers[1].error().kind() == ErrorKind::kConflict);
  CHECK(answers[1].error().message().starts_with("Apply failed with 1 conflict: conflict with \"other-tool\""));
  REQUIRE_FALSE(answers[2].ok());
  CHECK(answers[2].error().kind() == ErrorKind::kInvalid);
  // Sent together: at -v=7 each request's line comes when it is sent, each
  // answer's (" milliseconds") when it is back; all three went before any came.
  std::vector<std::string> sent, answered;
  std::istringstream log(client->err.str());
  for (std::string line; std::getline(log, line);) {
    if (!line.starts_with("PATCH ")) continue;
    (line.find(" milliseconds") == std::string::npos ? sent : answered).push_back(line);
    if (line.find(" milliseconds") != std::string::npos) CHECK_MESSAGE(sent.size() == 3, client->err.str());
  }
  CHECK(sent.size() == 3);
  CHECK(answered.size() == 3);
}

TEST_CASE("the server's Warning headers are printed as 'Warning: ...'") {
  auto admin = Connect("admin");
  EnsureNamespace(*admin);
  (void)(*admin)->Delete(ConfigMaps("warned"), DeleteOptions{});
  // fieldValidation=Warn: the server accepts an unknown field and says so in a Warning header.
  nlohmann::json object = ConfigMap("warned", {{"k", "v"}});
  object["unknownTopLevelField"] = "x";
  HttpRequest request;
  request.method = "POST";
  request.path = ConfigMaps().Path() + "?fieldValidation=Warn";
  request.body = object.dump();
  auto created = (*admin)->Do(request);
  REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message()));
  CHECK(admin->err.str() == "Warning: unknown field \"unknownTopLevelField\"\n");
}

TEST_CASE("kubectl llm version prints the server version - --client does not contact it") {
  CommandOutput text = TestCluster::Get().Plugin("admin", {"version"});
  CHECK(text.exit_code == 0);
  CommandOutput kubectl = TestCluster::Get().Kubectl("admin", {"version"});
  REQUIRE(kubectl.exit_code == 0);
  // The same "Server Version: v1.35.4" line kubectl prints.
  auto server_line = kubectl.out.substr(kubectl.out.find("Server Version: "));
  CHECK(text.out.find(server_line) != std::string::npos);

  CommandOutput json = TestCluster::Get().Plugin("admin", {"version", "-o", "json"});
  REQUIRE(json.exit_code == 0);
  auto doc = nlohmann::json::parse(json.out);
  auto theirs = nlohmann::json::parse(TestCluster::Get().Kubectl("admin", {"version", "-o", "json"}).out);
  CHECK(doc["serverVersion"] == theirs["serverVersion"]);
  CHECK(doc["serverVersion"]["major"] == "1");

  CommandOutput client = TestCluster::Get().Plugin("admin", {"version", "--client", "--server", "https://127.0.0.1:1"});
  CHECK(client.exit_code == 0);
  CHECK(client.out.find("Server Version") == std::string::npos);
}

TEST_CASE("an unreachable server gives kubectl's connection refused message, exit 1") {
  CommandOutput ours = TestCluster::Get().Plugin("admin", {"version", "--server", "https://127.0.0.1:1"});
  CHECK(ours.exit_code == 1);
  CHECK(ours.err == "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n");
  CommandOutput kubectl = TestCluster::Get().Kubectl("admin", {"get", "pods", "--server", "https://127.0.0.1:1"});
  CHECK(kubectl.err.find(ours.err) != std::string::npos);
}

TEST_CASE("our Forbidden and NotFound messages equal kubectl's") {
  auto dev = Connect("dev");
  auto nodes = (*dev)->List(ResourceRef{"", "v1", "nodes", "", "", ""}, ListOptions{});
  REQUIRE_FALSE(nodes.ok());
  CommandOutput kubectl = TestCluster::Get().Kubectl("dev", {"get", "nodes"});
  CHECK(kubectl.err == nodes.error().message() + "\n");

  auto missing = (*dev)->Get(ResourceRef{"apps", "v1", "deployments", "team-a", "nope", ""});
  REQUIRE_FALSE(missing.ok());
  CommandOutput kubectl_missing = TestCluster::Get().Kubectl("dev", {"get", "deployment", "nope", "-n", "team-a"});
  CHECK(kubectl_missing.err == missing.error().message() + "\n");
}

/// Restores a state file of the exec plugin when a test ends.
struct StateFileGuard {
  std::string path;
  bool existed;
  std::string content;
  explicit StateFileGuard(std::string p) : path(std::move(p)), existed(std::filesystem::exists(path)) {
    if (existed) content = ReadFile(path);
  }
  ~StateFileGuard() {
    if (existed) {
      std::ofstream(path) << content;
    } else {
      std::filesystem::remove(path);
    }
  }
};

TEST_CASE("exec: one plugin run serves many requests - an expiring credential is renewed") {
  StateFileGuard expiry(StateFile("exec-expiry"));
  std::filesystem::remove(StateFile("exec-expiry"));
  int before = ExecCalls();
  auto client = Connect("exec");
  for (int i = 0; i < 3; ++i) REQUIRE((*client)->List(kNamespaces, ListOptions{}).ok());
  CHECK(ExecCalls() - before == 1);

  // Expiring in 10 s: inside the renewal margin, so each request runs the plugin again.
  auto soon = std::chrono::system_clock::now() + std::chrono::seconds(10);
  std::time_t t = std::chrono::system_clock::to_time_t(soon);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  std::ofstream(StateFile("exec-expiry")) << stamp;
  auto renewing = Connect("exec");
  before = ExecCalls();
  for (int i = 0; i < 2; ++i) REQUIRE((*renewing)->List(kNamespaces, ListOptions{}).ok());
  CHECK(ExecCalls() - before == 2);
}

TEST_CASE("exec: a reply with another apiVersion is refused") {
  StateFileGuard api(StateFile("exec-api-version"));
  std::ofstream(StateFile("exec-api-version")) << "client.authentication.k8s.io/v1beta1";
  auto client = Connect("exec");
  auto list = (*client)->List(kNamespaces, ListOptions{});
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().message() ==
        "Unable to connect to the server: getting credentials: exec plugin is configured to use API version "
        "client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1");
}

TEST_CASE("exec: a 401 re-runs the plugin and retries once with the new token") {
  // A plugin that first hands out a revoked token, then the cluster's real one.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("llm-exec-401-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path plugin = dir / "plugin.sh";
  std::ofstream(plugin) << "#!/bin/sh\n"
                           "echo run >> \""
                        << (dir / "runs").string()
                        << "\"\n"
                           "if [ $(wc -l < \""
                        << (dir / "runs").string()
                        << "\") -eq 1 ]; then\n"
                           "  echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                           "\"status\":{\"token\":\"revoked\"}}'\n"
                           "else\n"
                           "  exec \""
                        << LLM_SOURCE_DIR << "/tests/cluster/exec-credential.sh\" \"" << TestCluster::Get().dir()
                        << "\"\n"
                           "fi\n";
  fs::permissions(plugin, fs::perms::owner_all);
  fs::path kubeconfig = dir / "config";
  std::ofstream(kubeconfig) << "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                               "clusters:\n- name: c\n  cluster:\n    server: "
                            << TestCluster::Get().Server()
                            << "\n"
                               "    certificate-authority: "
                            << TestCluster::Get().dir()
                            << "/pki/ca.crt\n"
                               "contexts:\n- name: c\n  context: {cluster: c, user: u}\n"
                               "users:\n- name: u\n  user:\n    exec:\n"
                               "      apiVersion: client.authentication.k8s.io/v1\n"
                               "      command: ./plugin.sh\n      interactiveMode: Never\n";
  auto client = ConnectTo(kubeconfig.string(), 6);
  auto list = (*client)->List(kNamespaces, ListOptions{});
  CHECK_MESSAGE(list.ok(), (list.ok() ? "" : list.error().message()));
  CHECK(ReadFile((dir / "runs").string()) == "run\nrun\n");
  std::string log = client->err.str();
  CHECK(log.find(" 401 Unauthorized in ") != std::string::npos);
  CHECK(log.find(" 200 OK in ") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("tls-server-name: the certificate is checked against that name, not the address") {
  std::string server = TestCluster::Get().Server();  // https://127.0.0.1:PORT
  for (const auto& [name, ok] :
       std::vector<std::pair<std::string, bool>>{{"kubernetes.default.svc", true}, {"wrong.example", false}}) {
    CAPTURE(name);
    auto client = std::make_unique<Client>();
    ConfigFlags flags;
    flags.kubeconfig = Kubeconfig("admin");
    flags.server = server;
    flags.tls_server_name = name;
    auto connection = kube::Connect(flags, IoStreams{client->in, client->out, client->err});
    REQUIRE(connection.ok());
    HttpRequest request;
    request.path = "/version";
    auto r = connection->client->Do(request);
    CHECK(r.ok() == ok);
    if (!ok) CHECK(r.error().message().starts_with("Unable to connect to the server: "));
  }
}

TEST_CASE("--as impersonates: the admin acting as dev gets dev's Forbidden") {
  auto client = std::make_unique<Client>();
  ConfigFlags flags;
  flags.kubeconfig = Kubeconfig("admin");
  flags.impersonate = "system:serviceaccount:team-a:dev";
  auto connection = kube::Connect(flags, IoStreams{client->in, client->out, client->err});
  REQUIRE(connection.ok());
  auto nodes = connection->client->List(ResourceRef{"", "v1", "nodes", "", "", ""}, ListOptions{});
  REQUIRE_FALSE(nodes.ok());
  CHECK(nodes.error().message().starts_with(
      "Error from server (Forbidden): nodes is forbidden: User \"system:serviceaccount:team-a:dev\" cannot list"));
}

TEST_CASE("a kubeconfig user with tokenFile (relative to the kubeconfig) authenticates") {
  namespace fs = std::filesystem;
  auto dev = LoadKubeconfig({Kubeconfig("dev"), "", ""});
  REQUIRE(dev.ok());
  std::string token;
  for (const auto& [name, user] : dev->users) token = user.token;
  REQUIRE_FALSE(token.empty());
  fs::path dir = fs::temp_directory_path() / ("llm-token-file-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "token") << token << "\n";
  std::ofstream(dir / "config") << "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                   "clusters:\n- name: c\n  cluster:\n    server: "
                                << TestCluster::Get().Server()
                                << "\n"
                                   "    certificate-authority: "
                                << TestCluster::Get().dir()
                                << "/pki/ca.crt\n"
                                   "contexts:\n- name: c\n  context: {cluster: c, user: u, namespace: team-a}\n"
                                   "users:\n- name: u\n  user:\n    tokenFile: token\n";
  auto client = ConnectTo((dir / "config").string());
  auto list = (*client)->List(core::Pods("team-a"), ListOptions{});
  CHECK_MESSAGE(list.ok(), (list.ok() ? "" : list.error().message()));
  fs::remove_all(dir);
}

TEST_CASE("dev's kubeconfig namespace is the default one - -n overrides it") {
  ConfigFlags flags;
  flags.kubeconfig = Kubeconfig("dev");
  auto ns = DefaultNamespace(flags);
  REQUIRE(ns.ok());
  CHECK(ns->name == "team-a");
  CHECK_FALSE(ns->explicit_flag);
  flags.ns = "other";
  CHECK(DefaultNamespace(flags)->name == "other");
}

}  // namespace
}  // namespace llm::kube
