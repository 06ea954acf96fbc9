#include "commands/metrics_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/served_endpoint.h"
#include "kube/api_proxy.h"
#include "kube/object_fields.h"
#include "output/object_printer.h"
#include "util/duration.h"
#include "util/interrupt_signals.h"
#include "workload/openai_api.h"

namespace llm {
namespace {

constexpr OutputFormat kMetricsOutputs[] = {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kYaml};

using Instant = std::chrono::steady_clock::time_point;

constexpr std::chrono::milliseconds kScrapeTimeout{10000};
constexpr std::chrono::milliseconds kStopPoll{100};

struct Scrape {
  Instant at;
  Exposition exposition;
};

struct PodScrapes {
  ServingPod pod;
  std::string error;  ///< why the pod could not be read
  std::optional<Scrape> previous;
  std::optional<Scrape> latest;
};

/// One GET of the pod's /metrics through the pod proxy.
Result<Scrape> ScrapePod(kube::RestClient& client, Clock& clock, const std::string& ns, const ServingPod& pod) {
  const kube::ProxyTarget target{kube::ProxyTarget::Kind::kPod, ns, pod.name, pod.metrics_port};
  const std::string request = fmt::format("GET {}", pod.metrics_path);
  auto answer = kube::ProxyGet(client, target, pod.metrics_path, kScrapeTimeout);
  if (!answer.ok()) {
    return Error(answer.error().kind(),
                 fmt::format("the API server could not proxy {} to it: {}", request, answer.error().message()));
  }
  const Instant at = clock.Monotonic();
  if (answer->status != 200) {
    const std::string message = EngineErrorMessage(answer->body);
    return Error(ErrorKind::kServer, fmt::format("it answered {} with HTTP {}{}", request, answer->status,
                                                 message.empty() ? "" : ": " + message));
  }
  auto parsed = ParsePrometheusText(answer->body);
  if (!parsed.ok()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("its {} is not the Prometheus text format: {}", pod.metrics_path,
                                                       parsed.error().message()));
  }
  return Scrape{at, std::move(*parsed)};
}

void ScrapeAll(MetricsEnv& env, std::vector<PodScrapes>& pods) {
  for (PodScrapes& p : pods) {
    if (!p.error.empty() && !p.latest) continue;  // never reachable (no IP): nothing to ask
    auto scrape = ScrapePod(env.client, env.clock, env.ns, p.pod);
    if (!scrape.ok()) {
      p.error = scrape.error().message();
      p.previous.reset();
      p.latest.reset();
      continue;
    }
    p.error.clear();
    p.previous = std::move(p.latest);
    p.latest = std::move(*scrape);
  }
}

/// Sleeps `d`, waking early when the user stops a watch.
void SleepUnlessStopped(MetricsEnv& env, std::chrono::milliseconds d) {
  const Instant until = env.clock.Monotonic() + d;
  while (env.clock.Monotonic() < until) {
    if (env.stopped && env.stopped()) return;
    env.clock.SleepFor(std::min<std::chrono::nanoseconds>(kStopPoll, until - env.clock.Monotonic()));
  }
}

/// The Prometheus queries serve rendered for the workload (objects labelled
/// with its instance), for --check: its dashboard's panels (serve --dashboard's
/// ConfigMap), then its ScaledObjects' triggers on the engine's series.
Result<std::vector<RenderedQuery>> RenderedQueries(MetricsEnv& env, const std::string& name) {
  std::vector<RenderedQuery> out;
  kube::ListOptions options;
  options.label_selector = fmt::format("{}={},{}", kInstanceLabel, name, ManagedBySelector());
  LLM_ASSIGN_OR_RETURN(nlohmann::json config_maps, env.client.List(kube::core::ConfigMaps(env.ns), options));
  for (const nlohmann::json& item : ItemsOf(config_maps)) {
    for (const RenderedQuery& query : DashboardQueries(item)) out.push_back(query);
  }
  const kube::GroupKind scaled_object{"keda.sh", "ScaledObject"};
  LLM_ASSIGN_OR_RETURN(bool served, env.mapper.HasGroupKind(scaled_object));
  if (!served) return out;
  LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping, env.mapper.MapGroupKind(scaled_object));
  kube::ResourceRef ref = mapping.resource;
  ref.ns = env.ns;
  LLM_ASSIGN_OR_RETURN(nlohmann::json list, env.client.List(ref, options));
  for (const nlohmann::json& item : ItemsOf(list)) {
    for (const nlohmann::json& trigger : ArrayAt(item, {"spec", "triggers"})) {
      if (StringAt(trigger, {"type"}) != "prometheus") continue;
      // serve's --autoscale-wake-query trigger reads a series outside the
      // engine's pods by design (it must exist at zero replicas).
      if (StringAt(trigger, {"name"}) == "wake") continue;
      const std::string query = StringAt(trigger, {"metadata", "query"});
      if (!query.empty()) out.push_back({fmt::format("ScaledObject {}", NameOf(item)), query});
    }
  }
  return out;
}

