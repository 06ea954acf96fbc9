#include "node_validation/validation_report.h"
#include "output/human_duration.h"
#include "output/object_printer.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace llm {
namespace {

/// Rounded half away from zero, as in the JSON, so 478.25 reads 478.3 in both.
std::string Gbps(const std::optional<double>& value) {
  return value ? fmt::format("{:.1f}", std::round(*value * 10.0) / 10.0) : "-";
}

nlohmann::ordered_json RoundedOrNull(const std::optional<double>& value) {
  if (!value) return nullptr;
  return std::round(*value * 10.0) / 10.0;
}

template <typename R>
std::optional<long long> DurationSeconds(const R& r) {
  if (!r.started_at || !r.finished_at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*r.finished_at - *r.started_at).count();
}

nlohmann::ordered_json RoundedList(const std::vector<std::optional<double>>& values) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& v : values) out.push_back(RoundedOrNull(v));
  return out;
}

nlohmann::ordered_json HealthJson(const HealthNotes& h) {
  if (!h.checked) return nullptr;
  auto notes = [](const std::vector<HealthNote>& list) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const HealthNote& n : list) out.push_back({{"gpu", n.gpu}, {"rule", n.rule}});
    return out;
  };
  return {{"failed", notes(h.failed)}, {"warnings", notes(h.warnings)}};
}

nlohmann::ordered_json DetailJson(const NodeDetail& d) {
  if (d.empty()) return nullptr;
  nlohmann::ordered_json p2p = nlohmann::ordered_json::array();
  for (const auto& row : d.p2p) p2p.push_back(RoundedList(row));
  nlohmann::ordered_json floors = nlohmann::ordered_json::object();
  for (const auto& [name, value] : d.floors) floors[name] = value;
  return {{"hbmGBps", RoundedList(d.hbm)},
          {"h2dGBps", RoundedList(d.h2d)},
          {"d2hGBps", RoundedList(d.d2h)},
          {"p2pGBps", std::move(p2p)},
          {"floorsGBps", std::move(floors)}};
}

nlohmann::ordered_json TimeOrNull(const std::optional<TimePoint>& t) {
  return t ? nlohmann::ordered_json(FormatRfc3339(*t)) : nlohmann::ordered_json(nullptr);
}

using Row = std::vector<std::string>;

/// kubectl's layout: columns padded to their widest cell, three spaces apart.
std::string Columns(const std::vector<Row>& rows) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}   ", row[i], widths[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string ShortDuration(const std::optional<long long>& seconds) {
  return seconds ? HumanDuration(Seconds(*seconds)) : "-";
}

void EmitYaml(YAML::Emitter& out, const nlohmann::ordered_json& j) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, value] : j.items()) {
      out << YAML::Key << key << YAML::Value;
      EmitYaml(out, value);
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& value : j) EmitYaml(out, value);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    // Quoted always, so "1.0" or "true" in a reason stays a string.
    out << YAML::DoubleQuoted << j.get<std::string>();
  } else if (j.is_null()) {
    out << YAML::Null;
  } else if (j.is_boolean()) {
    out << j.get<bool>();
  } else if (j.is_number_integer()) {
    out << j.get<long long>();
  } else {
    out << j.dump();  // nlohmann prints the shortest round-tripping form
  }
}

}  // namespace

void AddProducts(const NodeSelection& selection, std::vector<NodeResult>& results) {
  std::unordered_map<std::string, const NodeCandidate*> candidates;
  for (const NodeCandidate& c : selection.to_test) candidates.emplace(c.name, &c);
  for (NodeResult& r : results) {
    if (auto it = candidates.find(r.node); it != candidates.end()) {
      r.product = it->second->product;
      r.zone = it->second->zone;
    }
  }
}

