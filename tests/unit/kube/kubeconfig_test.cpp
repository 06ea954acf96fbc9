#include "kube/kubeconfig.h"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "unit/kube/kubeconfig_text.h"
#include "util/block_yaml.h"

namespace llm::kube {
namespace {

const std::string kDir = LLM_TESTDATA_DIR "/kubeconfig";

TEST_CASE("KUBECONFIG=a:b: the first file wins current-context and whole entries") {
  auto config = LoadKubeconfig({"", kDir + "/a.yaml:" + kDir + "/b.yaml", ""});
  REQUIRE(config.ok());
  CHECK(config->current_context == "ctx-a");
  // a's "shared" cluster whole: its server and tls-server-name, none of b's insecure flag.
  CHECK(config->clusters.at("shared").server == "https://a.example:6443");
  CHECK(config->clusters.at("shared").tls_server_name == "api.a.example");
  CHECK_FALSE(config->clusters.at("shared").insecure_skip_tls_verify);
  // a's "shared" user whole: the token, none of b's basic auth.
  CHECK(config->users.at("shared").token == "token-from-a");
  CHECK(config->users.at("shared").username.empty());
  CHECK(config->users.at("shared").password.empty());
  // Names only b has are added.
  CHECK(config->clusters.count("only-b") == 1);
  CHECK(config->contexts.count("ctx-b") == 1);
  CHECK(config->sources.size() == 2);
}

TEST_CASE("KUBECONFIG=b:a: the order decides") {
  auto config = LoadKubeconfig({"", kDir + "/b.yaml:" + kDir + "/a.yaml", ""});
  REQUIRE(config.ok());
  CHECK(config->current_context == "ctx-b");
  CHECK(config->clusters.at("shared").server == "https://b.example:6443");
  CHECK(config->users.at("shared").username == "admin");
}

TEST_CASE("missing files in KUBECONFIG are skipped, duplicates and empty entries ignored") {
  auto config = LoadKubeconfig({"", "/nonexistent/x.yaml::" + kDir + "/a.yaml:" + kDir + "/a.yaml", ""});
  REQUIRE(config.ok());
  CHECK(config->current_context == "ctx-a");
  CHECK(config->sources.size() == 1);
  CHECK(KubeconfigPaths({"", "x:y::x", "/home/u"}) == std::vector<std::string>{"x", "y"});
}

TEST_CASE("only missing files give an empty config") {
  auto config = LoadKubeconfig({"", "/nonexistent/x.yaml", ""});
  REQUIRE(config.ok());
  CHECK(config->Empty());
}

TEST_CASE("a directory in KUBECONFIG or --kubeconfig is an error, not an empty config") {
  for (LoadingRules rules : {LoadingRules{"", kDir + "/a.yaml:" + kDir, ""}, LoadingRules{kDir, "", ""}}) {
    auto config = LoadKubeconfig(rules);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().kind() == ErrorKind::kInvalidInput);
    CHECK(config.error().message() ==
          "error loading config file \"" + kDir + "\": is a directory, not a kubeconfig file");
  }
}

TEST_CASE("--kubeconfig must exist, and replaces KUBECONFIG and ~/.kube/config") {
  auto missing = LoadKubeconfig({"/nonexistent/kubeconfig", kDir + "/a.yaml", "/home/u"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() == "stat /nonexistent/kubeconfig: no such file or directory");
  CHECK(missing.error().kind() == ErrorKind::kInvalidInput);

  auto explicit_file = LoadKubeconfig({kDir + "/b.yaml", kDir + "/a.yaml", ""});
  REQUIRE(explicit_file.ok());
  CHECK(explicit_file->current_context == "ctx-b");
  CHECK(explicit_file->clusters.at("shared").server == "https://b.example:6443");
}

TEST_CASE("without KUBECONFIG, ~/.kube/config is used") {
  CHECK(KubeconfigPaths({"", "", "/home/u"}) == std::vector<std::string>{"/home/u/.kube/config"});
  CHECK(KubeconfigPaths({"/x", "a:b", "/home/u"}) == std::vector<std::string>{"/x"});
}

TEST_CASE("relative paths resolve against the directory of the file that names them") {
  auto config = LoadKubeconfig({"", kDir + "/sub/relative.yaml", ""});
  REQUIRE(config.ok());
  CHECK(config->clusters.at("rel").certificate_authority == kDir + "/sub/ca.pem");
  CHECK(config->users.at("rel").client_certificate == kDir + "/sub/certs/client.pem");
  CHECK(config->users.at("rel").client_key == kDir + "/sub/certs/client-key.pem");
  REQUIRE(config->users.at("rel").exec.has_value());
  CHECK(config->users.at("rel").exec->command == kDir + "/sub/bin/plugin");
  // From b.yaml, one directory up.
  auto b = LoadKubeconfig({kDir + "/b.yaml", "", ""});
  REQUIRE(b.ok());
  CHECK(b->users.at("user-b").token_file == kDir + "/token.txt");
}

TEST_CASE("exec config fields are read - a bare command name stays for PATH lookup") {
  auto config = LoadKubeconfig({kDir + "/exec.yaml", "", ""});
  REQUIRE(config.ok());
  const ExecConfig& exec = *config->users.at("exec").exec;
  CHECK(exec.api_version == "client.authentication.k8s.io/v1");
  CHECK(exec.command == "my-plugin");
  CHECK(exec.args == std::vector<std::string>{"get-token", "--audience=llm"});
  REQUIRE(exec.env.size() == 1);
  CHECK(exec.env[0] == std::pair<std::string, std::string>{"PLUGIN_MODE", "test"});
  CHECK(exec.install_hint == "install my-plugin with: brew install my-plugin");
  CHECK(exec.provide_cluster_info);
  CHECK(exec.interactive_mode == "IfAvailable");
  CHECK(config->clusters.at("exec").exec_extension == nlohmann::json{{"audience", "llm"}});
  CHECK(config->clusters.at("exec").proxy_url == "http://proxy.example:3128");
}

TEST_CASE("*-data fields are base64-decoded - bad base64 names the field and the file") {
  auto b = LoadKubeconfig({kDir + "/b.yaml", "", ""});
  REQUIRE(b.ok());
  CHECK(b->clusters.at("only-b").certificate_authority_data ==
        "-----BEGIN CERTIFICATE-----\nca-data\n-----END CERTIFICATE-----\n");

  auto bad = LoadKubeconfig({kDir + "/invalid.yaml", "", ""});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "error loading config file \"" + kDir +
                                     "/invalid.yaml\": clusters[bad].cluster.certificate-authority-data is not valid "
                                     "base64");
}

TEST_CASE("booleans accept YAML 1.1 spellings - anything else names the field") {
  auto yes = ParseKubeconfig("clusters:\n- name: c\n  cluster: {server: s, insecure-skip-tls-verify: True}\n", "/k");
  REQUIRE(yes.ok());
  CHECK(yes->clusters.at("c").insecure_skip_tls_verify);
  auto bad = ParseKubeconfig("clusters:\n- name: c\n  cluster: {server: s, disable-compression: maybe}\n", "/k");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() ==
        "error loading config file \"/k\": clusters[c].cluster.disable-compression must be true or false, got "
        "'maybe'");
}

