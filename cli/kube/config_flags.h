// ConfigFlags: kubectl's global connection flags (cli-runtime's
// genericclioptions.ConfigFlags). kubectl passes nothing to a plugin, so the
// plugin parses them itself, before or after the subcommand.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/cli11_forward.h"

namespace llm::kube {

struct ConfigFlags {
  std::string kubeconfig;
  std::string context;
  std::string cluster;
  std::string user;
  std::string ns;
  std::string server;
  std::string token;
  std::string certificate_authority;
  std::string client_certificate;
  std::string client_key;
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string request_timeout = "0";
  std::string impersonate;
  std::vector<std::string> impersonate_groups;
  std::string impersonate_uid;
  /// Ask for uncompressed responses (no Accept-Encoding: gzip), as the
  /// kubeconfig cluster's disable-compression does.
  bool disable_compression = false;
  /// The command fails (exit 1, "N warnings received") when the server sent
  /// any Warning header, after the command itself finished (kubectl's rule).
  bool warnings_as_errors = false;
  std::string cache_dir;
  /// kubectl's -v: 6 logs each request, 7 adds headers, 8 adds bodies (secrets redacted).
  int verbosity = 0;

  /// Registers the flags on `app` (the root command; subcommands fall through
  /// to it): every one, or with `registers` only those it says yes to, given
  /// the flag's CLI11 names ("-n,--namespace"; a run's own rule:
  /// GlobalOptions::MayParse). CLI11 checks each new flag against the
  /// command's others, so the twenty that `version --client` never parses
  /// were a third of its run.
  void AddFlags(CLI::App& app, const std::function<bool(std::string_view names)>& registers = {});
};

/// Whether the command line `words` (up to "--") may name the flag `names`,
/// written as CLI11 takes it ("-n,--namespace"): a word "--namespace" or
/// "--namespace=VALUE", or a single-dash word holding the letter n ("-n",
/// "-nteam-a", "-An"). A yes for a word that is a value, or another short
/// flag, only registers one flag more than needed.
bool MayNameFlag(const std::vector<std::string>& words, std::string_view names);

/// Where discovery and HTTP caches live: --cache-dir, else $KUBECACHEDIR, else
/// ~/.kube/cache (cli-runtime's default).
std::string ResolveCacheDir(const ConfigFlags& flags,
                            const std::function<std::optional<std::string>(const std::string&)>& getenv);

/// kubectl (pflag) accepts "-v=6" and "-n=ns"; CLI11 would read "=6" as the
/// value. Splits a single-letter flag's "=value" into its own argument, up to "--".
std::vector<std::string> NormalizeShortFlagValues(const std::vector<std::string>& args);

}  // namespace llm::kube
