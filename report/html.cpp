#include "report/html.h"
#include "util/atomic_file.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

namespace entmc::report {
namespace {

std::string esc(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

constexpr std::string_view kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{padding:12px 20px;background:#1d2330;color:#fff}
header h1{font-size:18px;margin:0}
.verdict{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600;margin-left:8px}
.v-pass{background:#2e7d32}.v-fail{background:#c62828}.v-limit{background:#ef6c00}.v-error{background:#6a1b9a}
main{padding:12px 20px}
section{background:#fff;border:1px solid #dde;border-radius:6px;padding:10px 14px;margin:0 0 14px}
h2{font-size:16px;margin:4px 0 8px}h3{font-size:14px;margin:8px 0 4px}
table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #dde;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef0f4}
code,.mono{font-family:ui-monospace,monospace;font-size:12px}
.cex{display:flex;gap:14px;align-items:flex-start}
.timeline{list-style:none;margin:0;padding:0;min-width:330px;max-width:420px}
.timeline li{border-left:4px solid #90a4ae;padding:4px 8px;margin:0 0 4px;background:#f4f6f8;cursor:pointer}
.timeline li.failed-call{border-color:#ef6c00}.timeline li.violation{border-color:#c62828;background:#fdecea}
.timeline li.selected{outline:2px solid #1565c0}
.timeline .op{font-weight:600}.timeline .outcome{font-size:12px;color:#455}
.state{flex:1;min-width:0}
.state-step{display:none}.state-step.shown{display:block}
td.entitled{background:#c8e6c9}td.running{background:#81c784}td.bad{background:#ef9a9a}
td.changed,tr.changed td{box-shadow:inset 0 0 0 2px #f9a825}
.changes{margin:4px 0;padding-left:18px;font-size:12px}
.property{border-left:4px solid #c62828;padding-left:10px}
.warn td{background:#fff3e0}
)";

constexpr std::string_view kScript = R"(
function showStep(id, n) {
  document.querySelectorAll('#' + id + ' .timeline li').forEach(function (li) {
    li.classList.toggle('selected', li.dataset.step == n);
  });
  document.querySelectorAll('#' + id + ' .state-step').forEach(function (d) {
    d.classList.toggle('shown', d.dataset.step == n);
  });
}
)";

std::string cell_class(const std::string& v) {
  if (v.find("not entitled") != std::string::npos) return "bad";
  if (v.rfind("running", 0) == 0) return "running";
  return v.empty() ? "" : "entitled";
}

std::string state_html(const TraceView& t, const StepView& s, bool shown) {
  std::string o = fmt::format("<div class=\"state-step{}\" data-step=\"{}\">\n", shown ? " shown" : "", s.number);
  o += fmt::format("<h3>Organization after {}</h3>\n",
                   s.number == 0 ? std::string("the start state") : fmt::format("step {}", s.number));
  o += "<table class=\"grid\"><tr><th>account</th>";
  for (const auto& p : t.products) o += "<th>" + esc(p) + "</th>";
  o += "</tr>\n";
  for (size_t a = 0; a < s.grid.size(); ++a) {
    o += "<tr><th class=\"mono\">" + esc(a < t.accounts.size() ? t.accounts[a] : "?") + "</th>";
    for (size_t p = 0; p < s.grid[a].size(); ++p) {
      std::string cls = cell_class(s.grid[a][p]);
      if (s.changed_cells[a][p]) cls += " changed";
      o += fmt::format("<td class=\"{}\" data-account=\"{}\" data-product=\"{}\">{}</td>", cls, a, p, esc(s.grid[a][p]));
    }
    o += "</tr>\n";
  }
  o += "</table>\n";
  if (!s.licenses.empty()) {
    o += "<h3>Licenses</h3><ul class=\"mono\">";
    for (const auto& l : s.licenses) o += "<li>" + esc(l) + "</li>";
    o += "</ul>\n";
  }
  o += "<h3>Grants</h3>\n";
  if (s.grants.empty()) {
    o += "<p>none</p>\n";
  } else {
    o += "<table class=\"grants\"><tr><th>grant</th><th>name</th><th>product</th><th>grantor</th><th>grantee</th>"
         "<th>status</th><th>version</th></tr>\n";
    for (const auto& g : s.grants)
      o += fmt::format(
          "<tr class=\"grant{}\"><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td>"
          "<td class=\"mono\">{}</td><td class=\"status\">{}</td><td>{}</td></tr>\n",
          g.changed ? " changed" : "", esc(g.id), esc(g.name), esc(g.product), esc(g.grantor), esc(g.grantee),
          esc(g.status), g.version);
    o += "</table>\n";
  }
  o += "</div>\n";
  return o;
}

std::string trace_html(const std::string& id, const TraceView& t, size_t failing) {
  std::string o = fmt::format("<div class=\"cex\" id=\"{}\">\n<ol class=\"timeline\">\n", id);
  for (const StepView& s : t.steps) {
    std::string cls = s.number == failing && failing > 0 ? "violation" : !s.ok ? "failed-call" : "";
    if (s.number == t.steps.size() - 1) cls += " selected";
    o += fmt::format("<li class=\"step {}\" data-step=\"{}\" onclick=\"showStep('{}', {})\">", cls, s.number, id,
                     s.number);
    if (s.number == 0) {
      o += "<span class=\"op\">start state</span>";
    } else {
      o += fmt::format("<span class=\"num\">{}.</span> <span class=\"op\">{}</span> by <span class=\"caller mono\">{}</span>"
                       "<div class=\"outcome\">{}</div><div class=\"call mono\" hidden>{}</div>",
                       s.number, esc(s.operation), esc(s.caller), esc(s.outcome), esc(s.call));
      if (!s.changes.empty()) {
        o += "<ul class=\"changes\">";
        for (const auto& c : s.changes) o += "<li>" + esc(c) + "</li>";
        o += "</ul>";
      }
    }
    o += "</li>\n";
  }
  o += "</ol>\n<div class=\"state\">\n";
  for (const StepView& s : t.steps) o += state_html(t, s, s.number == t.steps.size() - 1);
  o += "</div>\n</div>\n";
  return o;
}

}  // namespace

std::string html_report(const HtmlReport& r) {
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  o += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:\">\n";
  o += "<title>" + esc(r.title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n";
  o += "<script>" + std::string(kScript) + "</script>\n</head><body>\n";
  o += fmt::format("<header><h1>{} <span class=\"verdict v-{}\" id=\"verdict\">{}</span></h1></header>\n<main>\n",
                   esc(r.title), esc(r.verdict), esc(r.verdict));
  if (!r.facts.empty()) {
    o += "<section><h2>Run</h2><table class=\"facts\">";
    for (const auto& [k, v] : r.facts) o += "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>";
    o += "</table></section>\n";
  }
  for (size_t i = 0; i < r.failures.size(); ++i) {
    const HtmlFailure& f = r.failures[i];
    o += fmt::format("<section class=\"failure\" id=\"failure-{}\"><h2>Violated: <code>{}</code></h2>\n", i,
                     esc(f.property));
    o += "<div class=\"property\">";
    if (!f.statement.empty()) o += "<p class=\"statement\">" + esc(f.statement) + "</p>";
    if (!f.seed.empty()) o += "<p class=\"seed\">Seed: " + esc(f.seed) + "</p>";
    o += "<p class=\"detail\"><b>Found:</b> " + esc(f.detail) + "</p></div>\n";
    if (!f.replay.empty() || !f.rerun.empty()) {
      o += "<table class=\"commands\">";
      if (!f.scenario.empty()) o += "<tr><th>scenario</th><td><code>" + esc(f.scenario) + "</code></td></tr>";
      if (!f.replay.empty()) o += "<tr><th>replay it</th><td><code>" + esc(f.replay) + "</code></td></tr>";
      if (!f.rerun.empty()) o += "<tr><th>rerun</th><td><code>" + esc(f.rerun) + "</code></td></tr>";
      o += "</table>\n";
    }
    if (f.trace) {
      o += fmt::format("<h3>Counterexample: {} call{} (select a step to see the organization after it)</h3>\n",
                       f.trace->steps.size() - 1, f.trace->steps.size() == 2 ? "" : "s");
      o += trace_html(fmt::format("trace-{}", i), *f.trace, f.step);
    }
    o += "</section>\n";
  }
  for (const HtmlTable& t : r.tables) {
    o += "<section><h2>" + esc(t.title) + "</h2><table><tr>";
    for (const auto& h : t.header) o += "<th>" + esc(h) + "</th>";
    o += "</tr>\n";
    for (size_t i = 0; i < t.rows.size(); ++i) {
      o += i < t.warn_rows.size() && t.warn_rows[i] ? "<tr class=\"warn\">" : "<tr>";
      for (const auto& c : t.rows[i]) o += "<td>" + esc(c) + "</td>";
      o += "</tr>\n";
    }
    o += "</table></section>\n";
  }
  for (const auto& [title, svg] : r.charts) o += "<section class=\"chart\"><h2>" + esc(title) + "</h2>\n" + svg + "\n</section>\n";
  o += "</main></body></html>\n";
  return o;
}

bool write_html(const std::string& path, const HtmlReport& r) {
  const std::string why = util::write_file_atomic(path, html_report(r));  // atomically (docs/limits.md)
  if (!why.empty()) std::fprintf(stderr, "entmc: error: %s\n", why.c_str());
  return why.empty();
}

}  // namespace entmc::report
