#include "commands/version_command.h"

#include <memory>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "kube/client_factory.h"
#include "kube/user_agent.h"
#include "output/object_printer.h"
#include "util/build_info.h"

namespace llm {
namespace {

constexpr OutputFormat kVersionOutputs[] = {OutputFormat::kTable, OutputFormat::kYaml, OutputFormat::kJson};

/// Field names follow `kubectl version -o json` so scripts can read both alike.
nlohmann::ordered_json ClientVersionJson() {
  const BuildInfo& info = GetBuildInfo();
  return {{"gitVersion", info.version},
          {"gitCommit", info.git_commit},
          {"gitTreeState", info.tree_state},
          {"compiler", fmt::format("gcc {}.{}", __GNUC__, __GNUC_MINOR__)},
          {"platform", kube::Platform()}};
}

/// Strings that YAML would read as another type ("1", "true") are quoted, as kubectl prints them.
bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  try {
    YAML::Node node = YAML::Load(s);
    if (!node.IsScalar() || node.as<std::string>() != s) return true;
    int i = 0;
    double d = 0;
    bool b = false;
    return YAML::convert<int>::decode(node, i) || YAML::convert<double>::decode(node, d) ||
           YAML::convert<bool>::decode(node, b) || s == "null" || s == "~";
  } catch (const YAML::Exception&) {
    return true;  // not valid as a plain scalar
  }
}

void EmitYaml(YAML::Emitter& out, const nlohmann::ordered_json& value) {
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      out << YAML::Key << key << YAML::Value;
      EmitYaml(out, item);
    }
    out << YAML::EndMap;
  } else if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (NeedsQuotes(s)) out << YAML::DoubleQuoted;
    out << s;
  } else if (value.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& item : value) EmitYaml(out, item);
    out << YAML::EndSeq;
  } else if (value.is_boolean()) {
    out << value.get<bool>();
  } else if (value.is_number_integer()) {
    out << value.get<int64_t>();
  } else if (value.is_number()) {
    out << value.get<double>();
  } else {
    out << YAML::Null;
  }
}

Result<nlohmann::ordered_json> ServerVersion(const RestClientFactory& connect) {
  LLM_ASSIGN_OR_RETURN(std::shared_ptr<kube::RestClient> client, connect());
  kube::HttpRequest request;
  request.path = "/version";
  LLM_ASSIGN_OR_RETURN(kube::HttpResponse response, client->Do(std::move(request)));
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("gitVersion")) {
    return Error(ErrorKind::kServer, "Server returned an unexpected response: /version has no gitVersion");
  }
  return doc;
}

}  // namespace

Result<OutputSpec> ValidateVersionOptions(const VersionOptions& options) {
  return ParseOutputFormat(options.output, kVersionOutputs);
}

Status RunVersion(const VersionOptions& options, const RestClientFactory& connect, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ValidateVersionOptions(options));
  nlohmann::ordered_json doc = {{"clientVersion", ClientVersionJson()}};
  Status server_status = Ok();
  if (!options.client_only) {
    auto server = ServerVersion(connect);
    if (server.ok()) {
      doc["serverVersion"] = *server;
    } else {
      server_status = server.error();
    }
  }
  if (output.format == OutputFormat::kJson) {
    streams.out << doc.dump(2) << "\n";
  } else if (output.format == OutputFormat::kYaml) {
    YAML::Emitter out;
    EmitYaml(out, doc);
    streams.out << out.c_str() << "\n";
  } else if (!output.is_table()) {
    LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(doc, output));
    streams.out << text;
  } else {
    const BuildInfo& info = GetBuildInfo();
    streams.out << fmt::format("Client Version: {} (commit {}, {})\n", info.version, info.git_commit, kube::Platform());
    if (doc.contains("serverVersion")) {
      streams.out << "Server Version: " << doc["serverVersion"]["gitVersion"].get<std::string>() << "\n";
    }
  }
  return server_status;
}

void SetupVersionCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<VersionOptions>();
  AddOutputFlag(cmd, options->output, kVersionOutputs, "two lines of text");
  cmd->add_flag("--client", options->client_only, "Print the client version only, without contacting a server");
  cmd->callback([options, &ctx] {
    RestClientFactory connect = [&ctx]() -> Result<std::shared_ptr<kube::RestClient>> {
      LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session, ClusterSession::Open(ctx.global.kube, ctx.streams));
      return session->shared_client();
    };
    ctx.Finish(RunVersion(*options, connect, ctx.streams));
  });
}

}  // namespace llm
