#include "commands/completion_values.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/managed_workloads.h"
#include "kube/client_factory.h"
#include "kube/config_flags.h"
#include "kube/kubeconfig.h"
#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "kube/well_known_names.h"
#include "render/backend.h"
#include "render/serve_engine.h"

namespace llm {
namespace {

/// The commands whose NAME is a workload that exists (not one to create).
constexpr std::string_view kWorkloadNameCommands[] = {"status",   "logs", "scale",   "delete", "history",
                                                      "rollback", "test", "metrics", "diff"};

/// Flags whose value is a file, or a directory.
constexpr std::string_view kFileFlags[] = {
    "values",     "patch",     "kubeconfig", "certificate-authority", "client-certificate",
    "client-key", "from-json", "report"};
constexpr std::string_view kDirectoryFlags[] = {"templates", "cache-dir"};

bool In(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// "a, b or c" (JoinWithOr's form, which AddOutputFlag and AddDryRunFlag
/// write into the help) back into its words, each up to '=' kept with it
/// ("jsonpath=TEMPLATE" -> "jsonpath=") and without " (default)".
std::vector<std::string> SplitOrList(std::string_view text) {
  std::vector<std::string> words;
  std::string list(text);
  for (size_t at = list.find(" or "); at != std::string::npos; at = list.find(" or ")) list.replace(at, 4, ", ");
  std::istringstream parts(list);
  std::string word;
  while (std::getline(parts, word, ',')) {
    word.erase(0, word.find_first_not_of(' '));
    if (size_t paren = word.find(" ("); paren != std::string::npos) word.erase(paren);
    if (size_t equals = word.find('='); equals != std::string::npos) word.erase(equals + 1);
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

/// The words of an AddOutputFlag/AddDryRunFlag description, between `after` and `until`.
std::vector<std::string> ListedIn(const std::string& description, std::string_view after, std::string_view until) {
  const size_t start = description.find(after);
  if (start == std::string::npos) return {};
  const size_t from = start + after.size();
  const size_t end = description.find(until, from);
  return SplitOrList(std::string_view(description).substr(from, end == std::string::npos ? end : end - from));
}

std::string CommandPath(const CLI::App& command) {
  std::string path;
  for (const CLI::App* at = &command; at != nullptr && at->get_parent() != nullptr; at = at->get_parent()) {
    path = at->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

}  // namespace

CompletionValues FlagValues(const CLI::App& command, const CLI::Option& option, const CompletionSources& sources) {
  const std::string flag = option.get_lnames().empty() ? "" : option.get_lnames().front();
  CompletionValues values;
  if (In(kFileFlags, flag)) return {{}, kCompleteFiles};
  if (In(kDirectoryFlags, flag)) return {{}, kCompleteDirsOnly};
  const std::string path = CommandPath(command);
  if (flag == "output") {
    values.candidates = ListedIn(option.get_description(), "Output format: ", " (default");
  } else if (flag == "dry-run") {
    values.candidates = ListedIn(option.get_description(), "", ":");
  } else if (flag == "backend") {
    const bool serve = path == "serve" || path == "diff serve" || path == "render serve";
    for (Backend backend : serve ? std::vector<Backend>{Backend::kDeployment, Backend::kLeaderWorkerSet}
                                 : std::vector<Backend>{Backend::kJobSet, Backend::kIndexedJob}) {
      values.candidates.emplace_back(BackendName(backend));
    }
  } else if (flag == "engine") {
    for (const ServeEngine& engine : ServeEngines()) values.candidates.emplace_back(engine.name);
  } else if (flag == "mode" && path == "sweep") {
    values.candidates = {"min", "max"};
  } else if (flag == "cascade") {
    values.candidates = {"background", "foreground", "orphan"};
  } else if (flag == "namespace" && sources.namespaces) {
    values.candidates = sources.namespaces();
  } else if ((flag == "context" || flag == "cluster" || flag == "user") && sources.kubeconfig_names) {
    values.candidates = sources.kubeconfig_names(flag + "s");
  } else if (flag == "gpu-product" && sources.gpu_products) {
    values.candidates = sources.gpu_products();
  }
  return values;
}

CompletionValues PositionalValues(const CLI::App& command, const std::string& positional, const std::string& ns,
                                  const CompletionSources& sources) {
  CompletionValues values;
  const std::string path = CommandPath(command);
  if (positional == "NAME" && In(kWorkloadNameCommands, path) && sources.workloads) {
    values.candidates = sources.workloads(ns);
  } else if (positional == "NODE" && sources.nodes) {
    values.candidates = sources.nodes();
  }
  return values;
}

CompletionSources ClusterCompletionSources(const std::vector<std::string>& args) {
  // The global flags among the words, read as the root reads them; the rest is ignored.
  auto flags = std::make_shared<kube::ConfigFlags>();
  {
    CLI::App parser;
    flags->AddFlags(parser);
    parser.allow_extras();
    parser.prefix_command(false);
    std::vector<std::string> reversed = kube::NormalizeShortFlagValues(args);
    std::reverse(reversed.begin(), reversed.end());
    try {
      parser.parse(reversed);
    } catch (const CLI::Error&) {
      // A half-typed command line: whatever was read stays.
    }
  }
  flags->request_timeout = "2s";
  // Nothing a lookup says reaches the terminal: completion prints candidates only.
  auto silent = std::make_shared<std::ostringstream>();
  auto in = std::make_shared<std::istringstream>();
  auto session = std::make_shared<std::unique_ptr<ClusterSession>>();
  auto open = [flags, silent, in, session]() -> ClusterSession* {
    if (!*session) {
      auto opened = ClusterSession::Open(*flags, IoStreams{*in, *silent, *silent});
      if (!opened.ok()) return nullptr;
      *session = std::move(*opened);
    }
    return session->get();
  };
  auto list = [open](const kube::ResourceRef& ref) -> nlohmann::json {
    ClusterSession* cluster = open();
    if (cluster == nullptr) return nlohmann::json::array();
    auto listed = cluster->client().List(ref, kube::ListOptions{});
    return listed.ok() ? ItemsOf(*listed) : nlohmann::json::array();
  };

  CompletionSources sources;
  sources.workloads = [open](const std::string& ns) {
    std::vector<std::string> names;
    ClusterSession* cluster = open();
    if (cluster == nullptr) return names;
    auto workloads = ListManagedWorkloads(cluster->client(), cluster->mapper(), ns.empty() ? cluster->ns() : ns, "");
    if (!workloads.ok()) return names;
    for (const ManagedWorkload& workload : *workloads) {
      const std::string instance = LabelOf(workload.object, kInstanceLabel);
      names.push_back(instance.empty() ? NameOf(workload.object) : instance);
    }
    return Sorted(std::move(names));
  };
  sources.namespaces = [list] {
    std::vector<std::string> names;
    for (const nlohmann::json& item : list(kube::core::Namespaces())) names.push_back(NameOf(item));
    return Sorted(std::move(names));
  };
  sources.nodes = [list] {
    std::vector<std::string> names;
    for (const nlohmann::json& item : list(kube::core::Nodes())) names.push_back(NameOf(item));
    return Sorted(std::move(names));
  };
  sources.gpu_products = [list] {
    std::vector<std::string> products;
    for (const nlohmann::json& item : list(kube::core::Nodes())) {
      const std::string product = LabelOf(item, "nvidia.com/gpu.product");
      if (!product.empty()) products.push_back(product);
    }
    return Sorted(std::move(products));
  };
  sources.kubeconfig_names = [flags](std::string_view what) {
    std::vector<std::string> names;
    auto env = [](const char* name) {
      const char* value = std::getenv(name);
      return std::string(value != nullptr ? value : "");
    };
    auto config = kube::LoadKubeconfig({flags->kubeconfig, env("KUBECONFIG"), env("HOME")});
    if (!config.ok()) return names;
    auto add = [&](const auto& entries) {
      for (const auto& [name, entry] : entries) names.push_back(name);
    };
    if (what == "contexts") add(config->contexts);
    if (what == "clusters") add(config->clusters);
    if (what == "users") add(config->users);
    return names;
  };
  return sources;
}

}  // namespace llm
