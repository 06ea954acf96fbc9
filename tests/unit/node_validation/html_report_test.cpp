#include "node_validation/html_report.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <doctest/doctest.h>

#include "node_validation/report_reader.h"

namespace llm {
namespace {

NodeValidationReport Fleet() {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/node_validation/fleet-report.json");
  std::stringstream s;
  s << in.rdbuf();
  auto report = ParseReportJson(nlohmann::json::parse(s.str()));
  REQUIRE(report.ok());
  return *report;
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("RenderHtmlReport: one self-contained page") {
  const std::string html = RenderHtmlReport(Fleet());
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.ends_with("</html>\n"));
  // Nothing to fetch: no external script, style, image or font.
  CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*"(https?:)?//)")));
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
}

TEST_CASE("RenderHtmlReport: fleet summary by verdict, product and zone") {
  const std::string html = RenderHtmlReport(Fleet());
  CHECK(html.find("<div class=\"card\"><b>10</b>tested</div><div class=\"card pass\"><b>4</b>passed</div>"
                  "<div class=\"card fail\"><b>5</b>failed</div><div class=\"card error\"><b>1</b>error</div>"
                  "<div class=\"card\"><b>2</b>skipped</div>") != std::string::npos);
  // by product: 6 tested H200 (plus 1 skipped), 3 H100 (plus 1 skipped)
  CHECK(html.find("<tr><td>NVIDIA-H200</td><td>7</td><td>3</td><td class=\"bad\">3</td><td class=\"fair\">1</td>"
                  "<td>1</td></tr>") != std::string::npos);
  CHECK(html.find("<tr><td>us-east-1c</td><td>3</td><td>1</td><td class=\"bad\">2</td><td class=\"\">0</td>"
                  "<td>1</td></tr>") != std::string::npos);
}

TEST_CASE("RenderHtmlReport: a sortable row per node, figures below their floor marked") {
  const std::string html = RenderHtmlReport(Fleet());
  CHECK(Count(html, "<tr><td data-sort=\"h") == 10);
  CHECK(html.find("<th class=\"num\" data-key=\"hbm\">HBM</th>") != std::string::npos);
  CHECK(html.find("<th class=\"num\" data-key=\"multinode\">multi-node</th>") != std::string::npos);
  // h100-c2's GPU 3 copies at 1204.7 GB/s, under the H100 floor of 2500.
  CHECK(html.find("<td class=\"num bad\" data-sort=\"1204.700\">1204.7</td>") != std::string::npos);
  // The error node measured nothing: empty sort keys go last whichever way.
  CHECK(html.find("<td class=\"num\" data-sort=\"\">-</td>") != std::string::npos);
  CHECK(html.find("location.hash") != std::string::npos);
}

TEST_CASE("RenderHtmlReport: per node a P2P heatmap, bars against floors and health findings") {
  const std::string html = RenderHtmlReport(Fleet());
  CHECK(Count(html, "<table class=\"heatmap\">") == 9);  // every node that measured, not the one that timed out
  // h200-b1's 2->5 link at 201.4 GB/s is under the 335 floor: a red cell.
  CHECK(html.find("<td class=\"bad\" title=\"gpu2 to gpu5: 201.4 GB/s\">201</td>") != std::string::npos);
  CHECK(Count(html, "<svg class=\"bars\"") == 27);
  CHECK(html.find("<figcaption>HBM copy, GB/s, floor 3700 GB/s</figcaption>") != std::string::npos);
  CHECK(html.find("class=\"bar low\"><title>gpu3: 1204.7 GB/s</title>") != std::string::npos);
  CHECK(html.find("<li class=\"bad\">gpu 5 ecc_uncorrectable</li>") != std::string::npos);
  CHECK(html.find("<li class=\"fair\">gpu 4 pcie_replays</li>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">Health: not checked.</p>") != std::string::npos);
  // Failed nodes are open, passing ones folded.
  CHECK(html.find("<details class=\"node\" id=\"node-h200-a3\" open>") != std::string::npos);
  CHECK(html.find("<details class=\"node\" id=\"node-h200-a1\">") != std::string::npos);
}

TEST_CASE("RenderHtmlReport: multi-node pairs and failure reasons, most common first") {
  const std::string html = RenderHtmlReport(Fleet());
  CHECK(html.find("<h2>Multi-node pairs</h2>") != std::string::npos);
  CHECK(Count(html, "gpu-check-k3x9q-pair-") >= 4);
  const auto reasons = html.find("<h2>Failure reasons</h2>");
  REQUIRE(reasons != std::string::npos);
  CHECK(html.find("health: gpu 5: 2 uncorrectable ECC errors", reasons) != std::string::npos);
  CHECK(html.find("<a href=\"#node-h100-c2\">h100-c2</a>", reasons) != std::string::npos);
}

TEST_CASE("RenderHtmlReport escapes what came from the cluster") {
  NodeValidationReport report = Fleet();
  report.results[0].reason = "<script>alert(1)</script> & \"quoted\"";
  const std::string html = RenderHtmlReport(report);
  CHECK(html.find("<script>alert(1)") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;") != std::string::npos);
}

}  // namespace llm
