// `kubectl llm metrics NAME [-w] [--check]`: each serving pod's /metrics,
// read through the API server's pod proxy (no Prometheus needed), twice
// --interval apart, printed per pod and in total (commands/serving_metrics.h
// has what is computed). -w refreshes every --interval, in place on a
// terminal, until Ctrl-C. --check fails (exit 1) when a metric that the table,
// the workload's autoscaler or its dashboard reads is absent from a live pod or
// lacks a label the query filters on, naming it.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "commands/command.h"
#include "commands/serving_metrics.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "output/output_format.h"
#include "output/terminal.h"
#include "util/clock.h"

namespace llm {

struct MetricsFlags {
  std::string name{};
  bool watch = false;
  bool check = false;
  std::string interval = "1s";
  std::string output{};
};

struct MetricsOptions {
  std::string name{};
  bool watch = false;
  bool check = false;
  std::chrono::milliseconds interval{1000};
  OutputSpec output{};
};

Result<MetricsOptions> ValidateMetricsFlags(const MetricsFlags& flags);

struct MetricsEnv {
  kube::RestClient& client;
  kube::RestMapper& mapper;
  std::string ns;
  Clock& clock;
  Terminal& terminal;             ///< where tables and documents go (redrawn in place with -w when interactive)
  std::function<bool()> stopped;  ///< -w ends when this turns true (Ctrl-C)
};

/// Exit 0, or --check's problems as an Error (exit 1).
Status RunMetrics(const MetricsOptions& options, MetricsEnv& env);

void SetupMetricsCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm
