#include "node_validation/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace llm {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Gbps(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}", std::round(*v * 10.0) / 10.0) : "-";
}

/// The value a sortable cell sorts by: the figure, or empty (sorted last).
std::string SortKey(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : ""; }

std::optional<long long> SecondsBetween(const std::optional<TimePoint>& a, const std::optional<TimePoint>& b) {
  if (!a || !b) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*b - *a).count();
}

std::string Duration(const std::optional<long long>& s) {
  if (!s) return "-";
  if (*s < 60) return fmt::format("{}s", *s);
  return fmt::format("{}m{:02}s", *s / 60, *s % 60);
}

std::string Anchor(const std::string& node) {
  std::string id = "node-";
  for (char c : node) id += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '-';
  return id;
}

std::string Badge(std::string_view verdict) {
  return fmt::format("<span class=\"badge {0}\">{0}</span>", Escape(verdict));
}

/// The terminal heatmap's scale (gpu_check/p2p_heatmap.h): green at 95% or
/// more of the node's best pair, amber from 85% (the outlier ratio), red
/// below that or below the floor.
/// Floors are plain doubles, 0 for none: GCC 12 at -O2 takes an optional<double>
/// here for maybe-uninitialized.
double Floor(const NodeDetail& d, const char* name) {
  const auto it = d.floors.find(name);
  return it == d.floors.end() ? 0.0 : it->second;
}

const char* CellClass(double value, double best, double floor) {
  const double fraction = best > 0 ? value / best : 0;
  if (value < floor || fraction < 0.85) return "bad";
  return fraction < 0.95 ? "fair" : "good";
}

std::string P2pHeatmap(const NodeDetail& d) {
  if (d.p2p.empty()) return "";
  double best = 0;
  for (const auto& row : d.p2p) {
    for (const auto& v : row) best = std::max(best, v.value_or(0));
  }
  const double floor = Floor(d, "p2pMin");
  std::string out = "<figure><figcaption>GPU-to-GPU copy bandwidth, GB/s (row: from, column: to)";
  if (floor > 0) out += fmt::format("; floor {:.0f}", floor);
  out += "</figcaption><table class=\"heatmap\"><tr><th></th>";
  for (std::size_t j = 0; j < d.p2p.size(); ++j) out += fmt::format("<th>gpu{}</th>", j);
  out += "</tr>";
  for (std::size_t i = 0; i < d.p2p.size(); ++i) {
    out += fmt::format("<tr><th>gpu{}</th>", i);
    for (std::size_t j = 0; j < d.p2p[i].size(); ++j) {
      if (i == j) {
        out += "<td class=\"self\">-</td>";
      } else if (!d.p2p[i][j]) {
        out += "<td class=\"none\">n/a</td>";
      } else {
        const double v = *d.p2p[i][j];
        out += fmt::format("<td class=\"{}\" title=\"gpu{} to gpu{}: {:.1f} GB/s\">{:.0f}</td>",
                           CellClass(v, best, floor), i, j, v, v);
      }
    }
    out += "</tr>";
  }
  return out + "</table></figure>";
}

