#include "node_validation/report_reader.h"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

namespace llm {
namespace {

nlohmann::json FleetFixture() {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/node_validation/fleet-report.json");
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

}  // namespace

TEST_CASE("ParseReportJson reads back what ReportJson wrote, field for field") {
  const nlohmann::json saved = FleetFixture();
  auto report = ParseReportJson(saved);
  REQUIRE(report.ok());
  CHECK(report->results.size() == 10);
  CHECK(report->skipped.size() == 2);
  CHECK(report->pairs.size() == 4);
  CHECK(report->multi_node);
  CHECK(report->results[2].health.failed == std::vector<HealthNote>{{5, "ecc_uncorrectable"}, {5, "xid"}});
  CHECK(report->results[2].detail.p2p.size() == 8);
  CHECK(report->results[6].verdict == Verdict::kError);
  CHECK_FALSE(report->results[6].health.checked);
  CHECK(report->multi_node_results.at("h100-c3").conclusion == MultiNodeConclusion::kBad);
  // Written again, the document is the one read (durations are derived from the times).
  CHECK(nlohmann::json::parse(ReportJson(*report).dump()) == saved);
}

TEST_CASE("ParseReportJson: a report from before zone, health and detail existed still reads") {
  nlohmann::json old = FleetFixture();
  for (auto& n : old["status"]["nodes"]) {
    n.erase("zone");
    n.erase("health");
    n.erase("detail");
  }
  auto report = ParseReportJson(old);
  REQUIRE(report.ok());
  CHECK(report->results[0].zone.empty());
  CHECK_FALSE(report->results[0].health.checked);
  CHECK(report->results[0].detail.empty());
}

TEST_CASE("ParseReportJson names the field it cannot read") {
  struct Case {
    const char* name;
    void (*edit)(nlohmann::json&);
    const char* message;
  };
  const Case cases[] = {
      {"another kind", [](nlohmann::json& j) { j["kind"] = "GpuNodeList"; },
       "apiVersion/kind: kubectl-llm.dev/v1alpha1/GpuNodeList is not a kubectl-llm.dev/v1alpha1 NodeValidationReport"},
      {"a verdict", [](nlohmann::json& j) { j["status"]["nodes"][3]["verdict"] = "maybe"; },
       "status.nodes[3].verdict: \"maybe\" is not a verdict (pass, fail, error)"},
      {"a figure", [](nlohmann::json& j) { j["status"]["nodes"][0]["bandwidthGBps"]["hbm"] = "fast"; },
       "status.nodes[0].bandwidthGBps.hbm: must be a number"},
      {"a time", [](nlohmann::json& j) { j["status"]["startedAt"] = "yesterday"; },
       "status.startedAt: \"yesterday\" is not an RFC 3339 time"},
      {"a matrix row", [](nlohmann::json& j) { j["status"]["nodes"][1]["detail"]["p2pGBps"][2] = "x"; },
       "status.nodes[1].detail.p2pGBps[2]: must be a list of numbers or nulls"},
      {"no nodes", [](nlohmann::json& j) { j["status"].erase("nodes"); }, "status.nodes: missing"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    nlohmann::json doc = FleetFixture();
    c.edit(doc);
    auto r = ParseReportJson(doc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kUsage);
    CHECK(r.error().message() == c.message);
  }
}

}  // namespace llm
