// `kubectl llm logs NAME`: the logs of every pod of a workload (label
// app.kubernetes.io/instance=NAME) in one stream, each line prefixed with the
// pod's place in it ("[chat-0 leader]", "[train-3 rank=3]"). With -f, one
// follow request per pod, each on its own thread, merged into whole lines so
// two pods never share an output line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "util/clock.h"

namespace llm {

struct LogsOptions {
  std::string name{};
  std::optional<int64_t> rank{};  ///< --rank: a training job's completion index, a LeaderWorkerSet's worker index
  std::string role{};             ///< --role: "", leader, worker
  std::string container{};        ///< -c: else the pod's default container
  bool follow = false;            ///< -f
  std::optional<int64_t> tail{};  ///< --tail: lines per pod (kubectl's -1 = all)
  std::optional<int64_t> since_seconds{};  ///< --since, in seconds
  std::string since_time{};                ///< --since-time: RFC 3339, as the API takes it
  bool previous = false;                   ///< -p: the previous instance of each container
  bool timestamps = false;                 ///< --timestamps: each line with its RFC 3339 timestamp
  bool all_containers = false;             ///< --all-containers: every container of each pod
  bool prefix = true;                      ///< --prefix=false drops the prefixes
};

Status ValidateLogsOptions(const LogsOptions& options);
/// --since: a duration with its unit ("300s", "5m", "1h30m"); a bare number is
/// refused, as kubectl refuses it.
Result<int64_t> ParseSinceSeconds(std::string_view text);

/// The pods `options` selects from `pods` (a PodList's items), in display-name order.
std::vector<nlohmann::json> SelectLogPods(const std::vector<nlohmann::json>& pods, const LogsOptions& options);

/// "/api/v1/namespaces/NS/pods/POD/log?container=..&follow=true&tailLines=..&sinceSeconds=..";
/// `timestamps` adds timestamps=true; `since_time` (a resumed follow) replaces
/// tailLines and sinceSeconds with sinceTime.
std::string PodLogPath(const nlohmann::json& pod, const std::string& container, const LogsOptions& options,
                       bool timestamps = false, const std::optional<std::string>& since_time = std::nullopt);

/// The container whose log is read: -c, else the kubectl.kubernetes.io/default-container
/// annotation, else the first container.
std::string LogContainer(const nlohmann::json& pod, const std::string& requested);
/// --all-containers: the pod's init containers, containers and ephemeral
/// containers, in that order (as kubectl logs --all-containers reads them).
std::vector<std::string> AllLogContainers(const nlohmann::json& pod);

/// With -f, each pod's stream is opened again when its connection drops
/// (FollowPodLog); `clock` times the waits in between.
Status RunLogs(const LogsOptions& options, kube::RestClient& client, Clock& clock, const std::string& ns,
               IoStreams streams);

void SetupLogsCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm
