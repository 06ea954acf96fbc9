#include "node_validation/report_reader.h"

#include <fmt/format.h>

namespace llm {
namespace {

using nlohmann::json;

Error Bad(const std::string& path, const std::string& what) {
  return Error(ErrorKind::kUsage, fmt::format("{}: {}", path, what));
}

/// Typed access to one object's fields, each error naming the field's path.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  bool Has(const std::string& key) const { return object_.contains(key) && !object_[key].is_null(); }
  const json& At(const std::string& key) const { return object_[key]; }

  Result<std::string> String(const std::string& key, bool required = false) const {
    if (!Has(key)) {
      if (required) return Bad(Path(key), "missing");
      return std::string();
    }
    if (!object_[key].is_string()) return Bad(Path(key), "must be a string");
    return object_[key].get<std::string>();
  }
  Result<bool> Bool(const std::string& key) const {
    if (!Has(key)) return false;
    if (!object_[key].is_boolean()) return Bad(Path(key), "must be true or false");
    return object_[key].get<bool>();
  }
  Result<std::optional<long long>> Int(const std::string& key) const {
    if (!Has(key)) return std::optional<long long>();
    if (!object_[key].is_number_integer()) return Bad(Path(key), "must be an integer");
    return std::optional<long long>(object_[key].get<long long>());
  }
  Result<std::optional<double>> Number(const std::string& key) const {
    if (!Has(key)) return std::optional<double>();
    if (!object_[key].is_number()) return Bad(Path(key), "must be a number");
    return std::optional<double>(object_[key].get<double>());
  }
  Result<std::optional<TimePoint>> Time(const std::string& key) const {
    LLM_ASSIGN_OR_RETURN(std::string text, String(key));
    if (text.empty()) return std::optional<TimePoint>();
    auto t = ParseRfc3339(text);
    if (!t) return Bad(Path(key), fmt::format("\"{}\" is not an RFC 3339 time", text));
    return std::optional<TimePoint>(*t);
  }
  Result<const json*> Array(const std::string& key) const {
    if (!Has(key)) return static_cast<const json*>(nullptr);
    if (!object_[key].is_array()) return Bad(Path(key), "must be a list");
    return &object_[key];
  }
  Result<Fields> Object(const std::string& key) const {
    if (Has(key) && !object_[key].is_object()) return Bad(Path(key), "must be an object");
    return Fields(Has(key) ? object_[key] : Empty(), Path(key));
  }

 private:
  static const json& Empty() {
    static const json empty = json::object();
    return empty;
  }
  const json& object_;
  std::string path_;
};

Result<Fields> Element(const json& list, std::size_t i, const std::string& path) {
  const std::string where = fmt::format("{}[{}]", path, i);
  if (!list[i].is_object()) return Bad(where, "must be an object");
  return Fields(list[i], where);
}

Result<Verdict> ParseVerdict(const Fields& f, const std::string& key) {
  LLM_ASSIGN_OR_RETURN(std::string text, f.String(key, /*required=*/true));
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kError}) {
    if (VerdictName(v) == text) return v;
  }
  return Bad(f.Path(key), fmt::format("\"{}\" is not a verdict (pass, fail, error)", text));
}

Result<std::vector<std::optional<double>>> NumberList(const json& value, const std::string& path) {
  if (!value.is_array()) return Bad(path, "must be a list of numbers or nulls");
  std::vector<std::optional<double>> out;
  for (const json& v : value) {
    if (v.is_null()) {
      out.emplace_back();
    } else if (v.is_number()) {
      out.emplace_back(v.get<double>());
    } else {
      return Bad(path, "must be a list of numbers or nulls");
    }
  }
  return out;
}

Result<HealthNotes> ParseHealth(const Fields& node) {
  HealthNotes h;
  if (!node.Has("health")) return h;
  LLM_ASSIGN_OR_RETURN(Fields f, node.Object("health"));
  h.checked = true;
  for (const char* key : {"failed", "warnings"}) {
    LLM_ASSIGN_OR_RETURN(const json* list, f.Array(key));
    if (list == nullptr) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      LLM_ASSIGN_OR_RETURN(Fields note, Element(*list, i, f.Path(key)));
      LLM_ASSIGN_OR_RETURN(std::optional<long long> gpu, note.Int("gpu"));
      LLM_ASSIGN_OR_RETURN(std::string rule, note.String("rule", /*required=*/true));
      (std::string_view(key) == "failed" ? h.failed : h.warnings).push_back({static_cast<int>(gpu.value_or(-1)), rule});
    }
  }
  return h;
}