/// Horizontal bars, one per GPU, scaled to the largest value or floor, with
/// the floor drawn as a dashed line; a bar below its floor is red.
std::string Bars(const std::string& title, const std::vector<std::optional<double>>& values, double floor) {
  if (values.empty()) return "";
  double top = floor;
  for (const auto& v : values) top = std::max(top, v.value_or(0));
  if (top <= 0) return "";
  constexpr int kWidth = 360, kBar = 14, kGap = 4, kLabel = 44, kValue = 70;
  const int height = static_cast<int>(values.size()) * (kBar + kGap) + 18;
  std::string svg = fmt::format(
      "<figure><figcaption>{}{}</figcaption><svg class=\"bars\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-label=\"{}\">",
      Escape(title), floor > 0 ? fmt::format(", floor {:.0f} GB/s", floor) : "", kLabel + kWidth + kValue, height,
      Escape(title));
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int y = static_cast<int>(i) * (kBar + kGap);
    svg += fmt::format("<text x=\"0\" y=\"{}\" class=\"label\">gpu{}</text>", y + kBar - 3, i);
    if (!values[i]) {
      svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"label\">not measured</text>", kLabel, y + kBar - 3);
      continue;
    }
    const double v = *values[i];
    const int w = std::max(1, static_cast<int>(std::lround(v / top * kWidth)));
    const bool low = v < floor;
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{}\"><title>gpu{}: {:.1f} GB/s"
        "</title></rect><text x=\"{}\" y=\"{}\" class=\"value\">{:.1f}</text>",
        kLabel, y, w, kBar, low ? "bar low" : "bar", i, v, kLabel + w + 4, y + kBar - 3, v);
  }
  if (floor > 0) {
    const int x = kLabel + static_cast<int>(std::lround(floor / top * kWidth));
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"0\" y2=\"{1}\" class=\"floor\"/><text x=\"{2}\" y=\"{3}\" "
        "class=\"label\">floor</text>",
        x, height - 14, x - 12, height - 2);
  }
  return svg + "</svg></figure>";
}

std::string HealthList(const HealthNotes& h) {
  if (!h.checked) return "<p class=\"muted\">Health: not checked.</p>";
  if (h.failed.empty() && h.warnings.empty()) return "<p class=\"muted\">Health: no finding.</p>";
  std::string out = "<ul class=\"health\">";
  auto item = [&](const HealthNote& n, const char* cls) {
    out += fmt::format("<li class=\"{}\">{} {}</li>", cls,
                       n.gpu < 0 ? std::string("node") : fmt::format("gpu {}", n.gpu), Escape(n.rule));
  };
  for (const HealthNote& n : h.failed) item(n, "bad");
  for (const HealthNote& n : h.warnings) item(n, "fair");
  return out + "</ul>";
}

struct Tally {
  int tested = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
  void Add(Verdict v) {
    ++tested;
    passed += v == Verdict::kPass ? 1 : 0;
    failed += v == Verdict::kFail ? 1 : 0;
    errors += v == Verdict::kError ? 1 : 0;
  }
};

std::string TallyTable(const char* what, const std::map<std::string, Tally>& tallies) {
  std::string out = fmt::format(
      "<table "
      "class=\"tally\"><tr><th>{}</th><th>tested</th><th>pass</th><th>fail</th><th>error</th><th>skipped</th></tr>",
      what);
  for (const auto& [key, t] : tallies) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
        key.empty() ? "<span class=\"muted\">(none)</span>" : Escape(key), t.tested, t.passed,
        t.failed > 0 ? "bad" : "", t.failed, t.errors > 0 ? "fair" : "", t.errors, t.skipped);
  }
  return out + "</table>";
}

