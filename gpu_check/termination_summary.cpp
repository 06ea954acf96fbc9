#include "termination_summary.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

namespace llm::gpu_check {
namespace {

double Round1(double x) { return std::round(x * 10.0) / 10.0; }

nlohmann::json OptionalList(const std::vector<std::optional<double>>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : values) out.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
  return out;
}

nlohmann::json FindingsJson(const std::vector<SummaryFinding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const SummaryFinding& f : findings) out.push_back({f.gpu, f.rule});
  return out;
}

nlohmann::json ToJson(const TerminationSummary& s) {
  nlohmann::json tests = nlohmann::json::object();
  for (const auto& [name, status] : s.tests) tests[name] = TestStatusName(status);
  nlohmann::json links = nlohmann::json::array();
  for (const SuspectLink& l : s.suspect_links) links.push_back({l.gpu, l.peer});
  nlohmann::json j = {
      {"schema_version", s.schema_version},
      {"status", TestStatusName(s.status)},
      {"exit_code", s.exit_code},
      {"exit_reason", s.exit_reason},
      {"reason", s.reason},
      {"node", s.node},
      {"gpu_count", s.gpu_count},
      {"model", s.model},
      {"tests", std::move(tests)},
      {"suspect_gpus", s.suspect_gpus},
      {"suspect_links", std::move(links)},
      {"partial", s.partial},
      {"truncated", s.truncated},
  };
  if (!s.worst.empty()) j["worst"] = s.worst;
  if (s.health_checked) j["health"] = {{"fail", FindingsJson(s.health_fail)}, {"warn", FindingsJson(s.health_warn)}};
  if (!s.per_gpu.empty()) {
    nlohmann::json per_gpu = nlohmann::json::object();
    for (const auto& [metric, values] : s.per_gpu) per_gpu[metric] = OptionalList(values);
    j["per_gpu"] = std::move(per_gpu);
  }
  if (!s.p2p_unidir.empty()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : s.p2p_unidir) rows.push_back(OptionalList(row));
    j["p2p_unidir"] = std::move(rows);
  }
  if (!s.floors.empty()) j["floors"] = s.floors;
  return j;
}

/// The figures the summary carries per GPU (validate-nodes draws them as bars).
constexpr const char* kPerGpuMetrics[] = {"hbm_copy", "h2d", "d2h"};

Result<std::vector<std::optional<double>>> ParseOptionalList(const nlohmann::json& j, const std::string& where);

Failure Bad(const std::string& message) { return Failure(ExitCode::kRuntimeError, "termination summary: " + message); }

Result<std::vector<std::optional<double>>> ParseOptionalList(const nlohmann::json& j, const std::string& where) {
  if (!j.is_array()) return Bad(where + " must be an array of numbers or nulls");
  std::vector<std::optional<double>> out;
  for (const auto& v : j) {
    if (v.is_null()) {
      out.emplace_back();
    } else if (v.is_number()) {
      out.emplace_back(v.get<double>());
    } else {
      return Bad(where + " must be an array of numbers or nulls");
    }
  }
  return out;
}

}  // namespace

TerminationSummary SummarizeReport(const Report& report) {
  TerminationSummary s;
  s.status = report.verdict.status;
  s.exit_code = static_cast<int>(report.verdict.exit_code);
  s.exit_reason = std::string(ExitCodeName(report.verdict.exit_code));
  s.reason = report.verdict.reason;
  s.node = report.node.node_name.empty() ? report.node.hostname : report.node.node_name;
  s.gpu_count = static_cast<int>(report.gpus.size());
  if (!report.gpus.empty()) s.model = report.gpus.front().model;
  for (const TestResult& t : report.tests) {
    s.tests[t.name] = t.status;
    for (const Series& series : t.series) {
      if (series.samples.empty()) continue;
      const double median = std::round(series.stats.median * 10.0) / 10.0;
      auto [it, inserted] = s.worst.emplace(series.metric, median);
      if (!inserted) it->second = std::min(it->second, median);
    }
  }
  s.suspect_gpus = report.verdict.suspect_gpus;
  s.suspect_links = report.verdict.suspect_links;
  s.partial = report.partial;
  const std::size_t n = report.gpus.size();
  for (const TestResult& t : report.tests) {
    for (const Series& series : t.series) {
      if (series.samples.empty() || series.gpu < 0 || static_cast<std::size_t>(series.gpu) >= n) continue;
      const auto g = static_cast<std::size_t>(series.gpu);
      const double median = Round1(series.stats.median);
      if (series.floor) s.floors[series.metric] = *series.floor;
      if (series.metric == "p2p_unidir" && series.peer >= 0 && static_cast<std::size_t>(series.peer) < n) {
        if (s.p2p_unidir.empty()) s.p2p_unidir.assign(n, std::vector<std::optional<double>>(n));
        s.p2p_unidir[g][static_cast<std::size_t>(series.peer)] = median;
        continue;
      }
      for (const char* metric : kPerGpuMetrics) {
        if (series.metric != metric) continue;
        auto& values = s.per_gpu[metric];
        if (values.empty()) values.resize(n);
        values[g] = median;
      }
    }
    if (t.health) {
      s.health_checked = true;
      for (const HealthFinding& f : t.health->findings) {
        (f.severity == FindingSeverity::kFail ? s.health_fail : s.health_warn).push_back({f.gpu, f.rule});
      }
    }
  }
  return s;
}

