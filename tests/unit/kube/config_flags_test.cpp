#include "kube/config_flags.h"

#include <map>

#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

namespace llm::kube {
namespace {

/// Parses like the root command: flags on the root, a subcommand that falls through.
ConfigFlags Parse(const std::vector<std::string>& args, std::string* sub_value = nullptr) {
  ConfigFlags flags;
  CLI::App app;
  app.fallthrough();
  flags.AddFlags(app);
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
