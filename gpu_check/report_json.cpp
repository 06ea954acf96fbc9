#include "report_json.h"

#include <cmath>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

double Round3(double x) { return std::round(x * 1000.0) / 1000.0; }

nlohmann::json SeriesJson(const Series& s) {
  nlohmann::json samples = nlohmann::json::array();
  for (double x : s.samples) samples.push_back(Round3(x));
  nlohmann::json j = {
      {"metric", s.metric},
      {"gpu", s.gpu},
      {"median", Round3(s.stats.median)},
      {"min", Round3(s.stats.min)},
      {"max", Round3(s.stats.max)},
      {"mean", Round3(s.stats.mean)},
      {"cv", std::round(s.stats.cv * 1e4) / 1e4},
      {"samples", std::move(samples)},
      {"attempts", s.attempts},
      {"mismatches", s.mismatches},
      {"floor", s.floor ? nlohmann::json(*s.floor) : nlohmann::json(nullptr)},
      {"status", TestStatusName(s.status)},
  };
  if (s.peer >= 0) j["peer"] = s.peer;
  if (!s.reason.empty()) j["reason"] = s.reason;
  return j;
}

nlohmann::json TestJson(const TestResult& t) {
  nlohmann::json j = {
      {"name", t.name},
      {"status", TestStatusName(t.status)},
      {"exit_code", static_cast<int>(t.code)},
      {"reason", t.reason},
      {"duration_s", Round3(t.duration_s)},
      {"unit", "GB/s"},
  };
  nlohmann::json series = nlohmann::json::array();
  for (const Series& s : t.series) series.push_back(SeriesJson(s));
  j["series"] = std::move(series);
  if (!t.nccl.empty() || t.nccl_ranks > 0) {
    nlohmann::json results = nlohmann::json::array();
    for (const NcclPoint& p : t.nccl) {
      results.push_back({{"bytes", p.bytes},
                         {"in_place", p.in_place},
                         {"time_us", Round3(p.time_us)},
                         {"algbw", Round3(p.algbw)},
                         {"busbw", Round3(p.busbw)},
                         {"busbw_factor", Round3(p.bus_factor)},
                         {"wrong", p.wrong}});
    }
    j["nccl"] = {{"ranks", t.nccl_ranks}, {"algo", t.nccl_algo}, {"results", std::move(results)}};
  }
  if (!t.peer_access.empty()) j["peer_access"] = t.peer_access;
  return j;
}

}  // namespace

nlohmann::json ToJson(const Report& report) {
  nlohmann::json gpus = nlohmann::json::array();
  for (const GpuInfo& g : report.gpus) {
    gpus.push_back({{"index", g.index},
                    {"uuid", g.uuid},
                    {"name", g.name},
                    {"model", g.model},
                    {"pci_bus_id", g.pci_bus_id},
                    {"pci_device_id", fmt::format("0x{:04x}", g.pci_device_id)},
                    {"numa_node", g.numa_node},
                    {"sm_count", g.sm_count},
                    {"memory_bytes", g.memory_bytes},
                    {"compute_capability", fmt::format("{}.{}", g.cc_major, g.cc_minor)}});
  }
  nlohmann::json lint = nlohmann::json::array();
  for (const LintFinding& f : report.lint) {
    lint.push_back({{"key", f.key}, {"message", f.message}, {"blocking", f.blocking}});
  }
  nlohmann::json tests = nlohmann::json::array();
  for (const TestResult& t : report.tests) tests.push_back(TestJson(t));
  nlohmann::json links = nlohmann::json::array();
  for (const SuspectLink& l : report.verdict.suspect_links) links.push_back({l.gpu, l.peer});
  const RunConfig& c = report.config;
  return {
      {"schema_version", kSchemaVersion},
      {"tool", {{"name", report.tool.name}, {"version", report.tool.version}, {"git", report.tool.git}}},
      {"node",
       {{"hostname", report.node.hostname},
        {"node_name", report.node.node_name},
        {"pod", report.node.pod},
        {"namespace", report.node.pod_namespace}}},
      {"software",
       {{"driver", report.software.driver},
        {"cuda_runtime", report.software.cuda_runtime},
        {"nccl", report.software.nccl},
        {"env", report.software.nccl_env}}},
      {"gpus", std::move(gpus)},
      {"config",
       {{"profile", c.profile},
        {"tests", c.tests},
        {"expect_gpus", c.expect_gpus},
        {"world_size", c.world_size},
        {"rank", c.rank},
        {"timeout_s", c.timeout_s},
        {"thresholds", c.thresholds_source},
        {"outlier_ratio", c.outlier_ratio}}},
      {"lint", std::move(lint)},
      {"tests", std::move(tests)},
      {"verdict",
       {{"status", TestStatusName(report.verdict.status)},
        {"exit_code", static_cast<int>(report.verdict.exit_code)},
        {"exit_reason", ExitCodeName(report.verdict.exit_code)},
        {"failed_tests", report.verdict.failed_tests},
        {"suspect_gpus", report.verdict.suspect_gpus},
        {"suspect_links", std::move(links)},
        {"reason", report.verdict.reason}}},
      {"started_at", report.started_at},
      {"finished_at", report.finished_at},
      {"partial", report.partial},
  };
}

}  // namespace llm::gpu_check