constexpr const char* kStyle = R"css(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2433;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dee9;padding-bottom:4px}
h3{font-size:15px;margin:0}.muted{color:#6b7280}
.cards{display:flex;gap:12px;margin:12px 0}.card{border:1px solid #d8dee9;border-radius:8px;padding:8px 16px;min-width:90px}
.card b{display:block;font-size:24px}.card.pass b{color:#1a7f37}.card.fail b{color:#cf222e}.card.error b{color:#9a6700}
.row{display:flex;gap:32px;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse}th,td{padding:3px 8px;text-align:left;border-bottom:1px solid #eef1f5}
table.nodes th{cursor:pointer;user-select:none;background:#f6f8fa;position:sticky;top:0}
table.nodes th[aria-sort=ascending]::after{content:" \25B2"}table.nodes th[aria-sort=descending]::after{content:" \25BC"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td{white-space:nowrap}td:last-child{white-space:normal}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}.badge.error{background:#9a6700}.badge.skipped{background:#6b7280}
td.bad,li.bad,p.bad{color:#cf222e;font-weight:600}td.fair,li.fair{color:#9a6700}
table.heatmap td{text-align:center;min-width:44px;font-variant-numeric:tabular-nums;border:1px solid #fff;color:#111}
table.heatmap td.good{background:#8fd19e}table.heatmap td.fair{background:#f6d365}table.heatmap td.bad{background:#f28b82}
table.heatmap td.self,table.heatmap td.none{background:#eef1f5;color:#6b7280}
svg.bars .bar{fill:#5b8def}svg.bars .bar.low{fill:#cf222e}svg.bars .floor{stroke:#1d2433;stroke-dasharray:4 3}
svg.bars text{font-size:11px;fill:#1d2433}
details.node{border:1px solid #d8dee9;border-radius:8px;padding:8px 12px;margin:8px 0}
details.node summary{cursor:pointer}figure{margin:8px 0}figcaption{font-size:12px;color:#6b7280;margin-bottom:4px}
)css";

// Sorting: click a header (again to reverse); #sort=key or #sort=-key in the
// address sorts on load, so a test can drive it without a mouse.
constexpr const char* kScript = R"js(
(function(){
  var table=document.getElementById('nodes');if(!table)return;
  var body=table.tBodies[0],heads=table.tHead.rows[0].cells;
  function sort(col,desc){
    var numeric=heads[col].classList.contains('num');
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=a.cells[col].getAttribute('data-sort'),y=b.cells[col].getAttribute('data-sort');
      if(x===''&&y!=='')return 1;if(y===''&&x!=='')return -1;
      var c=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);
      return desc?-c:c;});
    rows.forEach(function(r){body.appendChild(r);});
    for(var i=0;i<heads.length;i++)heads[i].removeAttribute('aria-sort');
    heads[col].setAttribute('aria-sort',desc?'descending':'ascending');
  }
  Array.prototype.forEach.call(heads,function(h,i){h.addEventListener('click',function(){
    sort(i,h.getAttribute('aria-sort')==='ascending');});});
  var m=/^#sort=(-?)(\w+)$/.exec(location.hash);
  if(m){for(var i=0;i<heads.length;i++){if(heads[i].getAttribute('data-key')===m[2])sort(i,m[1]==='-');}}
})();
)js";

}  // namespace

std::string RenderHtmlReport(const NodeValidationReport& report) {
  Tally total;
  std::map<std::string, Tally> by_product, by_zone;
  for (const NodeResult& r : report.results) {
    total.Add(r.verdict);
    by_product[r.product].Add(r.verdict);
    by_zone[r.zone].Add(r.verdict);
  }
  for (const SkippedNode& s : report.skipped) {
    ++total.skipped;
    ++by_product[s.product].skipped;
    ++by_zone[s.zone].skipped;
  }
  const std::string when = FormatRfc3339(report.finished_at);
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>GPU node validation, {}</title>"
      "<style>{}</style></head><body>\n",
      Escape(when), kStyle);
  h += fmt::format(
      "<h1>GPU node validation</h1><p class=\"muted\">{} profile, {} to {} ({}), image {}, "
      "kubectl-llm {}{}{}</p>\n",
      Escape(report.profile), Escape(FormatRfc3339(report.started_at)), Escape(when),
      Duration(SecondsBetween(report.started_at, report.finished_at)), Escape(report.image),
      Escape(report.tool_version), report.recorded ? ", verdicts recorded on the nodes" : "",
      report.tainted ? ", failed nodes tainted" : "");

  h += "<h2>Fleet</h2><div class=\"cards\">";
  h += fmt::format(
      "<div class=\"card\"><b>{}</b>tested</div><div class=\"card pass\"><b>{}</b>passed</div>"
      "<div class=\"card fail\"><b>{}</b>failed</div><div class=\"card error\"><b>{}</b>error</div>"
      "<div class=\"card\"><b>{}</b>skipped</div></div>\n",
      total.tested, total.passed, total.failed, total.errors, total.skipped);
  h += "<div class=\"row\">" + TallyTable("GPU product", by_product) + TallyTable("zone", by_zone) + "</div>\n";

  // Failure reasons, most common first.
  std::map<std::string, std::vector<std::string>> reasons;
  for (const NodeResult& r : report.results) {
    if (r.verdict != Verdict::kPass) reasons[r.reason].push_back(r.node);
  }
  if (!reasons.empty()) {
    std::vector<std::pair<std::string, std::vector<std::string>>> sorted(reasons.begin(), reasons.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    h += "<h2>Failure reasons</h2><table><tr><th>reason</th><th class=\"num\">nodes</th><th>which</th></tr>";
    for (const auto& [reason, nodes] : sorted) {
      std::string links;
      for (const std::string& n : nodes) {
        links += fmt::format("{}<a href=\"#{}\">{}</a>", links.empty() ? "" : ", ", Anchor(n), Escape(n));
      }
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>", Escape(reason), nodes.size(), links);
    }
    h += "</table>\n";
  }

  h += "<h2>Nodes</h2><p class=\"muted\">Click a column to sort. GB/s; each figure is the node's worst GPU or pair."
       "</p><table class=\"nodes\" id=\"nodes\"><thead><tr>"
       "<th data-key=\"node\">node</th><th data-key=\"zone\">zone</th><th data-key=\"product\">product</th>"
       "<th data-key=\"verdict\">verdict</th><th class=\"num\" data-key=\"hbm\">HBM</th>"
       "<th class=\"num\" data-key=\"h2d\">H2D</th><th class=\"num\" data-key=\"d2h\">D2H</th>"
       "<th class=\"num\" data-key=\"p2p\">P2P min</th><th class=\"num\" data-key=\"allreduce\">all-reduce</th>";
  if (report.multi_node) h += "<th class=\"num\" data-key=\"multinode\">multi-node</th>";
  h += "<th class=\"num\" data-key=\"duration\">duration</th><th data-key=\"reason\">reason</th></tr></thead><tbody>\n";
  for (const NodeResult& r : report.results) {
    const auto floor_cls = [&](const std::optional<double>& v, const char* name) {
      return v.value_or(1e18) < Floor(r.detail, name) ? " bad" : "";
    };
    const std::string verdict(VerdictName(r.verdict));
    const auto seconds = SecondsBetween(r.started_at, r.finished_at);
    h += fmt::format(
        "<tr><td data-sort=\"{0}\"><a href=\"#{1}\">{0}</a></td><td data-sort=\"{2}\">{2}</td>"
        "<td data-sort=\"{3}\">{3}</td><td data-sort=\"{4}\">{5}</td>",
        Escape(r.node), Anchor(r.node), Escape(r.zone), Escape(r.product), verdict, Badge(verdict));
    h += fmt::format("<td class=\"num{}\" data-sort=\"{}\">{}</td>", floor_cls(r.bandwidth.hbm, "hbm"),
                     SortKey(r.bandwidth.hbm), Gbps(r.bandwidth.hbm));
    h += fmt::format("<td class=\"num{}\" data-sort=\"{}\">{}</td>", floor_cls(r.bandwidth.h2d, "h2d"),
                     SortKey(r.bandwidth.h2d), Gbps(r.bandwidth.h2d));
    h += fmt::format("<td class=\"num{}\" data-sort=\"{}\">{}</td>", floor_cls(r.bandwidth.d2h, "d2h"),
                     SortKey(r.bandwidth.d2h), Gbps(r.bandwidth.d2h));
    h += fmt::format("<td class=\"num{}\" data-sort=\"{}\">{}</td>", floor_cls(r.bandwidth.p2p_min, "p2pMin"),
                     SortKey(r.bandwidth.p2p_min), Gbps(r.bandwidth.p2p_min));
    h += fmt::format("<td class=\"num\" data-sort=\"{}\">{}</td>", SortKey(r.bandwidth.allreduce_busbw),
                     Gbps(r.bandwidth.allreduce_busbw));
    if (report.multi_node) {
      const auto m = report.multi_node_results.find(r.node);
      const std::optional<double> busbw =
          m == report.multi_node_results.end() ? std::nullopt : m->second.allreduce_busbw;
      h += fmt::format("<td class=\"num\" data-sort=\"{}\">{}</td>", SortKey(busbw), Gbps(busbw));
    }
    h += fmt::format("<td class=\"num\" data-sort=\"{}\">{}</td><td data-sort=\"{}\">{}</td></tr>\n",
                     seconds ? std::to_string(*seconds) : "", Duration(seconds), Escape(r.reason), Escape(r.reason));
  }
  h += "</tbody></table>\n";

  if (report.multi_node && !report.pairs.empty()) {
    double best = 0;
    for (const PairTestResult& p : report.pairs) best = std::max(best, p.allreduce_busbw.value_or(0));
    h += "<h2>Multi-node pairs</h2><table><tr><th>nodes</th><th>job</th><th class=\"num\">round</th><th>verdict</th>"
         "<th class=\"num\">bus bandwidth</th><th></th><th class=\"num\">duration</th><th>reason</th></tr>\n";
    for (const PairTestResult& p : report.pairs) {
      const std::string verdict(VerdictName(p.verdict));
      const int w = best > 0 && p.allreduce_busbw ? static_cast<int>(std::lround(*p.allreduce_busbw / best * 160)) : 0;
      h += fmt::format(
          "<tr><td>{}, {}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td><svg width=\"164\" height=\"12\"><rect width=\"{}\" height=\"12\" class=\"{}\" fill=\"{}\"/>"
          "</svg></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
          Escape(p.nodes.first), Escape(p.nodes.second), Escape(p.job), p.round, Badge(verdict),
          Gbps(p.allreduce_busbw), w, verdict, p.verdict == Verdict::kPass ? "#5b8def" : "#cf222e",
          Duration(SecondsBetween(p.started_at, p.finished_at)), Escape(p.reason));
    }
    h += "</table>\n";
  }

  h += "<h2>Per node</h2><p class=\"muted\">Failed and errored nodes are open.</p>\n";
  for (const NodeResult& r : report.results) {
    const std::string verdict(VerdictName(r.verdict));
    h += fmt::format(
        "<details class=\"node\" id=\"{}\"{}><summary><h3 style=\"display:inline\">{}</h3> {} "
        "<span class=\"muted\">{} {}{}</span></summary>\n",
        Anchor(r.node), r.verdict == Verdict::kPass ? "" : " open", Escape(r.node), Badge(verdict),
        Escape(r.product.empty() ? r.model : r.product), r.gpu_count > 0 ? fmt::format("x{}", r.gpu_count) : "",
        r.zone.empty() ? "" : ", " + Escape(r.zone));
    if (!r.reason.empty()) h += fmt::format("<p class=\"bad\">{}</p>", Escape(r.reason));
    if (!r.suspect_gpus.empty()) {
      std::string gpus;
      for (int g : r.suspect_gpus) gpus += fmt::format("{}gpu {}", gpus.empty() ? "" : ", ", g);
      h += fmt::format("<p>Suspect: {}</p>", gpus);
    }
    if (r.detail.empty()) {
      h += "<p class=\"muted\">No per-GPU figures (the self-test did not report them).</p>";
    } else {
      h += "<div class=\"row\">" + P2pHeatmap(r.detail) + "<div>" +
           Bars("HBM copy, GB/s", r.detail.hbm, Floor(r.detail, "hbm")) +
           Bars("Host to device, GB/s", r.detail.h2d, Floor(r.detail, "h2d")) +
           Bars("Device to host, GB/s", r.detail.d2h, Floor(r.detail, "d2h")) + "</div></div>";
    }
    h += HealthList(r.health) + "</details>\n";
  }

  if (!report.skipped.empty()) {
    h += "<h2>Skipped</h2><table><tr><th>node</th><th>zone</th><th>product</th><th>reason</th></tr>";
    for (const SkippedNode& s : report.skipped) {
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(s.name), Escape(s.zone),
                       Escape(s.product), Escape(s.reason));
    }
    h += "</table>\n";
  }
  h += fmt::format("<script>{}</script>\n</body></html>\n", kScript);
  return h;
}

}  // namespace llm
