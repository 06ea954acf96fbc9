#include "report_json.h"

#include <cmath>

#include <fmt/format.h>

#include "health_evaluation.h"

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

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json CountersJson(const HealthCounters& c) {
  return {{"ecc_uncorrected_volatile", OrNull(c.ecc_uncorrected_volatile)},
          {"ecc_uncorrected_aggregate", OrNull(c.ecc_uncorrected_aggregate)},
          {"ecc_corrected_volatile", OrNull(c.ecc_corrected_volatile)},
          {"retired_pages_sbe", OrNull(c.retired_pages_sbe)},
          {"retired_pages_dbe", OrNull(c.retired_pages_dbe)},
          {"retired_pages_pending", OrNull(c.retired_pages_pending)},
          {"remapped_rows_correctable", OrNull(c.remapped_rows_correctable)},
          {"remapped_rows_uncorrectable", OrNull(c.remapped_rows_uncorrectable)},
          {"remap_pending", OrNull(c.remap_pending)},
          {"remap_failure", OrNull(c.remap_failure)},
          {"pcie_replays", OrNull(c.pcie_replays)}};
}

nlohmann::json NvlinkCountsJson(const std::optional<NvlinkErrorCounts>& c) {
  if (!c) return nullptr;
  return {{"replay", c->replay}, {"recovery", c->recovery}, {"crc_flit", c->crc_flit}, {"crc_data", c->crc_data}};
}

nlohmann::json RoundedOrNull(const std::optional<double>& v) {
  return v ? nlohmann::json(std::round(*v * 10.0) / 10.0) : nlohmann::json(nullptr);
}

nlohmann::json HealthJson(const HealthSection& h) {
  nlohmann::json gpus = nlohmann::json::array();
  for (const GpuHealth& g : h.gpus) {
    nlohmann::json links = nlohmann::json::array();
    for (const NvlinkLink& l : g.nvlinks) {
      links.push_back({{"link", l.link},
                       {"active", l.active},
                       {"before", NvlinkCountsJson(l.before)},
                       {"after", NvlinkCountsJson(l.after)}});
    }
    nlohmann::json xids = nlohmann::json::array();
    for (const XidEvent& e : g.xids) xids.push_back(e.xid);
    gpus.push_back({{"gpu", g.gpu},
                    {"uuid", g.uuid},
                    {"persistence_mode", OrNull(g.persistence_mode)},
                    {"mig_mode", OrNull(g.mig_mode)},
                    {"ecc_enabled", OrNull(g.ecc_enabled)},
                    {"before", CountersJson(g.before)},
                    {"after", CountersJson(g.after)},
                    {"pcie",
                     {{"max_gen", OrNull(g.pcie_max_gen)},
                      {"max_width", OrNull(g.pcie_max_width)},
                      {"gen_under_load", OrNull(g.pcie_gen_under_load)},
                      {"width_under_load", OrNull(g.pcie_width_under_load)}}},
                    {"load_samples", g.load_samples},
                    {"clocks_event_reasons", g.clocks_event_reasons
                                                 ? nlohmann::json(fmt::format("0x{:x}", *g.clocks_event_reasons))
                                                 : nlohmann::json(nullptr)},
                    {"clocks_event_reason_names", g.clocks_event_reasons
                                                      ? nlohmann::json(ClockEventReasonNames(*g.clocks_event_reasons))
                                                      : nlohmann::json(nullptr)},
                    {"temperature_max_c", OrNull(g.temperature_max_c)},
                    {"slowdown_temp_c", OrNull(g.slowdown_temp_c)},
                    {"shutdown_temp_c", OrNull(g.shutdown_temp_c)},
                    {"power_max_w", RoundedOrNull(g.power_max_w)},
                    {"power_limit_w", RoundedOrNull(g.power_limit_w)},
                    {"default_power_limit_w", RoundedOrNull(g.default_power_limit_w)},
                    {"nvlinks", std::move(links)},
                    {"xids", std::move(xids)},
                    {"unsupported", g.unsupported}});
  }
  nlohmann::json findings = nlohmann::json::array();
  for (const HealthFinding& f : h.findings) {
    findings.push_back({{"gpu", f.gpu},
                        {"rule", f.rule},
                        {"severity", FindingSeverityName(f.severity)},
                        {"exit_code", static_cast<int>(f.code)},
                        {"message", f.message}});
  }
  return {{"driver_version", h.driver_version},
          {"cuda_driver_version", h.cuda_driver_version},
          {"load_seconds", Round3(h.load_seconds)},
          {"xid_unavailable", h.xid_unavailable},
          {"gpus", std::move(gpus)},
          {"findings", std::move(findings)}};
}

nlohmann::json TestJson(const TestResult& t) {
  nlohmann::json j = {
      {"name", t.name},     {"status", TestStatusName(t.status)}, {"exit_code", static_cast<int>(t.code)},
      {"reason", t.reason}, {"duration_s", Round3(t.duration_s)}, {"unit", "GB/s"},
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
  if (t.health) j["health"] = HealthJson(*t.health);
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