void ApplyMultiNodeResults(const std::vector<MultiNodeNodeResult>& multi, NodeValidationReport& report) {
  for (const MultiNodeNodeResult& m : multi) report.multi_node_results[m.node] = m;
  for (NodeResult& r : report.results) {
    const auto it = report.multi_node_results.find(r.node);
    if (it == report.multi_node_results.end() || r.verdict != Verdict::kPass) continue;
    switch (it->second.conclusion) {
      case MultiNodeConclusion::kBad:
        r.verdict = Verdict::kFail;
        break;
      case MultiNodeConclusion::kInconclusive:
      case MultiNodeConclusion::kError:
        r.verdict = Verdict::kError;
        break;
      case MultiNodeConclusion::kGood:
      case MultiNodeConclusion::kUntested:
        continue;
    }
    r.reason = "multi-node: " + it->second.reason;
  }
}

int ReportExitCode(const NodeValidationReport& report) {
  const bool all_passed = std::all_of(report.results.begin(), report.results.end(),
                                      [](const NodeResult& r) { return r.verdict == Verdict::kPass; });
  return all_passed ? kValidateExitAllPassed : kValidateExitNodesFailed;
}

int ValidateNodesExitCodeForError(const Error& error) {
  return error.kind() == ErrorKind::kUsage ? kValidateExitUsage : kValidateExitNotRun;
}

nlohmann::ordered_json ReportJson(const NodeValidationReport& report) {
  int passed = 0, failed = 0, errors = 0;
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const NodeResult& r : report.results) {
    passed += r.verdict == Verdict::kPass ? 1 : 0;
    failed += r.verdict == Verdict::kFail ? 1 : 0;
    errors += r.verdict == Verdict::kError ? 1 : 0;
    nlohmann::ordered_json n;
    n["name"] = r.node;
    n["product"] = r.product;
    n["verdict"] = VerdictName(r.verdict);
    n["reason"] = r.reason;
    n["pod"] = r.pod;
    n["exitCode"] = r.exit_code ? nlohmann::ordered_json(*r.exit_code) : nlohmann::ordered_json(nullptr);
    n["model"] = r.model;
    n["gpuCount"] = r.gpu_count;
    n["startedAt"] = r.started_at ? nlohmann::ordered_json(FormatRfc3339(*r.started_at)) : nullptr;
    n["finishedAt"] = r.finished_at ? nlohmann::ordered_json(FormatRfc3339(*r.finished_at)) : nullptr;
    const auto duration = DurationSeconds(r);
    n["durationSeconds"] = duration ? nlohmann::ordered_json(*duration) : nullptr;
    n["bandwidthGBps"] = {{"hbm", RoundedOrNull(r.bandwidth.hbm)},
                          {"h2d", RoundedOrNull(r.bandwidth.h2d)},
                          {"d2h", RoundedOrNull(r.bandwidth.d2h)},
                          {"p2pMin", RoundedOrNull(r.bandwidth.p2p_min)},
                          {"allReduceBusBw", RoundedOrNull(r.bandwidth.allreduce_busbw)}};
    n["suspectGpus"] = r.suspect_gpus;
    n["zone"] = r.zone;
    n["health"] = HealthJson(r.health);
    n["detail"] = DetailJson(r.detail);
    if (report.multi_node) {
      const auto it = report.multi_node_results.find(r.node);
      if (it == report.multi_node_results.end()) {
        n["multiNode"] = nullptr;  // not paired: it did not pass alone
      } else {
        const MultiNodeNodeResult& m = it->second;
        n["multiNode"] = {{"result", MultiNodeConclusionName(m.conclusion)},
                          {"reason", m.reason},
                          {"allReduceBusBw", RoundedOrNull(m.allreduce_busbw)},
                          {"pairs", m.jobs}};
      }
    }
    nodes.push_back(std::move(n));
  }
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const SkippedNode& s : report.skipped) {
    skipped.push_back({{"name", s.name}, {"product", s.product}, {"reason", s.reason}, {"zone", s.zone}});
  }
  nlohmann::ordered_json j;
  j["apiVersion"] = "kubectl-llm.dev/v1alpha1";
  j["kind"] = "NodeValidationReport";
  j["metadata"] = {{"creationTimestamp", FormatRfc3339(report.finished_at)}};
  j["spec"] = {{"profile", report.profile}, {"image", report.image},     {"toolVersion", report.tool_version},
               {"dryRun", report.dry_run},  {"record", report.recorded}, {"taintFailed", report.tainted}};
  j["status"] = {{"startedAt", FormatRfc3339(report.started_at)},
                 {"finishedAt", FormatRfc3339(report.finished_at)},
                 {"summary",
                  {{"tested", report.results.size()},
                   {"passed", passed},
                   {"failed", failed},
                   {"errors", errors},
                   {"skipped", report.skipped.size()}}},
                 {"nodes", std::move(nodes)},
                 {"skipped", std::move(skipped)}};
  if (report.multi_node) {
    j["spec"]["multiNode"] = true;
    nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
    for (const PairTestResult& p : report.pairs) {
      const auto duration = DurationSeconds(p);
      pairs.push_back({{"job", p.job},
                       {"nodes", {p.nodes.first, p.nodes.second}},
                       {"round", p.round},
                       {"verdict", VerdictName(p.verdict)},
                       {"reason", p.reason},
                       {"allReduceBusBw", RoundedOrNull(p.allreduce_busbw)},
                       {"startedAt", TimeOrNull(p.started_at)},
                       {"finishedAt", TimeOrNull(p.finished_at)},
                       {"durationSeconds", duration ? nlohmann::ordered_json(*duration) : nullptr}});
    }
    j["status"]["pairs"] = std::move(pairs);
  }
  return j;
}

