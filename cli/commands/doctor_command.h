// `kubectl llm doctor`: is this cluster ready for serve, train and
// validate-nodes, and may this user use them? One line per check:
//   [ok]   passed
//   [warn] works, but a feature is unavailable (a CRD absent, nodes unreadable)
//   [fail] serve/train will not work until this is fixed
// Exit code 0 when nothing failed (warnings allowed), 1 when anything failed.
// When the API server cannot be reached, that is the only check printed.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "kube/access_review.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"

namespace llm {

enum class CheckLevel { kOk, kWarn, kFail };

struct DoctorCheck {
  CheckLevel level;
  std::string message;
};

/// "[ok]   message" (labels padded to one width).
std::string FormatDoctorCheck(const DoctorCheck& check);

/// Whether the caller may do it.
using AccessReviewFn = std::function<Result<bool>(const kube::AccessQuestion&)>;

/// SelfSubjectAccessReview through `client`.
AccessReviewFn SelfSubjectAccessReview(kube::RestClient& client);

struct DoctorTarget {
  kube::RestClient& client;
  kube::RestMapper& mapper;
  AccessReviewFn can;
  std::string ns;
  std::string server;  ///< for the first line
  std::chrono::system_clock::time_point now;
};

/// Runs every check, printing each line as it is known; returns them all.
std::vector<DoctorCheck> RunDoctorChecks(const DoctorTarget& target, IoStreams streams);

/// 0 when no check failed, else 1.
int DoctorExitCode(const std::vector<DoctorCheck>& checks);

/// doctor --print-rbac: the RBAC of render/plugin_rbac.h for -n or the context's namespace.
Status PrintPluginRbac(const kube::ConfigFlags& flags, IoStreams streams);

void SetupDoctorCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm
