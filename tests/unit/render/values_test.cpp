#include "render/values.h"

#include <array>

#include <doctest/doctest.h>

namespace llm {
namespace {

constexpr std::array<ValueSpec, 4> kSpecs = {{
    {"gpus", "--gpus", ValueKind::kScalar, ""},
    {"env", "--env", ValueKind::kMap, ""},
    {"args", "--arg", ValueKind::kList, ""},
    {"model", "--model", ValueKind::kScalar, ""},
}};

TEST_CASE("Values: flags > --set > later files > earlier files") {
  Values v(kSpecs);
  REQUIRE(v.MergeFile("gpus: 1\nmodel: a\nenv: {A: file, B: file}\nargs: [x, y]\n", "one.yaml").ok());
  REQUIRE(v.MergeFile("gpus: 2\n", "two.yaml").ok());
  CHECK(v.String("gpus") == "2");
  CHECK(v.Origin("gpus") == "two.yaml: gpus");
  REQUIRE(v.ApplySet("gpus=3").ok());
  REQUIRE(v.ApplySet("env.B=set").ok());
  REQUIRE(v.ApplySet("args[1]=z").ok());
  REQUIRE(v.ApplySet("args[2]=w").ok());
  CHECK(v.Origin("gpus") == "--set gpus");
  REQUIRE(v.ApplyFlag(kSpecs[0], {"5", "4"}).ok());
  REQUIRE(v.ApplyFlag(kSpecs[1], {"C=flag"}).ok());
  CHECK(v.String("gpus") == "4");
  CHECK(v.Origin("gpus") == "--gpus");
  CHECK(v.String("model") == "a");
  CHECK(v.Map("env") == std::map<std::string, std::string>{{"A", "file"}, {"B", "set"}, {"C", "flag"}});
  CHECK(v.List("args") == std::vector<std::string>{"x", "z", "w"});
  REQUIRE(v.ApplyFlag(kSpecs[2], {"only"}).ok());
  CHECK(v.List("args") == std::vector<std::string>{"only"});
}

TEST_CASE("Values: map keys after the first dot keep their dots") {
  Values v(kSpecs);
  REQUIRE(v.ApplySet("env.a.b/c=d=e").ok());
  CHECK(v.Map("env") == std::map<std::string, std::string>{{"a.b/c", "d=e"}});
}

TEST_CASE("Values: a null entry in a file leaves the lower layer") {
  Values v(kSpecs);
  REQUIRE(v.MergeFile("gpus: 2\n", "a.yaml").ok());
  REQUIRE(v.MergeFile("gpus:\n", "b.yaml").ok());
  CHECK(v.String("gpus") == "2");
}

TEST_CASE("Values: unknown keys are refused with the known ones") {
  Values v(kSpecs);
  Status s = v.MergeFile("gpu: 1\n", "values.yaml");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message() == "values.yaml (line 1): unknown key 'gpu'; known keys: gpus, env, args, model");
  s = v.ApplySet("tensor=1");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message() == "--set: unknown key 'tensor'; known keys: gpus, env, args, model");
  CHECK(s.error().kind() == ErrorKind::kUsage);
}

TEST_CASE("Values: a switch is true from its bare flag, true or false from any layer, false when unset") {
  constexpr std::array<ValueSpec, 1> kSwitchSpecs = {{{"monitor", "--monitor", ValueKind::kSwitch, ""}}};
  Values v(kSwitchSpecs);
  CHECK(*v.Bool("monitor") == false);
  REQUIRE(v.MergeFile("monitor: true\n", "values.yaml").ok());
  CHECK(*v.Bool("monitor") == true);
  REQUIRE(v.ApplySet("monitor=false").ok());
  CHECK(*v.Bool("monitor") == false);
  REQUIRE(v.ApplyFlag(kSwitchSpecs[0], {"true"}).ok());  // CLI11 gives a bare --monitor as "true"
  CHECK(*v.Bool("monitor") == true);
  REQUIRE(v.ApplySet("monitor=yes").ok());
  auto bad = v.Bool("monitor");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "--set monitor: must be true or false, got 'yes'");
  CHECK(bad.error().kind() == ErrorKind::kUsage);
}

TEST_CASE("Values: shape errors name the source") {
  struct Case {
    const char* file;
    const char* want;
  };
  const Case cases[] = {
      {"gpus: [1]\n", "'gpus' must be a single value"},
      {"env: [a]\n", "'env' must be a mapping"},
      {"env: {a: {b: c}}\n", "'env' must map strings to strings"},
      {"args: x\n", "'args' must be a list"},
      {"args: [[x]]\n", "items of 'args' must be single values"},
      {"- a\n", "a values file must be a mapping"},
      {"a: 1\n---\nb: 2\n", "one YAML document"},
      {"gpus: \"\xFF\"\n", "not valid UTF-8"},
      {"gpus: [\n", "v.yaml: line"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    Values v(kSpecs);
    const Status s = v.MergeFile(c.file, "v.yaml");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().find(c.want) != std::string::npos);
  }
}

TEST_CASE("Values: --set syntax errors") {
  for (const char* bad : {"gpus", "=1", "gpus.x=1", "env=1", "args[x]=1", "args[5]=1", "args[1=1", "model[0]=x"}) {
    CAPTURE(bad);
    Values v(kSpecs);
    const Status s = v.ApplySet(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().starts_with("--set"));
  }
}

TEST_CASE("Values: typed integer reads name the origin and the range") {
  Values v(kSpecs);
  REQUIRE(v.ApplyFlag(kSpecs[0], {"0"}).ok());
  auto n = v.Int("gpus", 1, 64);
  REQUIRE_FALSE(n.ok());
  CHECK(n.error().message() == "--gpus: must be an integer from 1 to 64, got '0'");
  for (const char* bad : {"1.5", "x", "", " 1", "1 ", "+1", "99999999999999999999"}) {
    REQUIRE(v.ApplyFlag(kSpecs[0], {bad}).ok());
    CHECK_FALSE(v.Int("gpus", 1, 64).ok());
  }
  REQUIRE(v.ApplyFlag(kSpecs[1], {"novalue"}).ok() == false);
}

TEST_CASE("a values file over 1 MiB is refused before it is parsed") {
  Values v(kSpecs);
  std::string big = "args:\n";
  while (big.size() <= 1024 * 1024) big += "- a-long-argument-repeated-many-times\n";
  Status merged = v.MergeFile(big, "big.yaml");
  REQUIRE_FALSE(merged.ok());
  CHECK(merged.error().kind() == ErrorKind::kUsage);
  CHECK(merged.error().message() ==
        "big.yaml: " + std::to_string(big.size()) + " bytes; a values file may hold at most 1 MiB");
  CHECK(v.MergeFile(big.substr(0, 1024 * 1024 - 100) + "\n", "just-under.yaml").ok());
}

}  // namespace
}  // namespace llm