Result<NodeDetail> ParseDetail(const Fields& node) {
  NodeDetail d;
  if (!node.Has("detail")) return d;
  LLM_ASSIGN_OR_RETURN(Fields f, node.Object("detail"));
  const std::pair<const char*, std::vector<std::optional<double>>*> lists[] = {
      {"hbmGBps", &d.hbm}, {"h2dGBps", &d.h2d}, {"d2hGBps", &d.d2h}};
  for (const auto& [key, target] : lists) {
    if (!f.Has(key)) continue;
    LLM_ASSIGN_OR_RETURN(*target, NumberList(f.At(key), f.Path(key)));
  }
  LLM_ASSIGN_OR_RETURN(const json* p2p, f.Array("p2pGBps"));
  if (p2p != nullptr) {
    for (std::size_t i = 0; i < p2p->size(); ++i) {
      LLM_ASSIGN_OR_RETURN(auto row, NumberList((*p2p)[i], fmt::format("{}[{}]", f.Path("p2pGBps"), i)));
      d.p2p.push_back(std::move(row));
    }
  }
  LLM_ASSIGN_OR_RETURN(Fields floors, f.Object("floorsGBps"));
  if (f.Has("floorsGBps")) {
    for (const auto& [name, value] : f.At("floorsGBps").items()) {
      if (!value.is_number()) return Bad(floors.Path(name), "must be a number");
      d.floors[name] = value.get<double>();
    }
  }
  return d;
}

Result<NodeResult> ParseNode(const Fields& f, NodeValidationReport& report) {
  NodeResult r;
  LLM_ASSIGN_OR_RETURN(r.node, f.String("name", /*required=*/true));
  LLM_ASSIGN_OR_RETURN(r.product, f.String("product"));
  LLM_ASSIGN_OR_RETURN(r.zone, f.String("zone"));
  LLM_ASSIGN_OR_RETURN(r.verdict, ParseVerdict(f, "verdict"));
  LLM_ASSIGN_OR_RETURN(r.reason, f.String("reason"));
  LLM_ASSIGN_OR_RETURN(r.pod, f.String("pod"));
  LLM_ASSIGN_OR_RETURN(auto exit_code, f.Int("exitCode"));
  if (exit_code) r.exit_code = static_cast<int>(*exit_code);
  LLM_ASSIGN_OR_RETURN(r.model, f.String("model"));
  LLM_ASSIGN_OR_RETURN(auto gpus, f.Int("gpuCount"));
  r.gpu_count = static_cast<int>(gpus.value_or(0));
  LLM_ASSIGN_OR_RETURN(r.started_at, f.Time("startedAt"));
  LLM_ASSIGN_OR_RETURN(r.finished_at, f.Time("finishedAt"));
  LLM_ASSIGN_OR_RETURN(Fields bw, f.Object("bandwidthGBps"));
  LLM_ASSIGN_OR_RETURN(r.bandwidth.hbm, bw.Number("hbm"));
  LLM_ASSIGN_OR_RETURN(r.bandwidth.h2d, bw.Number("h2d"));
  LLM_ASSIGN_OR_RETURN(r.bandwidth.d2h, bw.Number("d2h"));
  LLM_ASSIGN_OR_RETURN(r.bandwidth.p2p_min, bw.Number("p2pMin"));
  LLM_ASSIGN_OR_RETURN(r.bandwidth.allreduce_busbw, bw.Number("allReduceBusBw"));
  LLM_ASSIGN_OR_RETURN(const json* suspects, f.Array("suspectGpus"));
  if (suspects != nullptr) {
    for (const json& g : *suspects) {
      if (!g.is_number_integer()) return Bad(f.Path("suspectGpus"), "must be a list of GPU indices");
      r.suspect_gpus.push_back(g.get<int>());
    }
  }
  LLM_ASSIGN_OR_RETURN(r.health, ParseHealth(f));
  LLM_ASSIGN_OR_RETURN(r.detail, ParseDetail(f));
  if (f.Has("multiNode")) {
    LLM_ASSIGN_OR_RETURN(Fields m, f.Object("multiNode"));
    MultiNodeNodeResult mn;
    mn.node = r.node;
    LLM_ASSIGN_OR_RETURN(std::string result, m.String("result", /*required=*/true));
    bool known = false;
    for (MultiNodeConclusion c :
         {MultiNodeConclusion::kGood, MultiNodeConclusion::kBad, MultiNodeConclusion::kInconclusive,
          MultiNodeConclusion::kError, MultiNodeConclusion::kUntested}) {
      if (MultiNodeConclusionName(c) == result) {
        mn.conclusion = c;
        known = true;
      }
    }
    if (!known) return Bad(m.Path("result"), fmt::format("\"{}\" is not a multi-node result", result));
    LLM_ASSIGN_OR_RETURN(mn.reason, m.String("reason"));
    LLM_ASSIGN_OR_RETURN(mn.allreduce_busbw, m.Number("allReduceBusBw"));
    LLM_ASSIGN_OR_RETURN(const json* jobs, m.Array("pairs"));
    if (jobs != nullptr) {
      for (const json& j : *jobs) {
        if (j.is_string()) mn.jobs.push_back(j.get<std::string>());
      }
    }
    report.multi_node_results[r.node] = mn;
  }
  return r;
}