struct Reading {
  std::vector<PodMetrics> pods;
  PodMetrics total;
  double interval_seconds = 0;
};

Reading Read(const ModelSelection& selection, const std::vector<PodScrapes>& scrapes) {
  Reading out;
  double longest = 0;
  for (const PodScrapes& p : scrapes) {
    if (!p.error.empty() || !p.previous || !p.latest) {
      PodMetrics failed;
      failed.pod = p.pod.name;
      failed.error = p.error.empty() ? "scraped once only" : p.error;
      out.pods.push_back(std::move(failed));
      continue;
    }
    const std::chrono::duration<double> interval = p.latest->at - p.previous->at;
    longest = std::max(longest, interval.count());
    out.pods.push_back(ReadPodMetrics(selection, p.pod.name, p.previous->exposition, p.latest->exposition, interval));
  }
  out.total = TotalMetrics(out.pods);
  out.interval_seconds = longest;
  return out;
}

Result<std::string> Render(const MetricsOptions& options, const ServedEndpoint& served, const ModelSelection& selection,
                           const Reading& reading, const std::optional<std::vector<MetricProblem>>& problems) {
  if (!options.output.is_table()) {
    return FormatDocument(ServingMetricsJson(served.name, served.ns, selection, reading.interval_seconds, reading.pods,
                                             reading.total, problems),
                          options.output);
  }
  std::string out = fmt::format("{} {} serving {}, rates over {:.1f}s\n", served.engine->name, served.name,
                                selection.served_model, reading.interval_seconds);
  return out + MetricsTable(reading.pods, reading.total);
}

}  // namespace

Result<MetricsOptions> ValidateMetricsFlags(const MetricsFlags& flags) {
  MetricsOptions out;
  if (flags.name.empty()) return Error(ErrorKind::kUsage, "a workload NAME is required (as given to serve)");
  out.name = flags.name;
  out.watch = flags.watch;
  out.check = flags.check;
  if (out.watch && out.check) {
    return Error(ErrorKind::kUsage, "--check reads the metrics once and exits with the verdict; drop -w (--watch)");
  }
  LLM_ASSIGN_OR_RETURN(out.interval, ParseDurationMillis(flags.interval, "--interval"));
  if (out.interval < std::chrono::milliseconds(100)) {
    return Error(ErrorKind::kUsage, fmt::format("--interval must be at least 100ms, got {}", flags.interval));
  }
  LLM_ASSIGN_OR_RETURN(out.output, ParseOutputFormat(flags.output, kMetricsOutputs));
  return out;
}