TEST_CASE("malformed YAML is an error naming the file") {
  auto parsed = ParseKubeconfig("clusters: [\n", "/x/config");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message().starts_with("error loading config file \"/x/config\": "));
  auto not_map = ParseKubeconfig("- a\n- b\n", "/x/config");
  REQUIRE_FALSE(not_map.ok());
  CHECK(not_map.error().message() == "error loading config file \"/x/config\": not a kubeconfig (expected a mapping)");
}

/// `text` with a comment line YAML gives no meaning but the block reader
/// declines (it is not ASCII): read that way, the file goes to yaml-cpp.
std::string ForYamlCpp(const std::string& text) { return text + "\n# \xC3\xA9\n"; }

TEST_CASE("a block-style kubeconfig reads the same through the block reader as through yaml-cpp") {
  std::vector<std::string> texts;
  for (const char* name : {"a.yaml", "b.yaml", "cert-no-key.yaml", "empty.yaml", "exec.yaml", "invalid.yaml"}) {
    std::ifstream file(kDir + "/" + name);
    std::stringstream content;
    content << file.rdbuf();
    texts.push_back(content.str());
  }
  // What kind, EKS or GKE write: embedded data, several entries; and scalars
  // whose text matters (a leading zero, quoted null, YAML 1.1 booleans, ~).
  const std::string data = "TUlJQkNnS0NBUUVBdGVzdA==";
  texts.push_back("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: " + data +
                  "\n    server: https://127.0.0.1:6443\n  name: kind-a\ncontexts:\n- context:\n    cluster: kind-a\n"
                  "    user: kind-a\n    namespace: \"0123\"\n  name: kind-a\ncurrent-context: kind-a\n"
                  "preferences: {}\nusers:\n- name: kind-a\n  user:\n    client-certificate-data: " +
                  data + "\n    client-key-data: " + data + "\n");
  texts.push_back(
      "users:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
      "      command: aws\n      args:\n      - --region\n      - eu-west-1\n      - eks\n      - get-token\n"
      "      - --cluster-name\n      - 0123\n      env:\n      - name: AWS_PROFILE\n        value: ~\n"
      "      - name: EMPTY\n        value: \"null\"\n      provideClusterInfo: yes\n    as-groups:\n    - a\n"
      "    - 'b c'\n    token: 'it''s'\n    auth-provider:\nclusters:\n- name: c\n  cluster:\n"
      "    insecure-skip-tls-verify: On\n    server: https://x   # comment\n    extensions:\n"
      "    - name: client.authentication.k8s.io/exec\n      extension:\n        audience: llm\n        n: 1\n");
  // Not a kubeconfig, and errors the fields report: the same either way.
  texts.push_back("- a\n- b\n");
  texts.push_back("clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: maybe\n");
  texts.push_back("users:\n- name: u\n  user:\n    client-key-data: '%%%'\n");
  texts.push_back("clusters: x\n");
  texts.push_back("");
  size_t read_by_block_reader = 0;
  for (const std::string& text : texts) {
    CAPTURE(text);
    if (ReadSimpleBlockYaml(text, PlainScalars::kText)) ++read_by_block_reader;
    REQUIRE_FALSE(ReadSimpleBlockYaml(ForYamlCpp(text), PlainScalars::kText).has_value());
    Result<Kubeconfig> fast = ParseKubeconfig(text, "/k/config");
    Result<Kubeconfig> full = ParseKubeconfig(ForYamlCpp(text), "/k/config");
    REQUIRE(fast.ok() == full.ok());
    if (fast.ok()) {
      CHECK(testing::KubeconfigText(*fast) == testing::KubeconfigText(*full));
    } else {
      CHECK(fast.error().message() == full.error().message());
    }
  }
  // The block reader read most of them (exec.yaml's flow mapping and list, and
  // invalid.yaml, went to yaml-cpp both times).
  CHECK(read_by_block_reader >= texts.size() - 3);
  // The leading zero and the quoted null kept as written.
  Result<Kubeconfig> eks = ParseKubeconfig(texts[7], "/k/config");
  REQUIRE(eks.ok());
  CHECK(eks->users.at("eks").exec->args.back() == "0123");
  CHECK(eks->users.at("eks").exec->env[1].second == "null");
  CHECK(eks->users.at("eks").exec->env[0].second.empty());
}

}  // namespace
}  // namespace llm::kube
