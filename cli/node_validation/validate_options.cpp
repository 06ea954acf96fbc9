#include "node_validation/validate_options.h"

#include <algorithm>

#include <fmt/format.h>

namespace llm {
namespace {

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

/// A node name is a DNS subdomain (RFC 1123): lowercase alphanumerics, '-'
/// and '.', at most 253 characters, starting and ending alphanumeric.
bool IsNodeName(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-' || c == '.'; });
}

}  // namespace

Seconds DefaultCheckTimeout(const std::string& profile) {
  return profile == "full" ? Seconds(30 * 60) : Seconds(10 * 60);
}

Result<ValidateNodesConfig> ValidateNodesFlags(const ValidateNodesOptions& o) {
  ValidateNodesConfig c;
  for (const std::string& node : o.nodes) {
    if (!IsNodeName(node)) {
      return Usage(
          fmt::format("invalid node name \"{}\": a node name is a DNS subdomain (lowercase letters, "
                      "digits, '-' and '.', at most 253 characters)",
                      node));
    }
  }
  c.nodes = o.nodes;
  std::sort(c.nodes.begin(), c.nodes.end());
  c.nodes.erase(std::unique(c.nodes.begin(), c.nodes.end()), c.nodes.end());
  if (!c.nodes.empty() && !o.selector.empty()) {
    return Usage("--selector cannot be combined with node names: give either NODE... or -l SELECTOR");
  }
  LLM_ASSIGN_OR_RETURN(c.selector, LabelSelector::Parse(o.selector, "--selector"));

  if (o.profile != "quick" && o.profile != "full") {
    return Usage(fmt::format("--profile must be quick or full, got \"{}\"", o.profile));
  }
  c.profile = o.profile;

  if (o.image.find_first_of(" \t\r\n") != std::string::npos) {
    return Usage(fmt::format("--image \"{}\" is not an image reference: it contains whitespace", o.image));
  }
  c.image = o.image;

  if (o.timeout.empty()) {
    c.timeout = DefaultCheckTimeout(o.profile);
  } else {
    LLM_ASSIGN_OR_RETURN(c.timeout, ParseDuration(o.timeout, "--timeout"));
    if (c.timeout < Seconds(30)) {
      return Usage(
          fmt::format("--timeout must be at least 30s (the self-test alone needs about a minute), got {}", o.timeout));
    }
  }

  if (o.max_parallel < 1) {
    return Usage(fmt::format("--max-parallel must be at least 1, got {}", o.max_parallel));
  }
  c.max_parallel = o.max_parallel;

  LLM_ASSIGN_OR_RETURN(c.dry_run, kube::ParseDryRun(o.dry_run, kValidateNodesDryRuns));
  LLM_ASSIGN_OR_RETURN(c.output, ParseOutputFormat(o.output, kValidateNodesOutputs));

  LLM_ASSIGN_OR_RETURN(c.validity, ParseDuration(o.validity, "--validity"));
  if (c.validity <= Seconds(0)) return Usage("--validity must be longer than 0s");
  LLM_ASSIGN_OR_RETURN(c.unschedulable_grace, ParseDuration(o.unschedulable_grace, "--unschedulable-grace"));

  c.report_path = o.report;
  c.from_json = o.from_json;
  if (!o.from_json.empty()) {
    // Drawing a saved result touches no cluster, so nothing that selects or
    // changes nodes applies.
    if (o.report.empty())
      return Usage("--from-json draws a saved result: give the page to write with --report FILE.html");
    if (!c.nodes.empty() || !o.selector.empty()) {
      return Usage("--from-json draws a saved result; node names and --selector choose nodes to test, not to draw");
    }
    if (o.record || o.taint_failed || o.multi_node || c.dry_run != kube::DryRun::kNone) {
      return Usage("--from-json draws a saved result; --record, --taint-failed, --multi-node and --dry-run need a run");
    }
  } else if (!o.report.empty() && c.dry_run != kube::DryRun::kNone) {
    return Usage("--report draws a run's results; --dry-run runs nothing");
  }

  c.record = o.record;
  c.taint_failed = o.taint_failed;
  c.include_busy = o.include_busy;
  c.keep = o.keep;
  c.multi_node = o.multi_node;
  return c;
}

}  // namespace llm
