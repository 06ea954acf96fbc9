#include "render/dashboard_panels.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace llm {
namespace {

// How a panel turns its series into queries.
enum class Shape {
  kPods,       ///< pods exporting the gauge: the replicas that are up and scraped
  kSum,        ///< a gauge summed over the pods, one line per series
  kPerPod,     ///< a gauge, one line per pod
  kRate,       ///< a counter's per-second rate, summed over the pods
  kQuantiles,  ///< a histogram's p50, p95 and p99
};

struct PanelSeries {
  std::string_view legend;
  std::string_view EngineMetrics::*metric;  ///< nullptr: no second series
};

struct PanelRow {
  std::string_view title;
  std::string_view unit;
  Shape shape;
  std::array<PanelSeries, 2> series;
};

// Rates over 2 minutes hold several scrapes at the usual 30 s interval;
// quantiles over 5 minutes hold enough requests at low traffic.
constexpr std::string_view kRateWindow = "2m";
constexpr std::string_view kQuantileWindow = "5m";
constexpr std::array<std::string_view, 3> kQuantiles = {"0.5", "0.95", "0.99"};

constexpr PanelRow kPanels[] = {
    {"Ready replicas (pods serving metrics)",
     "short",
     Shape::kPods,
     {{{"replicas", &EngineMetrics::requests_running}, {"", nullptr}}}},
    {"Requests per second", "reqps", Shape::kRate, {{{"requests", &EngineMetrics::requests_total}, {"", nullptr}}}},
    {"Requests running and waiting",
     "short",
     Shape::kSum,
     {{{"running", &EngineMetrics::requests_running}, {"waiting", &EngineMetrics::requests_waiting}}}},
    {"KV cache usage", "percentunit", Shape::kPerPod, {{{"{{pod}}", &EngineMetrics::kv_cache_usage}, {"", nullptr}}}},
    {"Time to first token",
     "s",
     Shape::kQuantiles,
     {{{"", &EngineMetrics::time_to_first_token_seconds}, {"", nullptr}}}},
    {"End-to-end request latency",
     "s",
     Shape::kQuantiles,
     {{{"", &EngineMetrics::e2e_latency_seconds}, {"", nullptr}}}},
    {"Inter-token latency",
     "s",
     Shape::kQuantiles,
     {{{"", &EngineMetrics::inter_token_latency_seconds}, {"", nullptr}}}},
    {"Tokens per second",
     "short",
     Shape::kRate,
     {{{"prompt", &EngineMetrics::prompt_tokens_total}, {"generation", &EngineMetrics::generation_tokens_total}}}},
    {"Queue time", "s", Shape::kQuantiles, {{{"", &EngineMetrics::queue_time_seconds}, {"", nullptr}}}},
};

std::vector<DashboardQuery> Queries(Shape shape, const PanelSeries& series, std::string_view metric,
                                    const std::string& selector) {
  const std::string legend(series.legend);
  switch (shape) {
    case Shape::kPods:
      // Engines with one series per rank (SGLang's tp_rank) count each pod once.
      return {{legend, fmt::format("count(count by (pod) ({}{{{}}}))", metric, selector)}};
    case Shape::kSum:
      return {{legend, fmt::format("sum({}{{{}}})", metric, selector)}};
    case Shape::kPerPod:
      return {{legend, fmt::format("max by (pod) ({}{{{}}})", metric, selector)}};
    case Shape::kRate:
      return {{legend, fmt::format("sum(rate({}{{{}}}[{}]))", metric, selector, kRateWindow)}};
    case Shape::kQuantiles: {
      std::vector<DashboardQuery> out;
      for (std::string_view q : kQuantiles) {
        out.push_back({fmt::format("p{}", q == "0.5" ? "50" : q.substr(2)),
                       fmt::format("histogram_quantile({}, sum by (le) (rate({}_bucket{{{}}}[{}])))", q, metric,
                                   selector, kQuantileWindow)});
      }
      return out;
    }
  }
  return {};
}

}  // namespace

std::vector<DashboardPanel> DashboardPanels(const ServeEngine& engine, const WorkloadSeries& where) {
  const std::string selector = SeriesSelector(where);
  std::vector<DashboardPanel> panels;
  for (const PanelRow& row : kPanels) {
    DashboardPanel panel{std::string(row.title), std::string(row.unit), {}};
    for (const PanelSeries& series : row.series) {
      if (series.metric == nullptr) continue;
      const std::string_view metric = engine.metrics.*series.metric;
      if (metric.empty()) continue;  // the engine exports no such series
      for (DashboardQuery& query : Queries(row.shape, series, metric, selector)) {
        panel.queries.push_back(std::move(query));
      }
    }
    if (!panel.queries.empty()) panels.push_back(std::move(panel));
  }
  return panels;
}

nlohmann::ordered_json DashboardJson(const std::string& title, const std::string& uid,
                                     const std::vector<DashboardPanel>& panels) {
  using nlohmann::ordered_json;
  constexpr int kWidth = 12, kHeight = 8;  // Grafana's grid is 24 wide
  const ordered_json datasource = {{"type", "prometheus"}, {"uid", "${datasource}"}};
  ordered_json items = ordered_json::array();
  for (size_t i = 0; i < panels.size(); ++i) {
    ordered_json targets = ordered_json::array();
    for (size_t t = 0; t < panels[i].queries.size(); ++t) {
      targets.push_back({{"refId", std::string(1, static_cast<char>('A' + t))},
                         {"datasource", datasource},
                         {"expr", panels[i].queries[t].expr},
                         {"legendFormat", panels[i].queries[t].legend}});
    }
    const int x = static_cast<int>(i % 2) * kWidth, y = static_cast<int>(i / 2) * kHeight;
    items.push_back({{"id", i + 1},
                     {"type", "timeseries"},
                     {"title", panels[i].title},
                     {"datasource", datasource},
                     {"gridPos", {{"h", kHeight}, {"w", kWidth}, {"x", x}, {"y", y}}},
                     {"fieldConfig", {{"defaults", {{"unit", panels[i].unit}}}, {"overrides", ordered_json::array()}}},
                     {"targets", std::move(targets)}});
  }
  ordered_json variable = {
      {"name", "datasource"}, {"label", "Prometheus"}, {"type", "datasource"}, {"query", "prometheus"}};
  return {{"title", title},
          {"uid", uid},
          {"tags", ordered_json::array({"kubectl-llm"})},
          {"timezone", "browser"},
          {"schemaVersion", 39},
          {"refresh", "30s"},
          {"time", {{"from", "now-1h"}, {"to", "now"}}},
          {"templating", {{"list", ordered_json::array({variable})}}},
          {"panels", std::move(items)}};
}

}  // namespace llm