Result<PairTestResult> ParsePair(const Fields& f) {
  PairTestResult p;
  LLM_ASSIGN_OR_RETURN(p.job, f.String("job", /*required=*/true));
  LLM_ASSIGN_OR_RETURN(const json* nodes, f.Array("nodes"));
  if (nodes == nullptr || nodes->size() != 2 || !(*nodes)[0].is_string() || !(*nodes)[1].is_string()) {
    return Bad(f.Path("nodes"), "must be a list of two node names");
  }
  p.nodes = {(*nodes)[0].get<std::string>(), (*nodes)[1].get<std::string>()};
  LLM_ASSIGN_OR_RETURN(auto round, f.Int("round"));
  p.round = static_cast<int>(round.value_or(1));
  LLM_ASSIGN_OR_RETURN(p.verdict, ParseVerdict(f, "verdict"));
  LLM_ASSIGN_OR_RETURN(p.reason, f.String("reason"));
  LLM_ASSIGN_OR_RETURN(p.allreduce_busbw, f.Number("allReduceBusBw"));
  LLM_ASSIGN_OR_RETURN(p.started_at, f.Time("startedAt"));
  LLM_ASSIGN_OR_RETURN(p.finished_at, f.Time("finishedAt"));
  p.created = p.done = true;
  return p;
}

}  // namespace

Result<NodeValidationReport> ParseReportJson(const json& document) {
  if (!document.is_object()) return Bad("the document", "must be a JSON object (kubectl llm validate-nodes -o json)");
  const Fields top(document, "");
  LLM_ASSIGN_OR_RETURN(std::string api_version, top.String("apiVersion", /*required=*/true));
  LLM_ASSIGN_OR_RETURN(std::string kind, top.String("kind", /*required=*/true));
  if (api_version != "kubectl-llm.dev/v1alpha1" || kind != "NodeValidationReport") {
    return Bad("apiVersion/kind",
               fmt::format("{}/{} is not a kubectl-llm.dev/v1alpha1 NodeValidationReport", api_version, kind));
  }
  NodeValidationReport report;
  LLM_ASSIGN_OR_RETURN(Fields spec, top.Object("spec"));
  LLM_ASSIGN_OR_RETURN(report.profile, spec.String("profile"));
  LLM_ASSIGN_OR_RETURN(report.image, spec.String("image"));
  LLM_ASSIGN_OR_RETURN(report.tool_version, spec.String("toolVersion"));
  LLM_ASSIGN_OR_RETURN(report.dry_run, spec.Bool("dryRun"));
  LLM_ASSIGN_OR_RETURN(report.recorded, spec.Bool("record"));
  LLM_ASSIGN_OR_RETURN(report.tainted, spec.Bool("taintFailed"));
  LLM_ASSIGN_OR_RETURN(report.multi_node, spec.Bool("multiNode"));
  LLM_ASSIGN_OR_RETURN(Fields status, top.Object("status"));
  LLM_ASSIGN_OR_RETURN(auto started, status.Time("startedAt"));
  LLM_ASSIGN_OR_RETURN(auto finished, status.Time("finishedAt"));
  report.started_at = started.value_or(TimePoint{});
  report.finished_at = finished.value_or(report.started_at);
  LLM_ASSIGN_OR_RETURN(const json* nodes, status.Array("nodes"));
  if (nodes == nullptr) return Bad("status.nodes", "missing");
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    LLM_ASSIGN_OR_RETURN(Fields f, Element(*nodes, i, "status.nodes"));
    LLM_ASSIGN_OR_RETURN(NodeResult r, ParseNode(f, report));
    report.results.push_back(std::move(r));
  }
  LLM_ASSIGN_OR_RETURN(const json* skipped, status.Array("skipped"));
  if (skipped != nullptr) {
    for (std::size_t i = 0; i < skipped->size(); ++i) {
      LLM_ASSIGN_OR_RETURN(Fields f, Element(*skipped, i, "status.skipped"));
      SkippedNode s;
      LLM_ASSIGN_OR_RETURN(s.name, f.String("name", /*required=*/true));
      LLM_ASSIGN_OR_RETURN(s.product, f.String("product"));
      LLM_ASSIGN_OR_RETURN(s.reason, f.String("reason"));
      LLM_ASSIGN_OR_RETURN(s.zone, f.String("zone"));
      report.skipped.push_back(std::move(s));
    }
  }
  LLM_ASSIGN_OR_RETURN(const json* pairs, status.Array("pairs"));
  if (pairs != nullptr) {
    for (std::size_t i = 0; i < pairs->size(); ++i) {
      LLM_ASSIGN_OR_RETURN(Fields f, Element(*pairs, i, "status.pairs"));
      LLM_ASSIGN_OR_RETURN(PairTestResult p, ParsePair(f));
      report.pairs.push_back(std::move(p));
    }
  }
  return report;
}

}  // namespace llm