std::string FormatTerminationSummary(const TerminationSummary& summary, std::size_t max_bytes) {
  TerminationSummary s = summary;
  std::string text = ToJson(s).dump();
  if (text.size() <= max_bytes) return text;
  s.truncated = true;
  // What helps least when it is missing goes first: pictures, warnings, figures.
  const std::function<void()> drops[] = {
      [&] { s.p2p_unidir.clear(); },
      [&] {
        s.per_gpu.clear();
        s.floors.clear();
      },
      [&] { s.health_warn.clear(); },
      [&] { s.worst.clear(); },
  };
  for (const auto& drop : drops) {
    drop();
    text = ToJson(s).dump();
    if (text.size() <= max_bytes) return text;
  }
  while (text.size() > max_bytes && (s.health_fail.size() > 1 || !s.suspect_links.empty() || !s.suspect_gpus.empty())) {
    if (s.health_fail.size() > 1) {
      s.health_fail.pop_back();
    } else if (!s.suspect_links.empty()) {
      s.suspect_links.pop_back();
    } else {
      s.suspect_gpus.pop_back();
    }
    text = ToJson(s).dump();
  }
  if (text.size() > max_bytes) {
    // JSON escaping can grow the reason, so cut by the overshoot and retry.
    while (text.size() > max_bytes && !s.reason.empty()) {
      const std::size_t over = text.size() - max_bytes;
      s.reason.resize(s.reason.size() > over + 3 ? s.reason.size() - over - 3 : 0);
      // Never leave half a UTF-8 sequence at the end.
      while (!s.reason.empty() && (static_cast<unsigned char>(s.reason.back()) & 0xC0) == 0x80) s.reason.pop_back();
      if (!s.reason.empty() && (static_cast<unsigned char>(s.reason.back()) & 0x80) != 0) s.reason.pop_back();
      if (!s.reason.empty()) s.reason += "...";
      text = ToJson(s).dump();
    }
  }
  return text;
}

