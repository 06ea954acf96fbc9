// The Grafana dashboard `serve --dashboard` renders, as one table of panels:
// each panel names the engine table's series it reads (serve_engine.h
// EngineMetrics, the one home of metric names) and the shape of its query, so
// every query uses the engine's real names, and a panel whose series the
// engine does not export (TGI: no KV-cache gauge, no time-to-first-token
// histogram) is left out for that engine instead of drawing nothing.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "render/autoscale_signal.h"
#include "render/serve_engine.h"

namespace llm {

struct DashboardQuery {
  std::string legend;  ///< Grafana legendFormat: "p95", "waiting", "{{pod}}"
  std::string expr;    ///< PromQL
};

struct DashboardPanel {
  std::string title;
  std::string unit;  ///< Grafana unit id: "short", "reqps", "percentunit", "s"
  std::vector<DashboardQuery> queries;
};

/// The panels for `engine`, in table order, each query selecting the
/// workload's pods (`where`, as the ScaledObject's query does).
std::vector<DashboardPanel> DashboardPanels(const ServeEngine& engine, const WorkloadSeries& where);

/// The dashboard's JSON model (Grafana dashboard schema): a `datasource`
/// variable for the Prometheus to read, one time-series panel per panel, two a
/// row. `uid` identifies it across re-applies (Grafana allows 40 characters).
nlohmann::ordered_json DashboardJson(const std::string& title, const std::string& uid,
                                     const std::vector<DashboardPanel>& panels);

}  // namespace llm
