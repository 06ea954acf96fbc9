#include "faults/fault_proxy.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "integration/run_command.h"
#include "integration/test_cluster.h"
#include "kube/curl_transport.h"
#include "util/environment.h"
#include "util/yaml_document.h"

namespace llm::testing {
namespace {

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

FaultProxy::FaultProxy(std::string name) : name_(std::move(name)) {
  // toxiproxy runs once per cluster, started by the first proxy (toxiproxy.sh
  // returns at once when it runs already), as tenant tests start Kueue.
  CommandOutput started = RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/toxiproxy.sh"},
                                     {"LLM_CLUSTER_DIR=" + TestCluster::Get().dir()});
  REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  api_ = ReadLine(TestCluster::Get().dir() + "/toxiproxy-api");
  REQUIRE_MESSAGE(!api_.empty(), "tests/cluster/toxiproxy.sh wrote no toxiproxy-api");
  const std::string upstream = TestCluster::Get().Server().substr(std::string("https://").size());
  Call("DELETE", "/proxies/" + name_, nullptr);  // a leftover of an interrupted run
  nlohmann::json created =
      Call("POST", "/proxies", {{"name", name_}, {"listen", "127.0.0.1:0"}, {"upstream", upstream}, {"enabled", true}});
  REQUIRE_MESSAGE(created.contains("listen"), created.dump());
  server_ = "https://" + created["listen"].get<std::string>();
}

FaultProxy::~FaultProxy() { Call("DELETE", "/proxies/" + name_, nullptr); }

nlohmann::json FaultProxy::Call(const std::string& method, const std::string& path, const nlohmann::json& body) const {
  kube::CurlTransportConfig config;
  config.server = api_;
  auto transport = kube::CurlTransport::Create(config, ProcessGetenv());
  REQUIRE(transport.ok());
  kube::HttpRequest request;
  request.method = method;
  request.path = path;
  request.timeout = std::chrono::seconds(10);
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers.emplace_back("Content-Type", "application/json");
  }
  auto response = (*transport)->Do(request);
  REQUIRE_MESSAGE(response.ok(), (response.ok() ? "" : response.error().message()));
  if (method != "DELETE") REQUIRE_MESSAGE(response->status < 300, method, " ", path, ": ", response->body);
  return nlohmann::json::parse(response->body, nullptr, false);
}

void FaultProxy::AddToxic(const std::string& name, const std::string& type, const std::string& stream,
                          const nlohmann::json& attributes, double toxicity) {
  Call("POST", "/proxies/" + name_ + "/toxics",
       {{"name", name}, {"type", type}, {"stream", stream}, {"toxicity", toxicity}, {"attributes", attributes}});
  toxics_.push_back(name);
}

void FaultProxy::RemoveToxic(const std::string& name) {
  Call("DELETE", "/proxies/" + name_ + "/toxics/" + name, nullptr);
}

void FaultProxy::SetEnabled(bool enabled) { Call("POST", "/proxies/" + name_, {{"enabled", enabled}}); }

void FaultProxy::Heal() {
  for (const auto& toxic : toxics_) RemoveToxic(toxic.get<std::string>());
  toxics_ = nlohmann::json::array();
  SetEnabled(true);
}

std::string FaultProxy::WriteKubeconfig(const std::string& user, const std::string& from) const {
  const TestCluster& cluster = TestCluster::Get();
  std::ifstream in(cluster.Kubeconfig(from));
  std::stringstream text;
  text << in.rdbuf();
  auto docs = ParseYamlDocuments(text.str(), cluster.Kubeconfig(from));
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  Json config = (*docs)[0];
  for (Json& entry : config["clusters"]) entry["cluster"]["server"] = server_;
  const std::string path = cluster.Kubeconfig(user);
  { std::ofstream create(path); }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream out(path);
  out << config.dump(2) << "\n";  // JSON is YAML; relative paths stay relative to the same directory
  return user;
}

}  // namespace llm::testing
