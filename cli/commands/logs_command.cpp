#include "commands/logs_command.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/managed_workloads.h"
#include "kube/client_factory.h"
#include "kube/object_fields.h"
#include "kube/url_query.h"
#include "util/duration.h"
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
    if (text.size() > 12) return Error(ErrorKind::kUsage, fmt::format("--since is too large: {}", text));
    return std::stoll(std::string(text));
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
    return Error(ErrorKind::kUsage, "--since must be a positive number of seconds");
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
  if (timestamps) query.emplace_back("timestamps", "true");
  if (since_time) {
    // A resumed stream: from where the last one broke, whatever --tail and --since said.
    query.emplace_back("sinceTime", *since_time);
  } else {
    if (options.tail && *options.tail >= 0) query.emplace_back("tailLines", std::to_string(*options.tail));
    if (options.since_seconds) query.emplace_back("sinceSeconds", std::to_string(*options.since_seconds));
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

  LineSink sink(streams, options.prefix);
  std::vector<std::string> paths;
  for (const nlohmann::json& pod : pods) {
    std::string container = LogContainer(pod, options.container);
    sink.Add(NameOf(pod), LogPrefix(pod));
    paths.push_back(PodLogPath(pod, container, options));
  }

  if (!options.follow) {
    std::optional<Error> first_error;
    for (size_t i = 0; i < pods.size(); ++i) {
      kube::HttpRequest request;
      request.path = paths[i];
      auto response = client.Do(std::move(request));
      if (!response.ok()) {
        Error error = response.error().WithContext(fmt::format("pod {}", NameOf(pods[i])));
        if (!first_error) first_error = error;
        continue;
      }
      sink.Feed(NameOf(pods[i]), response->body);
      sink.Close(NameOf(pods[i]));
    }
    if (first_error) return *first_error;
    return Ok();
  }

  // Each failure is printed when it happens (the other pods keep streaming);
  // the returned error only counts them, so the one error line is the last.
  std::mutex errors_mu;
  size_t failed = 0;
  std::vector<std::thread> threads;
  threads.reserve(pods.size());
  for (size_t i = 0; i < pods.size(); ++i) {
    threads.emplace_back([&, i] {
      const std::string pod = NameOf(pods[i]);
      const std::string container = LogContainer(pods[i], options.container);
      Status followed = FollowPodLog(
          client, clock,
          [&](const std::optional<std::string>& since_time) {
            return PodLogPath(pods[i], container, options, /*timestamps=*/true, since_time);
          },
          [&](std::string_view lines) { sink.Feed(pod, lines); });
      sink.Close(pod);
      if (!followed.ok()) {
        sink.Warn(fmt::format("pod {}: {}", pod, followed.error().message()));
        std::lock_guard<std::mutex> lock(errors_mu);
        ++failed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed > 0) {
    return Error(ErrorKind::kServer,
                 fmt::format("the logs of {} of {} pods could not be followed (named above)", failed, pods.size()));
  }
  return Ok();
}

void SetupLogsCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<LogsOptions>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve or train)");
  cmd->add_option("--rank", options->rank, "Only the pod of this rank (training) or worker index (LeaderWorkerSet)");
  cmd->add_option("--role", options->role, "Only leader or worker pods of a LeaderWorkerSet");
  cmd->add_option("-c,--container", options->container, "The container (default: the pod's default container)");
  cmd->add_flag("-f,--follow", options->follow, "Stream new lines as they are written");
  cmd->add_option("--tail", options->tail, "Lines of recent log per pod (-1: all)");
  auto since = std::make_shared<std::string>();
  cmd->add_option("--since", *since, "Only lines newer than this: seconds (300) or a duration (5m, 1h)");
  cmd->add_flag("--prefix,!--no-prefix", options->prefix, "Prefix each line with its pod's name and role");
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
