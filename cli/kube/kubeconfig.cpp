#include "kube/kubeconfig.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/base64.h"
#include "util/block_yaml.h"
#include "util/yaml_scalar.h"

namespace llm::kube {
namespace {

namespace fs = std::filesystem;

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& kv : node) obj[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return obj;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) arr.push_back(YamlToJson(item));
      return arr;
    }
    case YAML::NodeType::Scalar:
      return node.as<std::string>();
    default:
      return nullptr;
  }
}

/// The block reader's value as the yaml-cpp nodes YAML::Load makes of the same
/// text; nullopt where a key reads as null in yaml-cpp (a plain "~" key), left to YAML::Load.
std::optional<YAML::Node> NodesOf(const Json& value) {
  if (value.is_object()) {
    YAML::Node map(YAML::NodeType::Map);
    for (const auto& [key, item] : value.items()) {
      std::optional<YAML::Node> node = NodesOf(item);
      if (IsNullPlainScalar(key) || !node) return std::nullopt;
      map[key] = *node;
    }
    return map;
  }
  if (value.is_array()) {
    YAML::Node sequence(YAML::NodeType::Sequence);
    for (const Json& item : value) {
      std::optional<YAML::Node> node = NodesOf(item);
      if (!node) return std::nullopt;
      sequence.push_back(*node);
    }
    return sequence;
  }
  if (value.is_string()) return YAML::Node(value.get_ref<const std::string&>());
  return YAML::Node(YAML::NodeType::Null);
}

/// The kubeconfig's YAML as yaml-cpp nodes, for block-style text (as kubectl,
/// kind and the cloud CLIs write it) read by util/block_yaml with each scalar
/// kept as the text it is written as: YAML::Load spends about 1,250
/// instructions a byte, 1.2 ms of every command that talks to a cluster with
/// a 16.7 KB kubeconfig (three clusters' embedded certificates). nullopt for
/// anything else, and for text with a document marker (YAML::Load reads the
/// first document, empty or not): YAML::Load's, as before.
std::optional<YAML::Node> BlockStyleNodes(std::string_view text) {
  if (text.starts_with("---") || text.find("\n---") != std::string_view::npos) return std::nullopt;
  std::optional<std::vector<Json>> documents = ReadSimpleBlockYaml(text, PlainScalars::kText);
  if (!documents) return std::nullopt;
  if (documents->empty()) return YAML::Node();
  return NodesOf(documents->front());
}

/// Reads the fields of one entry; collects the first error with the field's path.
class Reader {
 public:
  Reader(const std::string& file, std::string where) : file_(file), where_(std::move(where)) {}

  std::string String(const YAML::Node& node, const char* key) {
    YAML::Node value = node[key];
    if (!value || value.IsNull()) return "";
    if (!value.IsScalar()) {
      Fail(fmt::format("{}.{} must be a string", where_, key));
      return "";
    }
    return value.as<std::string>();
  }

