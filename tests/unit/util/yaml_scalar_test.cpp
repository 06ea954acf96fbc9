#include "util/yaml_scalar.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

namespace llm {
namespace {

TEST_CASE("YamlDoubleQuote escapes what would end or break the scalar") {
  struct Case {
    std::string in;
    std::string want;
  };
  const Case cases[] = {
      {"plain", "\"plain\""},
      {"a\"b", "\"a\\\"b\""},
      {"back\\slash", "\"back\\\\slash\""},
      {"two\nlines", "\"two\\nlines\""},
      {"tab\there", "\"tab\\there\""},
      {std::string("nul\0byte", 8), "\"nul\\u0000byte\""},
      {"bell\a", "\"bell\\u0007\""},
      {"del\x7F", "\"del\\u007F\""},
      {" ~ printable ASCII, space to tilde", "\" ~ printable ASCII, space to tilde\""},
      {"line\xE2\x80\xA8sep", "\"line\\u2028sep\""},
      {"\xEF\xBB\xBF"
       "bom",
       "\"\\uFEFFbom\""},
      {"caf\xC3\xA9", "\"caf\xC3\xA9\""},
      {"", "\"\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(YamlDoubleQuote(c.in) == c.want);
  }
}

TEST_CASE("YamlDoubleQuote round-trips through yaml-cpp as the same string") {
  const std::string values[] = {"a: b",
                                "- item",
                                "---",
                                "&anchor x",
                                "*alias",
                                "!!int 3",
                                "# comment",
                                "{a: 1}",
                                "[1, 2]",
                                "'single'",
                                "%YAML 1.2",
                                "@at",
                                "`tick",
                                "null",
                                "true",
                                "0x1F",
                                "1e3",
                                "   spaces   ",
                                "emoji \xF0\x9F\x99\x82",
                                std::string(10240, 'x'),
                                "\r\n",
                                "\x7F"};
  for (const std::string& v : values) {
    CAPTURE(v);
    const YAML::Node node = YAML::Load("key: " + YamlDoubleQuote(v));
    REQUIRE(node.IsMap());
    REQUIRE(node.size() == 1);
    CHECK(node["key"].Scalar() == v);
    CHECK(node["key"].Tag() == "!");
  }
}

TEST_CASE("IsSafePlainScalar refuses anything YAML would read as another type or structure") {
  for (const char* s : {"true",  "False",     "yes",
                        "no",    "on",        "OFF",
                        "y",     "N",         "null",
                        "~",     "8080",      "-1",
                        "1.5",   "1e3",       ".inf",
                        ".NaN",  "0x1f",      "0o17",
                        "012",   "1:30",      "2024-01-01",
                        "",      "a: b",      "a #b",
                        "-x",    "*a",        "&a",
                        "!a",    "{a}",       "[a]",
                        "a,b",   "0.0.0.0",   "2024-01-01T10:00:00Z",
                        "1_000", "'a'",       "\"a\"",
                        "a:",    "trailing ", "%a",
                        "@a",    "|",         ">"}) {
    CAPTURE(s);
    CHECK_FALSE(IsSafePlainScalar(s));
  }
  for (const char* s : {"nginx", "vllm/vllm-openai:v0.10.2", "Qwen/Qwen2.5-7B", "16Gi", "apps/v1", "/dev/shm", "16Gi.5",
                        "500m", "http://x.svc:9090", "nvidia.com/gpu", "a=b"}) {
    CAPTURE(s);
    CHECK(IsSafePlainScalar(s));
    CHECK(YAML::Load(s).Scalar() == s);
  }
}

TEST_CASE("CheckUtf8 refuses invalid sequences and names the source") {
  CHECK(CheckUtf8("caf\xC3\xA9 \xF0\x9F\x99\x82", "--model").ok());
  for (const std::string& bad : {std::string("\xC3"), std::string("\xFF"), std::string("\xC0\xAF"),
                                 std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    const Status s = CheckUtf8("x" + bad, "--model");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().find("--model: not valid UTF-8 at byte 1") == 0);
    CHECK(s.error().kind() == ErrorKind::kUsage);
  }
}

}  // namespace
}  // namespace llm