Status RunMetrics(const MetricsOptions& options, MetricsEnv& env) {
  LLM_ASSIGN_OR_RETURN(ServedEndpoint served, ResolveServedEndpoint(env.client, env.mapper, env.ns, options.name));
  const ModelSelection selection{served.engine, served.served_model};
  std::vector<PodScrapes> scrapes;
  for (const ServingPod& pod : served.pods) {
    PodScrapes p;
    p.pod = pod;
    if (pod.ip.empty()) p.error = fmt::format("no IP yet ({})", pod.phase.empty() ? "gone" : pod.phase);
    scrapes.push_back(std::move(p));
  }
  if (scrapes.empty()) {
    return Error(ErrorKind::kNotFound, fmt::format("{}/{} has no serving pod to read metrics from",
                                                   served.workload.mapping.kind, served.name));
  }
  std::vector<RenderedQuery> queries;
  if (options.check) {
    LLM_ASSIGN_OR_RETURN(queries, RenderedQueries(env, served.name));
  }

  ScrapeAll(env, scrapes);
  size_t drawn_lines = 0;
  while (true) {
    SleepUnlessStopped(env, options.interval);
    if (env.stopped && env.stopped()) return Ok();
    ScrapeAll(env, scrapes);
    const Reading reading = Read(selection, scrapes);
    std::optional<std::vector<MetricProblem>> problems;
    if (options.check) {
      problems.emplace();
      for (const PodScrapes& p : scrapes) {
        if (!p.latest) {
          problems->push_back({p.pod.name, "/metrics", "could not be read: " + p.error, "every check"});
          continue;
        }
        for (MetricProblem& problem : CheckExposition(selection, p.pod.name, p.latest->exposition, queries)) {
          problems->push_back(std::move(problem));
        }
      }
    }
    LLM_ASSIGN_OR_RETURN(const std::string text, Render(options, served, selection, reading, problems));
    if (options.watch && env.terminal.IsInteractive() && drawn_lines > 0) {
      env.terminal.Write(fmt::format("\033[{}A\033[J", drawn_lines));  // back to the top of the last drawing
    } else if (options.watch && drawn_lines > 0 && options.output.format == OutputFormat::kTable) {
      env.terminal.Write("\n");
    }
    env.terminal.Write(text);
    drawn_lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    if (!options.watch) {
      if (!problems || problems->empty()) return Ok();
      std::string message = fmt::format("--check found {} problem{} with the metrics {} reads:", problems->size(),
                                        problems->size() == 1 ? "" : "s", served.name);
      for (const MetricProblem& p : *problems) message += "\n  " + p.Sentence();
      return Error(ErrorKind::kInvalidInput, message);
    }
  }
}

void SetupMetricsCommand(CLI::App* cmd, CommandContext& ctx) {
  auto flags = std::make_shared<MetricsFlags>();
  cmd->add_option("NAME", flags->name, "The served workload's name (as given to serve)");
  cmd->add_flag("-w,--watch", flags->watch, "Refresh every --interval (in place on a terminal) until Ctrl-C");
  cmd->add_flag("--check", flags->check,
                "Fail (exit 1) when a metric the table, the workload's autoscaler or its dashboard reads is missing or "
                "mislabelled on a live pod");
  cmd->add_option("--interval", flags->interval,
                  "Time between the two scrapes rates are computed from (and between "
                  "refreshes with -w)")
      ->capture_default_str();
  AddOutputFlag(cmd, flags->output, kMetricsOutputs);
  cmd->callback([flags, &ctx] {
    auto options = ValidateMetricsFlags(*flags);
    if (!options.ok()) return ctx.Finish(options.error());
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    SystemClock clock;
    const char* term = std::getenv("TERM");
    StreamTerminal terminal(ctx.streams.out, IsTerminalFd(STDOUT_FILENO, term ? term : ""));
    std::unique_ptr<InterruptSignals> signals;
    if (options->watch) signals = std::make_unique<InterruptSignals>();
    MetricsEnv env{(*session)->client(), (*session)->mapper(), (*session)->ns(), clock, terminal, [&signals] {
                     return signals && signals->received() != 0;
                   }};
    Status status = RunMetrics(*options, env);
    if (status.ok() && signals && signals->received() != 0) ctx.exit_code = ExitCodeForSignal(signals->received());
    ctx.Finish(status);
  });
}

}  // namespace llm
