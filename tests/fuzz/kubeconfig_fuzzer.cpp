// The kubeconfig loader: any file a user may point KUBECONFIG at. Parsing
// either succeeds or returns an error; merging a config into itself changes
// nothing (the first file wins every entry); and resolving the context never
// crashes (file references are dropped first, so the fuzzer reads no files).
// A file the block reader takes (util/block_yaml.h) reads the same as through
// yaml-cpp, which gets it when a comment line the block reader declines follows.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "kube/client_config.h"
#include "kube/kubeconfig.h"
#include "unit/kube/kubeconfig_text.h"
#include "util/block_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm::kube;
  const std::string_view text = llm::fuzz::Text(data, size);
  auto parsed = ParseKubeconfig(text, "/fuzz/kubeconfig");
  if (llm::ReadSimpleBlockYaml(text, llm::PlainScalars::kText)) {
    auto by_yaml_cpp = ParseKubeconfig(std::string(text) + "\n# \xC3\xA9\n", "/fuzz/kubeconfig");
    FUZZ_CHECK(parsed.ok() == by_yaml_cpp.ok(), "the block reader and yaml-cpp disagree on whether it reads");
    FUZZ_CHECK(parsed.ok() ? llm::testing::KubeconfigText(*parsed) == llm::testing::KubeconfigText(*by_yaml_cpp)
                           : parsed.error().message() == by_yaml_cpp.error().message(),
               "the block reader and yaml-cpp read it differently");
  }
  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.error().message().empty(), "an error without a message");
    return 0;
  }
  Kubeconfig config = *parsed;
  Kubeconfig merged = config;
  MergeKubeconfig(merged, config);
  FUZZ_CHECK(merged.clusters.size() == config.clusters.size() && merged.users.size() == config.users.size() &&
                 merged.contexts.size() == config.contexts.size() && merged.current_context == config.current_context,
             "merging a kubeconfig into itself changed it");
  for (auto& [name, cluster] : config.clusters) cluster.certificate_authority.clear();
  for (auto& [name, user] : config.users) {
    user.client_certificate.clear();
    user.client_key.clear();
    user.token_file.clear();
  }
  ConfigFlags flags;
  auto resolved = ResolveClientConfig(config, flags);
  if (resolved.ok()) FUZZ_CHECK(!resolved->ns.empty(), "a resolved config without a namespace");
  return 0;
}
