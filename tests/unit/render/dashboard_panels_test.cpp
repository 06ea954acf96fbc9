#include "render/dashboard_panels.h"

#include <set>

#include <doctest/doctest.h>

#include "workload/promql_selectors.h"

namespace llm {
namespace {

// Brackets nest and close, and every string literal ends: what a PromQL
// parser needs before it reads anything else.
bool Balanced(std::string_view expr) {
  std::string open;
  bool quoted = false;
  for (size_t i = 0; i < expr.size(); ++i) {
    const char c = expr[i];
    if (quoted) {
      if (c == '\\') ++i;
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '(' || c == '{' || c == '[') open.push_back(c);
    if (c == ')' || c == '}' || c == ']') {
      const char want = c == ')' ? '(' : c == '}' ? '{' : '[';
      if (open.empty() || open.back() != want) return false;
      open.pop_back();
    }
  }
  return open.empty() && !quoted;
}

// Every sample name the engine row declares: gauges and counters as written,
// histograms as their _bucket samples (what a quantile reads).
std::set<std::string> Declared(const EngineMetrics& m) {
  std::set<std::string> out;
  for (std::string_view name : {m.requests_running, m.requests_waiting, m.kv_cache_usage, m.prompt_tokens_total,
                                m.generation_tokens_total, m.requests_total}) {
    if (!name.empty()) out.insert(std::string(name));
  }
  for (std::string_view family :
       {m.time_to_first_token_seconds, m.e2e_latency_seconds, m.inter_token_latency_seconds, m.queue_time_seconds}) {
    if (!family.empty()) out.insert(std::string(family) + "_bucket");
  }
  return out;
}

std::set<std::string> Titles(const std::vector<DashboardPanel>& panels) {
  std::set<std::string> out;
  for (const DashboardPanel& p : panels) out.insert(p.title);
  return out;
}

TEST_CASE("every dashboard query of every engine is balanced PromQL naming only series its engine row declares") {
  const WorkloadSeries where{"ml", "chat"};
  for (const ServeEngine& engine : ServeEngines()) {
    CAPTURE(engine.name);
    const std::set<std::string> declared = Declared(engine.metrics);
    const std::vector<DashboardPanel> panels = DashboardPanels(engine, where);
    REQUIRE_FALSE(panels.empty());
    for (const DashboardPanel& panel : panels) {
      CAPTURE(panel.title);
      REQUIRE_FALSE(panel.queries.empty());
      for (const DashboardQuery& query : panel.queries) {
        CAPTURE(query.expr);
        CHECK(Balanced(query.expr));
        auto selectors = VectorSelectors(query.expr);
        REQUIRE_MESSAGE(selectors.ok(), (selectors.ok() ? "" : selectors.error().message()));
        REQUIRE_FALSE(selectors->empty());
        for (const VectorSelector& selector : *selectors) {
          CHECK(declared.count(selector.metric) == 1);
          // Only the workload's pods: the namespace and the pod name prefix, as the ScaledObject selects.
          REQUIRE(selector.matchers.size() == 2);
          CHECK(selector.matchers[0].label == "namespace");
          CHECK(selector.matchers[0].value == "ml");
          CHECK(selector.matchers[1].label == "pod");
          CHECK(selector.matchers[1].value == "chat-.+");
        }
      }
    }
  }
}

TEST_CASE("the panels each engine gets: every one for vLLM, none on series the engine does not export") {
  const WorkloadSeries where{std::nullopt, "chat"};
  const std::set<std::string> all = {"Ready replicas (pods serving metrics)",
                                     "Requests per second",
                                     "Requests running and waiting",
                                     "KV cache usage",
                                     "Time to first token",
                                     "End-to-end request latency",
                                     "Inter-token latency",
                                     "Tokens per second",
                                     "Queue time"};
  CHECK(Titles(DashboardPanels(*FindServeEngine("vllm"), where)) == all);
  std::set<std::string> sglang = all;
  sglang.erase("Queue time");
  CHECK(Titles(DashboardPanels(*FindServeEngine("sglang"), where)) == sglang);
  std::set<std::string> tgi = all;
  tgi.erase("KV cache usage");
  tgi.erase("Time to first token");
  CHECK(Titles(DashboardPanels(*FindServeEngine("tgi"), where)) == tgi);
}

TEST_CASE("the queries' shapes: pods counted once, rates per second, quantiles from buckets") {
  const std::vector<DashboardPanel> panels = DashboardPanels(*FindServeEngine("vllm"), {"ml", "chat"});
  const std::string sel = R"(namespace="ml",pod=~"chat-.+")";
  CHECK(panels[0].queries[0].expr == "count(count by (pod) (vllm:num_requests_running{" + sel + "}))");
  CHECK(panels[1].queries[0].expr == "sum(rate(vllm:request_success_total{" + sel + "}[2m]))");
  REQUIRE(panels[4].queries.size() == 3);
  CHECK(panels[4].queries[1].legend == "p95");
  CHECK(panels[4].queries[1].expr ==
        "histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{" + sel + "}[5m])))");
}

TEST_CASE("the dashboard JSON: one panel per panel, two a row, each target on the datasource variable") {
  const std::vector<DashboardPanel> panels = DashboardPanels(*FindServeEngine("tgi"), {"ml", "chat"});
  const nlohmann::ordered_json dashboard = DashboardJson("chat (tgi)", "kubectl-llm-0123", panels);
  CHECK(dashboard["uid"] == "kubectl-llm-0123");
  REQUIRE(dashboard["panels"].size() == panels.size());
  CHECK(dashboard["panels"][1]["gridPos"]["x"] == 12);
  CHECK(dashboard["panels"][2]["gridPos"]["y"] == 8);
  CHECK(dashboard["panels"][2]["targets"][1]["refId"] == "B");
  CHECK(dashboard["panels"][2]["targets"][1]["datasource"]["uid"] == "${datasource}");
  CHECK(dashboard["templating"]["list"][0]["type"] == "datasource");
}

}  // namespace
}  // namespace llm
