#include "render/k8s_names.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("DNS names follow apimachinery's rules") {
  CHECK(IsDns1123Label("a"));
  CHECK(IsDns1123Label("chat-1"));
  CHECK(IsDns1123Label("1chat"));
  CHECK(IsDns1123Label(std::string(63, 'a')));
  CHECK_FALSE(IsDns1123Label(std::string(64, 'a')));
  for (const char* bad : {"", "-a", "a-", "A", "a_b", "a.b", "a b", "\xC3\xA9"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsDns1123Label(bad));
  }
  CHECK(IsDns1123Subdomain("a.b-c.d"));
  CHECK_FALSE(IsDns1123Subdomain("a..b"));
  CHECK_FALSE(IsDns1123Subdomain(".a"));
  CHECK_FALSE(IsDns1123Subdomain(std::string(254, 'a')));
  CHECK(IsDns1035Label("chat"));
  CHECK_FALSE(IsDns1035Label("1chat"));
}

TEST_CASE("Label keys and values") {
  CHECK(CheckLabelKey("app.kubernetes.io/name", "x").ok());
  CHECK(CheckLabelKey("Simple_Key.1", "x").ok());
  for (const char* bad : {"", "/a", "a/", "Example.com/a", "a/b/c", "-a", "a b", "a:b"}) {
    CAPTURE(bad);
    const Status s = CheckLabelKey(bad, "--node-selector");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().starts_with("--node-selector: "));
    CHECK(s.error().kind() == ErrorKind::kUsage);
  }
  CHECK(CheckLabelValue("", "x").ok());
  CHECK(CheckLabelValue("NVIDIA-H100-80GB-HBM3", "x").ok());
  CHECK_FALSE(CheckLabelValue("a/b", "x").ok());
  CHECK_FALSE(CheckLabelValue(std::string(64, 'a'), "x").ok());
  CHECK_FALSE(CheckLabelValue("-a", "x").ok());
}

TEST_CASE("Environment variable names") {
  CHECK(CheckEnvVarName("HF_TOKEN", "--env").ok());
  CHECK(CheckEnvVarName("my.var-1", "--env").ok());
  for (const char* bad : {"", "1A", "A=B", "A B", "A\nB", "\xC3\xA9"}) {
    CAPTURE(bad);
    CHECK_FALSE(CheckEnvVarName(bad, "--env").ok());
  }
}

}  // namespace
}  // namespace llm
