#include "kube/config_flags.h"

#include <map>

#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

namespace llm::kube {
namespace {

/// Parses like the root command: flags on the root, a subcommand that falls
/// through. Twice, as the root registers them: every one (help, completion),
/// and those the words may name (a command's run); both must agree.
ConfigFlags ParseRegistering(const std::vector<std::string>& args, bool only_named, std::string* sub_value) {
  ConfigFlags flags;
  CLI::App app;
  app.fallthrough();
  flags.AddFlags(app, [&](std::string_view names) { return !only_named || MayNameFlag(args, names); });
  std::string output;
  CLI::App* sub = app.add_subcommand("version");
  sub->add_option("-o,--output", output);
  sub->fallthrough();
  std::vector<std::string> normalized = NormalizeShortFlagValues(args);
  std::vector<std::string> reversed(normalized.rbegin(), normalized.rend());
  app.parse(reversed);
  if (sub_value != nullptr) *sub_value = output;
  return flags;
}

ConfigFlags Parse(const std::vector<std::string>& args, std::string* sub_value = nullptr) {
  ConfigFlags named = ParseRegistering(args, /*only_named=*/true, sub_value);
  ConfigFlags all = ParseRegistering(args, /*only_named=*/false, sub_value);
  CHECK(named.kubeconfig == all.kubeconfig);
  CHECK(named.context == all.context);
  CHECK(named.ns == all.ns);
  CHECK(named.server == all.server);
  CHECK(named.token == all.token);
  CHECK(named.impersonate_groups == all.impersonate_groups);
  CHECK(named.insecure_skip_tls_verify == all.insecure_skip_tls_verify);
  CHECK(named.verbosity == all.verbosity);
  return all;
}

/// The flags AddFlags registers for `words`, by their long names.
std::vector<std::string> Registered(const std::vector<std::string>& words) {
  ConfigFlags flags;
  CLI::App app;
  flags.AddFlags(app, [&](std::string_view names) { return MayNameFlag(words, names); });
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group() == "Kubernetes connection (as kubectl)") names.push_back(option->get_lnames().front());
  }
  return names;
}

TEST_CASE("with a command line, only the connection flags its words may name are registered") {
  using Names = std::vector<std::string>;
  CHECK(Registered({"version", "--client"}).empty());
  CHECK(Registered({"version", "--context=c", "--v", "6", "--as-group", "g"}) == Names{"context", "as-group", "v"});
  CHECK(Registered({"version", "-n", "a", "-s=h:1", "-v9"}) == Names{"namespace", "server", "v"});
  // A cluster of short flags may hold -n; a word after "--" is a command's own.
  CHECK(Registered({"status", "-An"}) == Names{"namespace"});
  CHECK(Registered({"train", "t", "--", "python", "--kubeconfig", "-n"}).empty());
  // Names a flag is a prefix of do not register it.
  CHECK(Registered({"version", "--values", "--contexts", "--v8"}).empty());
  ConfigFlags all;
  CLI::App app;
  all.AddFlags(app);
  CHECK(app.get_options().size() == 1 + 20);  // --help and every connection flag
}

TEST_CASE("connection flags are accepted before and after the subcommand") {
  std::string output;
  ConfigFlags before = Parse({"--context", "c1", "-n", "ns1", "version", "-o", "json"}, &output);
  CHECK(before.context == "c1");
  CHECK(before.ns == "ns1");
  CHECK(output == "json");
  ConfigFlags after =
      Parse({"version", "--context=c2", "--namespace", "ns2", "-o", "yaml", "--kubeconfig", "/k"}, &output);
  CHECK(after.context == "c2");
  CHECK(after.ns == "ns2");
  CHECK(after.kubeconfig == "/k");
  CHECK(output == "yaml");
}

TEST_CASE("kubectl's -v=6, --v=8, -n=ns and -s=URL forms work") {
  CHECK(Parse({"version", "-v=6"}).verbosity == 6);
  CHECK(Parse({"-v", "7", "version"}).verbosity == 7);
  CHECK(Parse({"version", "--v=8"}).verbosity == 8);
  CHECK(Parse({"version", "-v9"}).verbosity == 9);
  CHECK(Parse({"version", "-n=team-a"}).ns == "team-a");
  CHECK(Parse({"-s=https://h:6443", "version"}).server == "https://h:6443");
}

TEST_CASE("every kubectl connection flag is parsed") {
  ConfigFlags f = Parse({"version",
                         "--cluster",
                         "cl",
                         "--user",
                         "u",
                         "--token",
                         "t",
                         "--certificate-authority",
                         "/ca",
                         "--client-certificate",
                         "/c",
                         "--client-key",
                         "/k",
                         "--insecure-skip-tls-verify",
                         "--tls-server-name",
                         "name",
                         "--request-timeout",
                         "5s",
                         "--as",
                         "alice",
                         "--as-group",
                         "g1",
                         "--as-group",
                         "g2",
                         "--cache-dir",
                         "/cache"});
  CHECK(f.cluster == "cl");
  CHECK(f.user == "u");
  CHECK(f.token == "t");
  CHECK(f.certificate_authority == "/ca");
  CHECK(f.client_certificate == "/c");
  CHECK(f.client_key == "/k");
  CHECK(f.insecure_skip_tls_verify);
  CHECK(f.tls_server_name == "name");
  CHECK(f.request_timeout == "5s");
  CHECK(f.impersonate == "alice");
  CHECK(f.impersonate_groups == std::vector<std::string>{"g1", "g2"});
  CHECK(f.cache_dir == "/cache");
}

TEST_CASE("--insecure-skip-tls-verify=false and =true are accepted") {
  CHECK_FALSE(Parse({"version", "--insecure-skip-tls-verify=false"}).insecure_skip_tls_verify);
  CHECK(Parse({"version", "--insecure-skip-tls-verify=true"}).insecure_skip_tls_verify);
}

TEST_CASE("-v outside 0..10 is rejected") { CHECK_THROWS_AS(Parse({"version", "-v=11"}), CLI::ValidationError); }

TEST_CASE("NormalizeShortFlagValues splits only single-letter flags, and nothing after --") {
  CHECK(NormalizeShortFlagValues({"-v=6", "--v=6", "-n=a=b", "--", "-v=7"}) ==
        std::vector<std::string>{"-v", "6", "--v=6", "-n", "a=b", "--", "-v=7"});
  CHECK(NormalizeShortFlagValues({"-v", "x=y", "-="}) == std::vector<std::string>{"-v", "x=y", "-="});
}

TEST_CASE("the cache directory: --cache-dir, else $KUBECACHEDIR, else ~/.kube/cache") {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  ConfigFlags flags;
  CHECK(ResolveCacheDir(flags, env({{"HOME", "/home/u"}})) == "/home/u/.kube/cache");
  CHECK(ResolveCacheDir(flags, env({{"HOME", "/home/u"}, {"KUBECACHEDIR", "/c"}})) == "/c");
  flags.cache_dir = "/flag";
  CHECK(ResolveCacheDir(flags, env({{"KUBECACHEDIR", "/c"}})) == "/flag");
}

}  // namespace
}  // namespace llm::kube