Result<TerminationSummary> ParseTerminationSummary(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("not a JSON object");
  TerminationSummary s;
  auto require = [&](const char* key, auto check) -> Status {
    if (!j.contains(key) || !check(j[key]))
      return Bad(std::string("field ") + key + " is missing or has the wrong type");
    return OkStatus();
  };
  auto is_int = [](const nlohmann::json& v) { return v.is_number_integer(); };
  auto is_string = [](const nlohmann::json& v) { return v.is_string(); };
  GC_RETURN_IF_ERROR(require("schema_version", is_int));
  s.schema_version = j["schema_version"].get<int>();
  if (s.schema_version != kSchemaVersion) {
    return Bad("schema_version " + std::to_string(s.schema_version) + " is not supported (want " +
               std::to_string(kSchemaVersion) + ")");
  }
  GC_RETURN_IF_ERROR(require("status", is_string));
  auto status = ParseTestStatus(j["status"].get<std::string>());
  if (!status) return Bad("status \"" + j["status"].get<std::string>() + "\" is not a test status");
  s.status = *status;
  GC_RETURN_IF_ERROR(require("exit_code", is_int));
  s.exit_code = j["exit_code"].get<int>();
  // Optional fields are type-checked like the required ones: json::value()
  // throws on another type, and a container may leave any text here (found by
  // tests/fuzz/termination_summary_fuzzer.cpp: "node": 5 ended validate-nodes).
  auto optional = [&](const char* key, auto check, const char* type) -> Status {
    if (j.contains(key) && !check(j[key])) return Bad(std::string("field ") + key + " must be " + type);
    return OkStatus();
  };
  auto is_bool = [](const nlohmann::json& v) { return v.is_boolean(); };
  for (const char* key : {"exit_reason", "reason", "node", "model"}) {
    GC_RETURN_IF_ERROR(optional(key, is_string, "a string"));
  }
  GC_RETURN_IF_ERROR(optional("gpu_count", is_int, "an integer"));
  GC_RETURN_IF_ERROR(optional("partial", is_bool, "a boolean"));
  GC_RETURN_IF_ERROR(optional("truncated", is_bool, "a boolean"));
  s.exit_reason = j.value("exit_reason", "");
  s.reason = j.value("reason", "");
  s.node = j.value("node", "");
  s.gpu_count = j.value("gpu_count", 0);
  s.model = j.value("model", "");
  s.partial = j.value("partial", false);
  s.truncated = j.value("truncated", false);
  if (j.contains("tests")) {
    if (!j["tests"].is_object()) return Bad("field tests must be an object");
    for (const auto& [name, value] : j["tests"].items()) {
      auto st = value.is_string() ? ParseTestStatus(value.get<std::string>()) : std::nullopt;
      if (!st) return Bad("tests." + name + " is not a test status");
      s.tests[name] = *st;
    }
  }
  if (j.contains("worst")) {
    if (!j["worst"].is_object()) return Bad("field worst must be an object");
    for (const auto& [metric, value] : j["worst"].items()) {
      if (!value.is_number()) return Bad("worst." + metric + " must be a number");
      s.worst[metric] = value.get<double>();
    }
  }
  if (j.contains("suspect_gpus")) {
    if (!j["suspect_gpus"].is_array()) return Bad("field suspect_gpus must be an array");
    for (const auto& g : j["suspect_gpus"]) {
      if (!g.is_number_integer()) return Bad("suspect_gpus must hold integers");
      s.suspect_gpus.push_back(g.get<int>());
    }
  }
  if (j.contains("suspect_links")) {
    if (!j["suspect_links"].is_array()) return Bad("field suspect_links must be an array");
    for (const auto& l : j["suspect_links"]) {
      if (!l.is_array() || l.size() != 2 || !l[0].is_number_integer() || !l[1].is_number_integer()) {
        return Bad("suspect_links must hold [gpu, peer] pairs");
      }
      s.suspect_links.push_back({l[0].get<int>(), l[1].get<int>()});
    }
  }
  if (j.contains("health")) {
    const nlohmann::json& h = j["health"];
    if (!h.is_object()) return Bad("field health must be an object");
    s.health_checked = true;
    for (const char* key : {"fail", "warn"}) {
      if (!h.contains(key)) continue;
      if (!h[key].is_array()) return Bad(std::string("health.") + key + " must be an array");
      for (const auto& f : h[key]) {
        if (!f.is_array() || f.size() != 2 || !f[0].is_number_integer() || !f[1].is_string()) {
          return Bad(std::string("health.") + key + " must hold [gpu, rule] pairs");
        }
        (std::string_view(key) == "fail" ? s.health_fail : s.health_warn)
            .push_back({f[0].get<int>(), f[1].get<std::string>()});
      }
    }
  }
  if (j.contains("per_gpu")) {
    if (!j["per_gpu"].is_object()) return Bad("field per_gpu must be an object");
    for (const auto& [metric, values] : j["per_gpu"].items()) {
      GC_ASSIGN_OR_RETURN(s.per_gpu[metric], ParseOptionalList(values, "per_gpu." + metric));
    }
  }
  if (j.contains("p2p_unidir")) {
    if (!j["p2p_unidir"].is_array()) return Bad("field p2p_unidir must be an array of rows");
    for (const auto& row : j["p2p_unidir"]) {
      GC_ASSIGN_OR_RETURN(auto parsed, ParseOptionalList(row, "p2p_unidir"));
      s.p2p_unidir.push_back(std::move(parsed));
    }
  }
  if (j.contains("floors")) {
    if (!j["floors"].is_object()) return Bad("field floors must be an object");
    for (const auto& [metric, value] : j["floors"].items()) {
      if (!value.is_number()) return Bad("floors." + metric + " must be a number");
      s.floors[metric] = value.get<double>();
    }
  }
  return s;
}

}  // namespace llm::gpu_check
