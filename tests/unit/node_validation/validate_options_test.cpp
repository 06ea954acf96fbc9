#include "node_validation/validate_options.h"

#include <doctest/doctest.h>

namespace llm {

TEST_CASE("ValidateNodesFlags: defaults and typed values") {
  ValidateNodesOptions o;
  o.nodes = {"gpu-b", "gpu-a", "gpu-b"};
  auto c = ValidateNodesFlags(o);
  REQUIRE(c.ok());
  CHECK(c->nodes == std::vector<std::string>{"gpu-a", "gpu-b"});
  CHECK(c->profile == "quick");
  CHECK(c->timeout == Seconds(600));
  CHECK(c->max_parallel == 4);
  CHECK(c->dry_run == kube::DryRun::kNone);
  CHECK(c->output.format == OutputFormat::kTable);
  CHECK(c->validity == Seconds(7 * 86400));
  CHECK(c->unschedulable_grace == Seconds(120));

  o = {};
  o.profile = "full";
  o.selector = "pool=gpu";
  o.dry_run = "server";
  o.output = "yaml";
  o.validity = "24h";
  o.max_parallel = 16;
  c = ValidateNodesFlags(o);
  REQUIRE(c.ok());
  CHECK(c->timeout == Seconds(1800));  // by profile
  CHECK(c->selector.String() == "pool=gpu");
  CHECK(c->dry_run == kube::DryRun::kServer);
  CHECK(c->output.format == OutputFormat::kYaml);
  CHECK(c->validity == Seconds(86400));
  CHECK(c->max_parallel == 16);

  o.timeout = "45m";
  CHECK(ValidateNodesFlags(o)->timeout == Seconds(2700));
  o.dry_run = "client";
  o.output = "json";
  CHECK(ValidateNodesFlags(o)->dry_run == kube::DryRun::kClient);
  CHECK(ValidateNodesFlags(o)->output.format == OutputFormat::kJson);
}

TEST_CASE("ValidateNodesFlags: every bad flag is a usage error naming it") {
  struct Case {
    const char* name;
    void (*set)(ValidateNodesOptions&);
    const char* message;
  };
  const Case cases[] = {
      {"profile", [](ValidateNodesOptions& o) { o.profile = "long"; }, "--profile must be quick or full, got \"long\""},
      {"max-parallel", [](ValidateNodesOptions& o) { o.max_parallel = 0; }, "--max-parallel must be at least 1, got 0"},
      {"timeout unit", [](ValidateNodesOptions& o) { o.timeout = "10"; },
       "invalid --timeout \"10\": missing unit; use a number with a unit: s, m, h or d (e.g. 30s, 5m, 1h30m, 7d)"},
      {"timeout short", [](ValidateNodesOptions& o) { o.timeout = "10s"; },
       "--timeout must be at least 30s (the self-test alone needs about a minute), got 10s"},
      {"dry-run", [](ValidateNodesOptions& o) { o.dry_run = "true"; },
       "--dry-run must be one of 'none', 'client' or 'server', got 'true'"},
      {"output", [](ValidateNodesOptions& o) { o.output = "wide"; },
       "--output must be one of 'json', 'yaml', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE', 'custom-columns=SPEC' or "
       "'custom-columns-file=FILE', got 'wide'"},
      {"validity", [](ValidateNodesOptions& o) { o.validity = "0"; }, "--validity must be longer than 0s"},
      {"node name", [](ValidateNodesOptions& o) { o.nodes = {"GPU_1"}; },
       "invalid node name \"GPU_1\": a node name is a DNS subdomain (lowercase letters, digits, '-' and '.', at "
       "most 253 characters)"},
      {"names and selector",
       [](ValidateNodesOptions& o) {
         o.nodes = {"gpu-a"};
         o.selector = "pool=gpu";
       },
       "--selector cannot be combined with node names: give either NODE... or -l SELECTOR"},
      {"image", [](ValidateNodesOptions& o) { o.image = "repo/img:1 --privileged"; },
       "--image \"repo/img:1 --privileged\" is not an image reference: it contains whitespace"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    ValidateNodesOptions o;
    c.set(o);
    auto r = ValidateNodesFlags(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kUsage);
    CHECK(r.error().message() == c.message);
  }
  ValidateNodesOptions o;
  o.selector = "a in b";
  auto r = ValidateNodesFlags(o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().starts_with("invalid --selector \"a in b\": expected '(' after \"in\""));
}

}  // namespace llm

namespace llm {

TEST_CASE("ValidateNodesFlags: --report and --from-json") {
  ValidateNodesOptions o;
  o.report = "fleet.html";
  auto c = ValidateNodesFlags(o);
  REQUIRE(c.ok());
  CHECK(c->report_path == "fleet.html");
  CHECK(c->from_json.empty());
  o.from_json = "run.json";
  c = ValidateNodesFlags(o);
  REQUIRE(c.ok());
  CHECK(c->from_json == "run.json");

  struct Case {
    const char* name;
    void (*set)(ValidateNodesOptions&);
    const char* message;
  };
  const Case cases[] = {
      {"--from-json without --report", [](ValidateNodesOptions& v) { v.report.clear(); },
       "--from-json draws a saved result: give the page to write with --report FILE.html"},
      {"--from-json with nodes", [](ValidateNodesOptions& v) { v.nodes = {"gpu-a"}; },
       "--from-json draws a saved result; node names and --selector choose nodes to test, not to draw"},
      {"--from-json with --record", [](ValidateNodesOptions& v) { v.record = true; },
       "--from-json draws a saved result; --record, --taint-failed, --multi-node and --dry-run need a run"},
      {"--report with --dry-run",
       [](ValidateNodesOptions& v) {
         v.from_json.clear();
         v.dry_run = "client";
       },
       "--report draws a run's results; --dry-run runs nothing"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.name);
    ValidateNodesOptions bad = o;
    k.set(bad);
    auto r = ValidateNodesFlags(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kUsage);
    CHECK(r.error().message() == k.message);
  }
}

}  // namespace llm