std::string FormatReportTable(const NodeValidationReport& report) {
  const bool multi = report.multi_node;
  auto with_multi = [&](Row row, std::string cell) {
    if (multi) row.insert(row.begin() + 8, std::move(cell));  // after ALLREDUCE BUSBW
    return row;
  };
  std::vector<Row> rows = {with_multi(
      {"NODE", "PRODUCT", "VERDICT", "HBM", "H2D", "D2H", "P2P MIN", "ALLREDUCE BUSBW", "DURATION", "REASON"},
      "MULTI-NODE BUSBW")};
  for (const NodeResult& r : report.results) {
    const auto m = report.multi_node_results.find(r.node);
    rows.push_back(
        with_multi({r.node, r.product.empty() ? "-" : r.product, std::string(VerdictName(r.verdict)),
                    Gbps(r.bandwidth.hbm), Gbps(r.bandwidth.h2d), Gbps(r.bandwidth.d2h), Gbps(r.bandwidth.p2p_min),
                    Gbps(r.bandwidth.allreduce_busbw), ShortDuration(DurationSeconds(r)), r.reason},
                   m == report.multi_node_results.end() ? "-" : Gbps(m->second.allreduce_busbw)));
  }
  for (const SkippedNode& s : report.skipped) {
    rows.push_back(with_multi(
        {s.name, s.product.empty() ? "-" : s.product, "skipped", "-", "-", "-", "-", "-", "-", s.reason}, "-"));
  }
  std::string out = Columns(rows);
  if (multi && !report.pairs.empty()) {
    std::vector<Row> pairs = {{"NODES", "JOB", "ROUND", "VERDICT", "BUSBW", "DURATION", "REASON"}};
    for (const PairTestResult& p : report.pairs) {
      pairs.push_back({p.nodes.first + "," + p.nodes.second, p.job, std::to_string(p.round),
                       std::string(VerdictName(p.verdict)), Gbps(p.allreduce_busbw), ShortDuration(DurationSeconds(p)),
                       p.reason});
    }
    // Two appends, not `"\n" + Columns(pairs)`: at -O3 GCC 12 inlines that
    // operator+ into a memcpy it wrongly calls overlapping (-Wrestrict, GCC bug 105651).
    out += '\n';
    out += Columns(pairs);
  }
  return out;
}

Result<std::string> FormatReport(const NodeValidationReport& report, const OutputSpec& output) {
  if (output.is_table() || output.is_document()) return FormatReport(report, output.format);
  return FormatDocument(ReportJson(report), output);
}

std::string FormatReport(const NodeValidationReport& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
      return ReportJson(report).dump(2) + "\n";
    case OutputFormat::kYaml: {
      YAML::Emitter out;
      EmitYaml(out, ReportJson(report));
      return std::string(out.c_str()) + "\n";
    }
    default:
      return FormatReportTable(report);
  }
}

}  // namespace llm
