// `tenant verify`: isolation proven from the cluster's own answers. The
// pieces that need no cluster: the probe pods a server dry run sends, and how
// a refusal is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"

namespace llm::tenant {

/// A pod for a server dry run in `ns` that Pod Security `restricted` admits,
/// with one container per entry of `gpus_per_container` asking for that many
/// GPUs (and a little CPU and memory, which a quota on them requires).
nlohmann::json ProbePod(const std::string& ns, const std::string& name, const std::vector<int64_t>& gpus_per_container,
                        bool privileged = false);

/// How `total` GPUs are split over containers of at most `max_per_container`
/// (none: one container), so only the quota can refuse them.
std::vector<int64_t> SplitGpus(int64_t total, std::optional<int64_t> max_per_container);

/// The reasons the API server gives for refusing a pod.
bool RefusedByQuota(const std::string& message);
bool RefusedByLimitRange(const std::string& message);
bool RefusedByPodSecurity(const std::string& message);

struct VerifyRow {
  std::string subject;  ///< "user:alice", or "namespace" for the namespace's own checks
  std::string check;    ///< "may create pods in team-a"
  bool ok = false;      ///< false: a hole (or a member locked out)
  std::string detail;   ///< the cluster's answer
};

/// SUBJECT CHECK RESULT DETAIL, RESULT "ok" or "HOLE".
Table VerifyTable(const std::vector<VerifyRow>& rows);

}  // namespace llm::tenant
