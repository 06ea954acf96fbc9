#include "commands/logs_command.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/managed_workloads.h"
#include "kube/client_factory.h"
#include "kube/object_fields.h"
#include "kube/url_query.h"
#include "util/duration.h"
#include "util/rfc3339.h"
#include "workload/log_line_merger.h"
#include "workload/log_prefix.h"
#include "workload/pod_log_follow.h"

namespace llm {
namespace {

std::string Label(const nlohmann::json& pod, std::string_view key) {
  const nlohmann::json* labels = nullptr;
  if (auto meta = pod.find("metadata"); meta != pod.end() && meta->is_object()) {
    if (auto l = meta->find("labels"); l != meta->end() && l->is_object()) labels = &*l;
  }
  if (labels == nullptr) return "";
  auto it = labels->find(std::string(key));
  return it != labels->end() && it->is_string() ? it->get<std::string>() : "";
}

/// A pod's rank: its completion index in a training job, its worker index in a
/// LeaderWorkerSet group; none for a plain replica.
std::optional<int64_t> RankOf(const nlohmann::json& pod) {
  for (std::string_view key : {kJobCompletionIndexLabel, kLwsWorkerIndexLabel}) {
    std::string value = Label(pod, key);
    if (value.empty()) continue;
    try {
      return std::stoll(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// Whole lines go out under one lock, so concurrent pods never split a line.
class LineSink {
 public:
  LineSink(IoStreams streams, bool prefix) : streams_(streams), prefix_(prefix) {}

  void Add(const std::string& stream, const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mu_);
    merger_.AddStream(stream, prefix_ ? prefix : "");
  }
  void Feed(const std::string& stream, std::string_view chunk) {
    std::lock_guard<std::mutex> lock(mu_);
    Write(merger_.Feed(stream, chunk));
  }
  void Close(const std::string& stream) {
    std::lock_guard<std::mutex> lock(mu_);
    Write(merger_.Close(stream));
  }
  void Warn(const std::string& text) {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.err << text << "\n";
    streams_.err.flush();
  }

 private:
  void Write(const std::vector<std::string>& lines) {
    for (const std::string& line : lines) streams_.out << line << "\n";
    streams_.out.flush();
  }

  std::mutex mu_;
  IoStreams streams_;
  bool prefix_;
  LogLineMerger merger_;
};

}  // namespace

Result<int64_t> ParseSinceSeconds(std::string_view text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Error(ErrorKind::kUsage, fmt::format("--since: '{}' has no unit; give a duration such as {}s, 5m or 1h",
                                                text, text.size() > 12 ? std::string("300") : std::string(text)));
  }
  LLM_ASSIGN_OR_RETURN(Seconds seconds, ParseDuration(text, "--since"));
  return static_cast<int64_t>(seconds.count());
}

Status ValidateLogsOptions(const LogsOptions& options) {
  if (options.name.empty()) return Error(ErrorKind::kUsage, "a workload NAME is required");
  if (!options.role.empty() && options.role != "leader" && options.role != "worker") {
    return Error(ErrorKind::kUsage, fmt::format("--role must be 'leader' or 'worker', got '{}'", options.role));
  }
  if (options.rank && *options.rank < 0) return Error(ErrorKind::kUsage, "--rank must be 0 or more");
  if (options.tail && *options.tail < -1) return Error(ErrorKind::kUsage, "--tail must be -1 (all) or more");
  if (options.since_seconds && *options.since_seconds <= 0) {
    return Error(ErrorKind::kUsage, "--since must be a positive duration");
  }
  if (options.since_seconds && !options.since_time.empty()) {
    return Error(ErrorKind::kUsage, "--since and --since-time cannot both be given: choose one");
  }
  if (!options.since_time.empty() && !ParseRfc3339Exact(options.since_time)) {
    return Error(
        ErrorKind::kUsage,
        fmt::format("--since-time: '{}' is not an RFC 3339 time (e.g. 2026-12-05T10:00:00Z)", options.since_time));
  }
  if (options.all_containers && !options.container.empty()) {
    return Error(ErrorKind::kUsage, "--container and --all-containers cannot both be given: choose one");
  }
  return Ok();
}

std::vector<nlohmann::json> SelectLogPods(const std::vector<nlohmann::json>& pods, const LogsOptions& options) {
  std::vector<std::pair<std::string, nlohmann::json>> chosen;
  for (const nlohmann::json& pod : pods) {
    PodIdentity id = IdentifyPod(pod);
    if (!options.role.empty() && id.role != options.role) continue;
    if (options.rank && RankOf(pod) != options.rank) continue;
    chosen.emplace_back(id.display_name + "\n" + NameOf(pod), pod);
  }
  std::sort(chosen.begin(), chosen.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<nlohmann::json> out;
  for (auto& [key, pod] : chosen) out.push_back(std::move(pod));
  return out;
}

std::string LogContainer(const nlohmann::json& pod, const std::string& requested) {
  if (!requested.empty()) return requested;
  if (auto meta = pod.find("metadata"); meta != pod.end() && meta->is_object()) {
    if (auto a = meta->find("annotations"); a != meta->end() && a->is_object()) {
      std::string value = a->value("kubectl.kubernetes.io/default-container", "");
      if (!value.empty()) return value;
    }
  }
  if (auto spec = pod.find("spec"); spec != pod.end() && spec->is_object()) {
    if (auto c = spec->find("containers"); c != spec->end() && c->is_array() && !c->empty()) {
      return c->front().value("name", "");
    }
  }
  return "";
}

std::vector<std::string> AllLogContainers(const nlohmann::json& pod) {
  std::vector<std::string> names;
  for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
    for (const nlohmann::json& container : ArrayAt(pod, {"spec", list})) {
      if (std::string name = StringAt(container, {"name"}); !name.empty()) names.push_back(std::move(name));
    }
  }
  return names;
}

std::string PodLogPath(const nlohmann::json& pod, const std::string& container, const LogsOptions& options,
                       bool timestamps, const std::optional<std::string>& since_time) {
  kube::ResourceRef ref{.group = "",
                        .version = "v1",
                        .resource = "pods",
                        .ns = pod["metadata"].value("namespace", ""),
                        .name = NameOf(pod),
                        .subresource = "log"};
  kube::QueryParams query;
  if (!container.empty()) query.emplace_back("container", container);
  if (options.follow) query.emplace_back("follow", "true");
  if (options.previous) query.emplace_back("previous", "true");
  if (timestamps || options.timestamps) query.emplace_back("timestamps", "true");
  if (since_time) {
    // A resumed stream: from where the last one broke, whatever --tail and --since said.
    query.emplace_back("sinceTime", *since_time);
  } else {
    if (options.tail && *options.tail >= 0) query.emplace_back("tailLines", std::to_string(*options.tail));
    if (options.since_seconds) query.emplace_back("sinceSeconds", std::to_string(*options.since_seconds));
    if (!options.since_time.empty()) query.emplace_back("sinceTime", options.since_time);
  }
  return ref.Path() + kube::EncodeQuery(query);
}

Status RunLogs(const LogsOptions& options, kube::RestClient& client, Clock& clock, const std::string& ns,
               IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateLogsOptions(options));
  kube::ListOptions list_options;
  list_options.label_selector = fmt::format("{}={}", kInstanceLabel, options.name);
  auto list = client.List(kube::core::Pods(ns), list_options);
  if (!list.ok()) return list.error();
  std::vector<nlohmann::json> all((*list)["items"].begin(), (*list)["items"].end());
  if (all.empty()) {
    return Error(ErrorKind::kNotFound, fmt::format("no pods of workload \"{}\" in namespace \"{}\" (label {}={})",
                                                   options.name, ns, kInstanceLabel, options.name));
  }
  std::vector<nlohmann::json> pods = SelectLogPods(all, options);
  if (pods.empty()) {
    std::string filter = options.role.empty() ? "" : fmt::format(" --role {}", options.role);
    if (options.rank) filter += fmt::format(" --rank {}", *options.rank);
    return Error(ErrorKind::kNotFound,
                 fmt::format("none of the {} pods of workload \"{}\" match{}", all.size(), options.name, filter));
  }

  // One stream per pod, or per container of each pod with --all-containers.
  struct LogStream {
    const nlohmann::json* pod;
    std::string container;
    std::string key;  ///< the merger's name for it
  };
  std::vector<LogStream> log_streams;
  LineSink sink(streams, options.prefix);
  for (const nlohmann::json& pod : pods) {
    std::vector<std::string> containers =
        options.all_containers ? AllLogContainers(pod) : std::vector<std::string>{LogContainer(pod, options.container)};
    for (std::string& container : containers) {
      std::string key = options.all_containers ? NameOf(pod) + "/" + container : NameOf(pod);
      sink.Add(key, LogPrefix(pod, options.all_containers ? container : ""));
      log_streams.push_back({&pod, std::move(container), std::move(key)});
    }
  }

  if (!options.follow) {
    std::optional<Error> first_error;
    for (const LogStream& stream : log_streams) {
      kube::HttpRequest request;
      request.path = PodLogPath(*stream.pod, stream.container, options);
      auto response = client.Do(std::move(request));
      if (!response.ok()) {
        Error error = response.error().WithContext(fmt::format("pod {}", stream.key));
        if (!first_error) first_error = error;
        continue;
      }
      sink.Feed(stream.key, response->body);
      sink.Close(stream.key);
    }
    if (first_error) return *first_error;
    return Ok();
  }

  // Each failure is printed when it happens (the other streams keep going);
  // the returned error only counts them, so the one error line is the last.
  std::mutex errors_mu;
  size_t failed = 0;
  std::vector<std::thread> threads;
  threads.reserve(log_streams.size());
  LogFollowPolicy policy;
  policy.timestamps = options.timestamps;
  for (const LogStream& stream : log_streams) {
    threads.emplace_back([&] {
      Status followed = FollowPodLog(
          client, clock,
          [&](const std::optional<std::string>& since_time) {
            return PodLogPath(*stream.pod, stream.container, options, /*timestamps=*/true, since_time);
          },
          [&](std::string_view lines) { sink.Feed(stream.key, lines); }, policy);
      sink.Close(stream.key);
      if (!followed.ok()) {
        sink.Warn(fmt::format("pod {}: {}", stream.key, followed.error().message()));
        std::lock_guard<std::mutex> lock(errors_mu);
        ++failed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed > 0) {
    return Error(ErrorKind::kServer, fmt::format("the logs of {} of {} {} could not be followed (named above)", failed,
                                                 log_streams.size(), options.all_containers ? "containers" : "pods"));
  }
  return Ok();
}

void SetupLogsCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<LogsOptions>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve or train)");
  cmd->add_option("--rank", options->rank, "Only the pod of this rank (training) or worker index (LeaderWorkerSet)");
  cmd->add_option("--role", options->role, "Only leader or worker pods of a LeaderWorkerSet");
  cmd->add_option("-c,--container", options->container, "The container (default: the pod's default container)");
  cmd->add_flag("--all-containers", options->all_containers,
                "Every container of each pod (init, app and ephemeral), each line prefixed with its container too");
  cmd->add_flag("-f,--follow", options->follow, "Stream new lines as they are written");
  cmd->add_flag("-p,--previous", options->previous,
                "The logs of the previous instance of each container (the one that crashed or restarted)");
  cmd->add_option("--tail", options->tail, "Lines of recent log per pod (-1: all)");
  auto since = std::make_shared<std::string>();
  cmd->add_option("--since", *since, "Only lines newer than this duration (300s, 5m, 1h)");
  cmd->add_option("--since-time", options->since_time, "Only lines after this RFC 3339 time (2026-12-05T10:00:00Z)");
  cmd->add_flag("--timestamps", options->timestamps, "Begin each line with its RFC 3339 timestamp");
  cmd->add_flag("--prefix", options->prefix,
                "Prefix each line with its pod's name and role (default true; --prefix=false drops it)");
  // The older spelling of --prefix=false, kept for scripts, out of the help.
  cmd->add_flag_callback("--no-prefix", [options] { options->prefix = false; })->group("");
  cmd->callback([options, since, &ctx] {
    if (!since->empty()) {
      auto seconds = ParseSinceSeconds(*since);
      if (!seconds.ok()) return ctx.Finish(seconds.error());
      options->since_seconds = *seconds;
    }
    if (Status valid = ValidateLogsOptions(*options); !valid.ok()) return ctx.Finish(valid);
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    SystemClock clock;
    ctx.Finish(RunLogs(*options, (*session)->client(), clock, (*session)->ns(), ctx.streams));
  });
}

}  // namespace llm