  bool Bool(const YAML::Node& node, const char* key) {
    std::string text = String(node, key);
    // YAML 1.1 booleans, as the Go YAML decoder kubectl uses accepts them.
    for (const char* no : {"", "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}) {
      if (text == no) return false;
    }
    for (const char* yes : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
      if (text == yes) return true;
    }
    Fail(fmt::format("{}.{} must be true or false, got '{}'", where_, key, text));
    return false;
  }

  /// A *-data field: base64 in the file, bytes in memory.
  std::string Data(const YAML::Node& node, const char* key) {
    std::string text = String(node, key);
    if (text.empty()) return "";
    auto decoded = Base64Decode(text);
    if (!decoded) {
      Fail(fmt::format("{}.{} is not valid base64", where_, key));
      return "";
    }
    return *decoded;
  }

  /// A path field: relative paths are resolved against the kubeconfig's directory.
  std::string Path(const YAML::Node& node, const char* key) {
    std::string path = String(node, key);
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (fs::absolute(fs::path(file_)).parent_path() / path).lexically_normal().string();
  }

  std::vector<std::string> Strings(const YAML::Node& node, const char* key) {
    std::vector<std::string> out;
    YAML::Node value = node[key];
    if (!value || value.IsNull()) return out;
    if (!value.IsSequence()) {
      Fail(fmt::format("{}.{} must be a list of strings", where_, key));
      return out;
    }
    for (const auto& item : value) out.push_back(item.as<std::string>());
    return out;
  }

  void Fail(std::string message) {
    if (!error_) error_ = std::move(message);
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  const std::string& file_;
  std::string where_;
  std::optional<std::string> error_;
};

Error LoadError(const std::string& path, const std::string& why) {
  return Error(ErrorKind::kInvalidInput, fmt::format("error loading config file \"{}\": {}", path, why));
}

ExecConfig ParseExec(const YAML::Node& node, Reader& r, const std::string& file) {
  ExecConfig exec;
  exec.api_version = r.String(node, "apiVersion");
  exec.command = r.String(node, "command");
  // A bare command name is looked up on PATH; only one with a '/' is a path.
  if (exec.command.find('/') != std::string::npos && !fs::path(exec.command).is_absolute()) {
    exec.command = (fs::absolute(fs::path(file)).parent_path() / exec.command).lexically_normal().string();
  }
  exec.args = r.Strings(node, "args");
  if (YAML::Node env = node["env"]; env && env.IsSequence()) {
    for (const auto& item : env) exec.env.emplace_back(r.String(item, "name"), r.String(item, "value"));
  }
  exec.install_hint = r.String(node, "installHint");
  exec.provide_cluster_info = r.Bool(node, "provideClusterInfo");
  exec.interactive_mode = r.String(node, "interactiveMode");
  return exec;
}

/// Named list entries ("- name: x\n  cluster: {...}"); within one file the last one wins, as in client-go.
template <typename Fn>
Status ForEachNamed(const YAML::Node& root, const char* list, const char* field, const std::string& path, Fn&& fn) {
  YAML::Node items = root[list];
  if (!items || items.IsNull()) return Ok();
  if (!items.IsSequence()) return LoadError(path, fmt::format("{} must be a list", list));
  for (const auto& item : items) {
    std::string name = item["name"] ? item["name"].as<std::string>() : "";
    if (name.empty()) return LoadError(path, fmt::format("an entry of {} has no name", list));
    YAML::Node body = item[field];
    if (body && !body.IsNull() && !body.IsMap()) {
      return LoadError(path, fmt::format("{}[{}].{} must be a mapping", list, name, field));
    }
    Reader r(path, fmt::format("{}[{}].{}", list, name, field));
    fn(name, body ? body : YAML::Node(YAML::NodeType::Map), r);
    if (r.error()) return LoadError(path, *r.error());
  }
  return Ok();
}

/// The fields of a loaded kubeconfig.
Result<Kubeconfig> ReadKubeconfig(const YAML::Node& root, const std::string& path) {
  Kubeconfig config;
  config.sources.push_back(path);
  if (!root || root.IsNull()) return config;  // an empty file is an empty config
  if (!root.IsMap()) return LoadError(path, "not a kubeconfig (expected a mapping)");
  try {
    LLM_RETURN_IF_ERROR(
        ForEachNamed(root, "clusters", "cluster", path, [&](const std::string& name, const YAML::Node& n, Reader& r) {
          ClusterEntry c;
          c.server = r.String(n, "server");
          c.tls_server_name = r.String(n, "tls-server-name");
          c.insecure_skip_tls_verify = r.Bool(n, "insecure-skip-tls-verify");
          c.certificate_authority = r.Path(n, "certificate-authority");
          c.certificate_authority_data = r.Data(n, "certificate-authority-data");
          c.proxy_url = r.String(n, "proxy-url");
          c.disable_compression = r.Bool(n, "disable-compression");
          if (YAML::Node ext = n["extensions"]; ext && ext.IsSequence()) {
            for (const auto& e : ext) {
              if (e["name"] && e["name"].as<std::string>() == "client.authentication.k8s.io/exec") {
                c.exec_extension = YamlToJson(e["extension"]);
              }
            }
          }
          config.clusters[name] = std::move(c);
        }));
    LLM_RETURN_IF_ERROR(
        ForEachNamed(root, "users", "user", path, [&](const std::string& name, const YAML::Node& n, Reader& r) {
          AuthInfoEntry u;
          u.client_certificate = r.Path(n, "client-certificate");
          u.client_certificate_data = r.Data(n, "client-certificate-data");
          u.client_key = r.Path(n, "client-key");
          u.client_key_data = r.Data(n, "client-key-data");
          u.token = r.String(n, "token");
          u.token_file = r.Path(n, "tokenFile");
          u.username = r.String(n, "username");
          u.password = r.String(n, "password");
          u.impersonate = r.String(n, "as");
          u.impersonate_groups = r.Strings(n, "as-groups");
          u.impersonate_uid = r.String(n, "as-uid");
          if (YAML::Node exec = n["exec"]; exec && !exec.IsNull()) u.exec = ParseExec(exec, r, path);
          u.has_auth_provider = static_cast<bool>(n["auth-provider"]);
          config.users[name] = std::move(u);
        }));
    LLM_RETURN_IF_ERROR(
        ForEachNamed(root, "contexts", "context", path, [&](const std::string& name, const YAML::Node& n, Reader& r) {
          config.contexts[name] = ContextEntry{r.String(n, "cluster"), r.String(n, "user"), r.String(n, "namespace")};
        }));
    if (root["current-context"] && root["current-context"].IsScalar()) {
      config.current_context = root["current-context"].as<std::string>();
    }
  } catch (const YAML::Exception& e) {
    return LoadError(path, e.what());
  }
  return config;
}

}  // namespace

Result<Kubeconfig> ParseKubeconfig(std::string_view yaml, const std::string& path) {
  if (std::optional<YAML::Node> root = BlockStyleNodes(yaml)) {
    Result<Kubeconfig> config = ReadKubeconfig(*root, path);
    // A file that fails is read again by YAML::Load: the errors yaml-cpp throws
    // as the fields are read give a line and column only on the nodes it made.
    if (config.ok()) return config;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return LoadError(path, e.what());
  }
  return ReadKubeconfig(root, path);
}

void MergeKubeconfig(Kubeconfig& into, const Kubeconfig& lower) {
  // map::insert keeps an existing key: the higher-precedence file wins the whole entry.
  into.clusters.insert(lower.clusters.begin(), lower.clusters.end());
  into.users.insert(lower.users.begin(), lower.users.end());
  into.contexts.insert(lower.contexts.begin(), lower.contexts.end());
  if (into.current_context.empty()) into.current_context = lower.current_context;
  into.sources.insert(into.sources.end(), lower.sources.begin(), lower.sources.end());
}

std::vector<std::string> KubeconfigPaths(const LoadingRules& rules) {
  if (!rules.explicit_path.empty()) return {rules.explicit_path};
  std::vector<std::string> paths;
  if (!rules.kubeconfig_env.empty()) {
    std::set<std::string> seen;
    std::stringstream list(rules.kubeconfig_env);
    std::string item;
    while (std::getline(list, item, ':')) {
      if (!item.empty() && seen.insert(item).second) paths.push_back(item);
    }
    return paths;
  }
  if (!rules.home_dir.empty()) paths.push_back((fs::path(rules.home_dir) / ".kube" / "config").string());
  return paths;
}

Result<Kubeconfig> LoadKubeconfig(const LoadingRules& rules) {
  if (!rules.explicit_path.empty()) {
    std::error_code ec;
    if (!fs::exists(rules.explicit_path, ec)) {
      // kubectl's wording (loader.go returns the os.Stat error).
      return Error(ErrorKind::kInvalidInput, fmt::format("stat {}: no such file or directory", rules.explicit_path));
    }
  }
  Kubeconfig merged;
  for (const std::string& path : KubeconfigPaths(rules)) {
    std::error_code ec;
    if (rules.explicit_path.empty() && !fs::exists(path, ec)) continue;
    // A directory opens and reads as empty: it would silently be no config at
    // all (client-go fails the same way: "read PATH: is a directory").
    if (fs::is_directory(path, ec)) return LoadError(path, "is a directory, not a kubeconfig file");
    std::ifstream file(path, std::ios::binary);
    if (!file) return LoadError(path, "cannot be read");
    std::stringstream content;
    content << file.rdbuf();
    LLM_ASSIGN_OR_RETURN(Kubeconfig one, ParseKubeconfig(content.str(), path));
    MergeKubeconfig(merged, one);
  }
  return merged;
}

}  // namespace llm::kube
