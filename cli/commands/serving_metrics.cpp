#include "commands/serving_metrics.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "output/latency.h"
#include "output/table_printer.h"
#include "workload/promql_selectors.h"

namespace llm {
namespace {

constexpr std::string_view kApiVersion = "kubectl-llm.dev/v1alpha1";

/// The samples of `name` for the served model; none for a name the engine lacks ("").
std::vector<const MetricSample*> Series(const ModelSelection& selection, const Exposition& exposition,
                                        std::string_view name) {
  if (name.empty()) return {};
  return exposition.Select(name, selection.Match());
}

std::optional<double> Sum(const std::vector<const MetricSample*>& samples) {
  if (samples.empty()) return std::nullopt;
  double total = 0;
  for (const MetricSample* s : samples) total += s->value;
  return total;
}

std::optional<double> Mean(const std::vector<const MetricSample*>& samples) {
  std::optional<double> sum = Sum(samples);
  if (!sum) return std::nullopt;
  return *sum / static_cast<double>(samples.size());
}

/// A counter's increase per second; a counter that went down was reset (the
/// engine restarted), so all of its new value counts, as PromQL's rate does.
std::optional<double> Rate(std::optional<double> before, std::optional<double> after, double seconds) {
  if (!before || !after || seconds <= 0) return std::nullopt;
  const double gained = *after >= *before ? *after - *before : *after;
  return gained / seconds;
}

std::optional<double> Finite(double value) {
  if (std::isnan(value) || std::isinf(value)) return std::nullopt;
  return value;
}

LatencySummary Summarize(const std::vector<HistogramBucket>& gained, const std::vector<HistogramBucket>& now) {
  LatencySummary out;
  const std::vector<HistogramBucket>* buckets = nullptr;
  if (ObservationCount(gained) > 0) {
    buckets = &gained;
    out.window = LatencyWindow::kInterval;
  } else if (ObservationCount(now) > 0) {
    buckets = &now;
    out.window = LatencyWindow::kLifetime;
  } else {
    return out;
  }
  out.observations = ObservationCount(*buckets);
  out.p50 = Finite(HistogramQuantile(0.5, *buckets));
  out.p95 = Finite(HistogramQuantile(0.95, *buckets));
  return out;
}

std::string Cell(const std::optional<double>& value, const char* format) {
  if (!value) return "-";
  return fmt::format(fmt::runtime(format), *value);
}

std::string Latency(const std::optional<double>& seconds) { return seconds ? FormatLatency(*seconds) : "-"; }

std::string LatencyCell(const std::optional<double>& seconds, LatencyWindow window) {
  std::string cell = Latency(seconds);
  if (seconds && window == LatencyWindow::kLifetime) cell += "*";
  return cell;
}

std::string_view WindowName(LatencyWindow window) {
  switch (window) {
    case LatencyWindow::kNone:
      return "none";
    case LatencyWindow::kInterval:
      return "interval";
    case LatencyWindow::kLifetime:
      return "lifetime";
  }
  return "";
}

nlohmann::ordered_json Optional(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json LatencyJson(const LatencySummary& s) {
  return {{"p50Seconds", Optional(s.p50)},
          {"p95Seconds", Optional(s.p95)},
          {"observations", s.observations},
          {"window", std::string(WindowName(s.window))}};
}

nlohmann::ordered_json PodJson(const PodMetrics& p) {
  nlohmann::ordered_json out;
  if (!p.pod.empty()) out["pod"] = p.pod;
  if (!p.error.empty()) {
    out["error"] = p.error;
    return out;
  }
  out["requestsRunning"] = Optional(p.running);
  out["requestsWaiting"] = Optional(p.waiting);
  out["kvCacheUsage"] = Optional(p.kv_cache_usage);
  out["promptTokensPerSecond"] = Optional(p.prompt_tokens_per_second);
  out["generationTokensPerSecond"] = Optional(p.generation_tokens_per_second);
  out["timeToFirstToken"] = LatencyJson(p.ttft);
  out["endToEndLatency"] = LatencyJson(p.e2e);
  return out;
}

/// A field of the engine row and what reads it, for --check's sentences.
struct MetricUse {
  std::string_view EngineMetrics::*field;
  bool histogram;
  const char* used_by;
};
constexpr MetricUse kMetricUses[] = {
    {&EngineMetrics::requests_running, false, "the RUNNING column"},
    {&EngineMetrics::requests_waiting, false, "the WAITING column and serve --autoscale-metric=queue"},
    {&EngineMetrics::kv_cache_usage, false, "the KV CACHE column"},
    {&EngineMetrics::prompt_tokens_total, false, "the PROMPT TOK/S column"},
    {&EngineMetrics::generation_tokens_total, false, "the GEN TOK/S column"},
    {&EngineMetrics::time_to_first_token_seconds, true, "the TTFT columns"},
    {&EngineMetrics::e2e_latency_seconds, true, "the E2E columns"},
};

std::string LabelValues(const std::vector<const MetricSample*>& samples, std::string_view label) {
  std::string out;
  for (const MetricSample* s : samples) {
    std::optional<std::string_view> value = s->Label(label);
    if (!value) continue;
    const std::string quoted = fmt::format("\"{}\"", *value);
    if (out.find(quoted) != std::string::npos) continue;
    out += (out.empty() ? "" : ", ") + quoted;
  }
  return out;
}

std::string LabelNames(const std::vector<const MetricSample*>& samples) {
  std::vector<std::string> names;
  for (const MetricSample* s : samples) {
    for (const auto& [name, value] : s->labels) {
      if (name != "le" && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

/// The model label on `name`'s samples (all of the family, any value).
void CheckModelLabel(const ModelSelection& selection, const std::string& pod, const Exposition& exposition,
                     std::string_view name, std::string_view shown, const char* used_by,
                     std::vector<MetricProblem>& problems) {
  const std::string_view label = selection.engine->metrics.model_label;
  if (label.empty()) return;
  const std::vector<const MetricSample*> all = exposition.Select(name);
  const std::string values = LabelValues(all, label);
  if (values.empty()) {
    problems.push_back(
        {pod, std::string(shown), fmt::format("has no {} label (its labels: {})", label, LabelNames(all)), used_by});
  } else if (exposition.Select(name, selection.Match()).empty()) {
    problems.push_back(
        {pod, std::string(shown),
         fmt::format("has {}={} but not \"{}\", the served model name", label, values, selection.served_model),
         used_by});
  }
}

bool Matches(std::string_view value, const LabelMatcher& m) {
  if (m.op == "=") return value == m.value;
  if (m.op == "!=") return value != m.value;
  // PromQL anchors regular expressions at both ends (RE2; ECMAScript agrees on the patterns queries use).
  bool matched = false;
  try {
    matched = std::regex_match(std::string(value), std::regex(m.value));
  } catch (const std::regex_error&) {
    return false;
  }
  return m.op == "=~" ? matched : !matched;
}

void CheckQuery(const RenderedQuery& q, const std::string& pod, const Exposition& exposition,
                std::vector<MetricProblem>& problems) {
  const std::string used_by = fmt::format("{}'s query", q.owner);
  auto selectors = VectorSelectors(q.query);
  if (!selectors.ok()) {
    problems.push_back({pod, q.query, fmt::format("cannot be read ({})", selectors.error().message()), used_by});
    return;
  }
  for (const VectorSelector& selector : *selectors) {
    if (selector.metric.empty()) continue;
    const std::vector<const MetricSample*> samples = exposition.Select(selector.metric);
    if (samples.empty()) {
      problems.push_back({pod, selector.metric, "is absent from /metrics", used_by});
      continue;
    }
    for (const LabelMatcher& m : selector.matchers) {
      // Prometheus adds pod, namespace, job ... from the target; negative matchers hold for absent labels.
      if (IsTargetLabel(m.label) || m.op == "!=" || m.op == "!~") continue;
      bool any = false, labelled = false;
      for (const MetricSample* s : samples) {
        std::optional<std::string_view> value = s->Label(m.label);
        labelled |= value.has_value();
        any |= value.has_value() && Matches(*value, m);
      }
      if (!labelled) {
        problems.push_back(
            {pod, selector.metric,
             fmt::format("has no {} label, which the query filters on (its labels: {})", m.label, LabelNames(samples)),
             used_by});
      } else if (!any) {
        problems.push_back({pod, selector.metric,
                            fmt::format("has no series with {}{}\"{}\" (it has {})", m.label, m.op, m.value,
                                        LabelValues(samples, m.label)),
                            used_by});
      }
    }
  }
}

}  // namespace

MetricLabels ModelSelection::Match() const {
  if (engine == nullptr || engine->metrics.model_label.empty() || served_model.empty()) return {};
  return {{std::string(engine->metrics.model_label), served_model}};
}

PodMetrics ReadPodMetrics(const ModelSelection& selection, const std::string& pod, const Exposition& first,
                          const Exposition& second, std::chrono::duration<double> interval) {
  const EngineMetrics& m = selection.engine->metrics;
  PodMetrics out;
  out.pod = pod;
  out.running = Sum(Series(selection, second, m.requests_running));
  out.waiting = Sum(Series(selection, second, m.requests_waiting));
  out.kv_cache_usage = Mean(Series(selection, second, m.kv_cache_usage));
  out.prompt_tokens_per_second = Rate(Sum(Series(selection, first, m.prompt_tokens_total)),
                                      Sum(Series(selection, second, m.prompt_tokens_total)), interval.count());
  out.generation_tokens_per_second = Rate(Sum(Series(selection, first, m.generation_tokens_total)),
                                          Sum(Series(selection, second, m.generation_tokens_total)), interval.count());
  auto histogram = [&](std::string_view family, std::vector<HistogramBucket>& gained,
                       std::vector<HistogramBucket>& now) {
    if (family.empty()) return LatencySummary{};
    now = BucketsOf(second, family, selection.Match());
    gained = BucketIncrease(BucketsOf(first, family, selection.Match()), now);
    return Summarize(gained, now);
  };
  out.ttft = histogram(m.time_to_first_token_seconds, out.ttft_gained, out.ttft_now);
  out.e2e = histogram(m.e2e_latency_seconds, out.e2e_gained, out.e2e_now);
  return out;
}

PodMetrics TotalMetrics(const std::vector<PodMetrics>& pods) {
  PodMetrics total;
  auto add = [](std::optional<double>& into, const std::optional<double>& value) {
    if (value) into = into.value_or(0) + *value;
  };
  int kv_pods = 0;
  for (const PodMetrics& p : pods) {
    if (!p.error.empty()) continue;
    add(total.running, p.running);
    add(total.waiting, p.waiting);
    add(total.prompt_tokens_per_second, p.prompt_tokens_per_second);
    add(total.generation_tokens_per_second, p.generation_tokens_per_second);
    if (p.kv_cache_usage) {
      add(total.kv_cache_usage, p.kv_cache_usage);
      ++kv_pods;
    }
    AddBuckets(total.ttft_gained, p.ttft_gained);
    AddBuckets(total.ttft_now, p.ttft_now);
    AddBuckets(total.e2e_gained, p.e2e_gained);
    AddBuckets(total.e2e_now, p.e2e_now);
  }
  if (kv_pods > 0) *total.kv_cache_usage /= kv_pods;
  total.ttft = Summarize(total.ttft_gained, total.ttft_now);
  total.e2e = Summarize(total.e2e_gained, total.e2e_now);
  return total;
}

std::string MetricProblem::Sentence() const {
  return fmt::format("pod {}: {} {} (read by {})", pod, metric, problem, used_by);
}

std::vector<MetricProblem> CheckExposition(const ModelSelection& selection, const std::string& pod,
                                           const Exposition& exposition, const std::vector<RenderedQuery>& queries) {
  std::vector<MetricProblem> problems;
  for (const MetricUse& use : kMetricUses) {
    const std::string_view name = selection.engine->metrics.*use.field;
    if (name.empty()) continue;
    const std::string sample = use.histogram ? std::string(name) + "_bucket" : std::string(name);
    if (!exposition.Has(sample)) {
      problems.push_back({pod, std::string(name), "is absent from /metrics", use.used_by});
      continue;
    }
    CheckModelLabel(selection, pod, exposition, sample, name, use.used_by, problems);
  }
  for (const RenderedQuery& q : queries) CheckQuery(q, pod, exposition, problems);
  // A panel's p50, p95 and p99 read one series: say what is wrong with it once.
  std::vector<MetricProblem> unique;
  for (MetricProblem& problem : problems) {
    if (std::none_of(unique.begin(), unique.end(),
                     [&](const MetricProblem& seen) { return seen.Sentence() == problem.Sentence(); })) {
      unique.push_back(std::move(problem));
    }
  }
  return unique;
}

std::vector<RenderedQuery> DashboardQueries(const nlohmann::json& config_map) {
  std::vector<RenderedQuery> out;
  const nlohmann::json* data = FindPath(config_map, {"data"});
  if (data == nullptr || !data->is_object()) return out;
  for (const auto& [file, text] : data->items()) {
    if (!text.is_string()) continue;
    const nlohmann::json dashboard =
        nlohmann::json::parse(text.get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (!dashboard.is_object()) continue;  // not a dashboard: another file of the ConfigMap
    for (const nlohmann::json& panel : ArrayAt(dashboard, {"panels"})) {
      for (const nlohmann::json& target : ArrayAt(panel, {"targets"})) {
        const std::string expr = StringAt(target, {"expr"});
        if (expr.empty()) continue;
        out.push_back(
            {fmt::format("dashboard {}'s panel \"{}\"", NameOf(config_map), StringAt(panel, {"title"})), expr});
      }
    }
  }
  return out;
}

std::string MetricsTable(const std::vector<PodMetrics>& pods, const PodMetrics& total) {
  Table table({{"POD"},
               {"RUNNING"},
               {"WAITING"},
               {"KV CACHE"},
               {"PROMPT TOK/S"},
               {"GEN TOK/S"},
               {"TTFT P50"},
               {"TTFT P95"},
               {"E2E P50"},
               {"E2E P95"}});
  bool lifetime = false;
  auto row = [&](const std::string& name, const PodMetrics& p) {
    if (!p.error.empty()) {
      table.AddRow({name, "-", "-", "-", "-", "-", "-", "-", "-", "-"});
      return;
    }
    lifetime |= (p.ttft.window == LatencyWindow::kLifetime && p.ttft.p50) ||
                (p.e2e.window == LatencyWindow::kLifetime && p.e2e.p50);
    std::optional<double> kv_percent;
    if (p.kv_cache_usage) kv_percent = *p.kv_cache_usage * 100;
    table.AddRow({name, Cell(p.running, "{:g}"), Cell(p.waiting, "{:g}"), Cell(kv_percent, "{:.1f}%"),
                  Cell(p.prompt_tokens_per_second, "{:.1f}"), Cell(p.generation_tokens_per_second, "{:.1f}"),
                  LatencyCell(p.ttft.p50, p.ttft.window), LatencyCell(p.ttft.p95, p.ttft.window),
                  LatencyCell(p.e2e.p50, p.e2e.window), LatencyCell(p.e2e.p95, p.e2e.window)});
  };
  for (const PodMetrics& p : pods) row(p.pod, p);
  if (pods.size() > 1) row("TOTAL", total);
  std::string out = table.Render(false);
  for (const PodMetrics& p : pods) {
    if (!p.error.empty()) out += fmt::format("pod {}: {}\n", p.pod, p.error);
  }
  if (lifetime) out += "* over the engine's lifetime: no request finished between the two scrapes\n";
  return out;
}

nlohmann::ordered_json ServingMetricsJson(const std::string& name, const std::string& ns,
                                          const ModelSelection& selection, double interval_seconds,
                                          const std::vector<PodMetrics>& pods, const PodMetrics& total,
                                          const std::optional<std::vector<MetricProblem>>& problems) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const PodMetrics& p : pods) items.push_back(PodJson(p));
  nlohmann::ordered_json out = {{"apiVersion", std::string(kApiVersion)},
                                {"kind", "ServingMetrics"},
                                {"metadata", {{"name", name}, {"namespace", ns}}},
                                {"engine", std::string(selection.engine->name)},
                                {"model", selection.served_model},
                                {"intervalSeconds", interval_seconds},
                                {"pods", std::move(items)},
                                {"total", PodJson(total)}};
  if (problems) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const MetricProblem& p : *problems) {
      list.push_back({{"pod", p.pod}, {"metric", p.metric}, {"problem", p.problem}, {"usedBy", p.used_by}});
    }
    out["check"] = {{"passed", problems->empty()}, {"problems", std::move(list)}};
  }
  return out;
}

}  // namespace llm
