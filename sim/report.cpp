#include "sim/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "util/format.h"

namespace entmc::sim {
namespace {

constexpr std::array<ErrorCode, kErrorCodeCount> all_codes() {
  std::array<ErrorCode, kErrorCodeCount> a{};
  for (int i = 0; i < kErrorCodeCount; ++i) a[size_t(i)] = static_cast<ErrorCode>(i);
  return a;
}

}  // namespace

RunFacts collect_facts(const Simulation& sim, uint64_t peak_rss) {
  RunFacts f;
  const World& w = sim.world();
  f.accounts = w.accounts.size();
  for (const Account& a : w.accounts) f.members += a.membership == Membership::MEMBER;
  f.products = w.products.size();
  f.grants = w.grants.size();
  f.peak_rss = peak_rss;
  f.incremental_properties = sim.checker().local_count();
  f.transition_properties = sim.checker().transition_count();
  for (const Property* p : sim.checker().state_only()) f.full_check_only.emplace_back(p->name);
  return f;
}

std::string summary_text(const SimConfig& c, const Simulation& sim, const RunResult& r, const RunFacts& f) {
  const Tallies& t = sim.tallies();
  const Names& names = sim.names();
  std::string s;
  auto line = [&](const std::string& l) { s += l + "\n"; };
  line(fmt::format("simulation {} ({}), seed {}", c.name, c.path, c.seed));
  line(fmt::format("organization: {} accounts ({} members at the end), {} products, feature set {}, org {}",
                   util::grouped(f.accounts), util::grouped(f.members), f.products, to_string(c.feature_set), names.org_id));
  line(fmt::format("setup: {} calls in {:.3f} s", r.setup_calls, r.setup_seconds));
  line(fmt::format("events: {} in {:.3f} s = {} events/s; {:.3f} s of CPU = {} events per CPU second ({} drawn "
                   "invalid)",
                   util::grouped(r.events), r.seconds, util::grouped(uint64_t(r.events_per_second())), r.cpu_seconds,
                   util::grouped(uint64_t(r.events_per_cpu_second())), util::grouped(t.invalid_drawn())));
  line(fmt::format("cpu: {:.3f} s user + {:.3f} s system; {} page faults", r.cpu_seconds - r.system_seconds,
                   r.system_seconds, util::grouped(r.page_faults)));
  line(fmt::format("invariants: {} checked incrementally (check_local) and {} transition properties after every "
                   "event; full check {}",
                   f.incremental_properties, f.transition_properties,
                   c.full_check_every ? fmt::format("every {} events", c.full_check_every) : std::string("off")));
  if (!f.full_check_only.empty())
    line(fmt::format("  only in full checks (no check_local): {}", fmt::join(f.full_check_only, ", ")));
  const uint64_t records = f.accounts * f.products;
  line(fmt::format("memory: peak RSS {} = {:.1f} bytes per (account, product); {} grant records",
                   util::bytes_text(f.peak_rss), records ? double(f.peak_rss) / double(records) : 0.0, util::grouped(f.grants)));
  line("");
  line(fmt::format("{:<28} {:>12} {:>12}  {}", "event", "ok", "errors", "errors by code"));
  for (int k = 0; k < kEventKindCount; ++k) {
    const auto kind = static_cast<EventKind>(k);
    uint64_t ok = t.outcome(kind, ErrorCode::None), err = 0;
    std::string by_code;
    for (ErrorCode e : all_codes()) {
      if (e == ErrorCode::None) continue;
      const uint64_t n = t.outcome(kind, e);
      if (!n) continue;
      err += n;
      by_code += fmt::format("{}{} {}", by_code.empty() ? "" : ", ", to_string(e), util::grouped(n));
    }
    if (ok + err == 0) continue;
    line(fmt::format("{:<28} {:>12} {:>12}  {}", to_string(kind), util::grouped(ok), util::grouped(err), by_code));
  }
  line("");
  line("grants by status:");
  const Vitals& v = t.vitals();
  for (int st = 0; st < kGrantStatusCount; ++st)
    if (v.grants_by_status[size_t(st)])
      line(fmt::format("  {:<20} {:>14}", to_string(static_cast<GrantStatus>(st)), util::grouped(uint64_t(v.grants_by_status[size_t(st)]))));
  line(fmt::format("active entitlements: {}   running workloads: {}", util::grouped(uint64_t(v.active_entitlements)),
                   util::grouped(uint64_t(v.running_workloads))));
  line("accounts entitled per product:");
  for (size_t p = 0; p < v.entitled_by_product.size(); ++p)
    line(fmt::format("  {:<20} {:<14} {:>14}", names.products[p], to_string(sim.world().products[p]),
                     util::grouped(uint64_t(v.entitled_by_product[p]))));
  const auto& covers = sim.checker().covers();
  if (!covers.empty()) {
    line("");
    line(fmt::format("cover properties ({:.3f} s; evaluated at every sample and at the end):", r.cover_seconds));
    for (size_t k = 0; k < covers.size() && k < r.cover_reached_at.size(); ++k)
      line(r.cover_reached_at[k] == RunResult::kNotReached
               ? fmt::format("  {:<40} NEVER REACHED", covers[k]->name)
               : fmt::format("  {:<40} reached by event {}", covers[k]->name, util::grouped(r.cover_reached_at[k])));
  }
  line("");
  if (r.violation) {
    line(fmt::format("VIOLATION of {} at event {}{}: {}", r.violation->property, r.events,
                     r.violation_in_full_check ? " (full check)" : "", r.violation->detail));
    if (!f.violation_file.empty()) line(fmt::format("  the run so far: {}", f.violation_file));
    if (!f.shrunk_file.empty())
      line(fmt::format("  shrunk to {} steps over {} accounts: {}", f.shrunk_steps, f.shrunk_accounts, f.shrunk_file));
    if (!f.shrunk_file.empty()) line(fmt::format("  replay it: entmc replay {}", f.shrunk_file));
    if (!f.rerun.empty()) line(fmt::format("  rerun:     {}", f.rerun));
  } else {
    line("every invariant held");
  }
  line(fmt::format("final digest: {:016x}", r.digest));
  return s;
}

nlohmann::json summary_json(const SimConfig& c, const Simulation& sim, const RunResult& r, const RunFacts& f) {
  const Tallies& t = sim.tallies();
  nlohmann::json j;
  j["name"] = c.name;
  j["file"] = c.path;
  j["seed"] = c.seed;
  j["accounts"] = f.accounts;
  j["members_at_end"] = f.members;
  j["products"] = f.products;
  j["setup_calls"] = r.setup_calls;
  j["setup_seconds"] = r.setup_seconds;
  j["events"] = r.events;
  j["seconds"] = r.seconds;
  j["events_per_second"] = r.events_per_second();
  j["cpu_seconds"] = r.cpu_seconds;
  j["cpu_system_seconds"] = r.system_seconds;
  j["page_faults"] = r.page_faults;
  j["events_per_cpu_second"] = r.events_per_cpu_second();
  j["invalid_drawn"] = t.invalid_drawn();
  j["peak_rss_bytes"] = f.peak_rss;
  j["bytes_per_account_product"] = (f.accounts * f.products) != 0 ? double(f.peak_rss) / double(f.accounts * f.products) : 0.0;
  j["grant_records"] = f.grants;
  j["incremental_properties"] = f.incremental_properties;
  j["transition_properties"] = f.transition_properties;
  j["full_check_only"] = f.full_check_only;
  j["full_check_every"] = c.full_check_every;
  nlohmann::json cover = nlohmann::json::array();
  const auto& covers = sim.checker().covers();
  for (size_t k = 0; k < covers.size() && k < r.cover_reached_at.size(); ++k) {
    const bool reached = r.cover_reached_at[k] != RunResult::kNotReached;
    cover.push_back({{"property", covers[k]->name},
                     {"reached", reached},
                     {"event", reached ? nlohmann::json(r.cover_reached_at[k]) : nlohmann::json()}});
  }
  j["cover"] = cover;
  j["cover_seconds"] = r.cover_seconds;
  nlohmann::json ops = nlohmann::json::object();
  for (int k = 0; k < kEventKindCount; ++k) {
    const auto kind = static_cast<EventKind>(k);
    nlohmann::json o;
    o["ok"] = t.outcome(kind, ErrorCode::None);
    nlohmann::json errs = nlohmann::json::object();
    uint64_t total = o["ok"].get<uint64_t>();
    for (ErrorCode e : all_codes())
      if (e != ErrorCode::None && t.outcome(kind, e)) {
        errs[std::string(to_string(e))] = t.outcome(kind, e);
        total += t.outcome(kind, e);
      }
    o["errors"] = errs;
    nlohmann::json reasons = nlohmann::json::object();
    for (int re = 1; re < kReasonCount; ++re)
      if (const uint64_t n = t.reason_count(kind, static_cast<Reason>(re)))
        reasons[std::string(reason_name(static_cast<Reason>(re)))] = n;
    o["errors_by_reason"] = reasons;
    if (total) ops[std::string(to_string(kind))] = o;
  }
  j["operations"] = ops;
  const Vitals& v = t.vitals();
  nlohmann::json hist = nlohmann::json::object();
  for (int st = 0; st < kGrantStatusCount; ++st)
    hist[std::string(to_string(static_cast<GrantStatus>(st)))] = v.grants_by_status[size_t(st)];
  j["grants_by_status"] = hist;
  j["active_entitlements"] = v.active_entitlements;
  j["running_workloads"] = v.running_workloads;
  nlohmann::json ent = nlohmann::json::object();
  for (size_t p = 0; p < v.entitled_by_product.size(); ++p) ent[sim.names().products[p]] = v.entitled_by_product[p];
  j["entitled_per_product"] = ent;
  if (r.violation) {
    j["violation"] = {{"property", r.violation->property},
                      {"detail", r.violation->detail},
                      {"event", r.events},
                      {"full_check", r.violation_in_full_check},
                      {"scenario", f.violation_file},
                      {"shrunk_scenario", f.shrunk_file},
                      {"shrunk_steps", f.shrunk_steps},
                      {"shrunk_accounts", f.shrunk_accounts},
                      {"rerun", f.rerun}};
  } else {
    j["violation"] = nullptr;
  }
  j["digest"] = fmt::format("{:016x}", r.digest);
  return j;
}

std::string csv_text(const Simulation&, const RunResult& r) {
  std::string s = "event,seconds";
  for (int st = 0; st < kGrantStatusCount; ++st) s += fmt::format(",{}", to_string(static_cast<GrantStatus>(st)));
  s += ",active_entitlements,running_workloads\n";
  for (const Sample& x : r.samples) {
    s += fmt::format("{},{:.6f}", x.event, x.seconds);
    for (int64_t n : x.grants_by_status) s += fmt::format(",{}", n);
    s += fmt::format(",{},{}\n", x.active_entitlements, x.running_workloads);
  }
  return s;
}

namespace {

struct Series {
  std::string label;
  std::string color;
  std::vector<double> y;
};

// One panel: a title, an x axis in events, a y axis from 0 to the max, and lines.
std::string panel(double top, const std::string& title, const std::vector<double>& x, const std::vector<Series>& series) {
  constexpr double kLeft = 90, kWidth = 760, kHeight = 170;
  double xmax = x.empty() ? 1 : std::max(1.0, x.back());
  double ymax = 1;
  for (const auto& se : series)
    for (double v : se.y) ymax = std::max(ymax, v);
  auto px = [&](double v) { return kLeft + v / xmax * kWidth; };
  auto py = [&](double v) { return top + 30 + kHeight - v / ymax * kHeight; };
  std::string s;
  s += fmt::format("<text x='{}' y='{}' font-size='14' font-weight='bold'>{}</text>\n", kLeft, top + 18, title);
  s += fmt::format("<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#999'/>\n", kLeft, top + 30, kWidth,
                   kHeight);
  for (int i = 0; i <= 4; ++i) {
    const double v = ymax * i / 4;
    s += fmt::format("<line x1='{}' x2='{}' y1='{:.1f}' y2='{:.1f}' stroke='#eee'/>\n", kLeft, kLeft + kWidth, py(v), py(v));
    s += fmt::format("<text x='{}' y='{:.1f}' font-size='11' text-anchor='end'>{:.0f}</text>\n", kLeft - 6, py(v) + 4, v);
  }
  for (int i = 0; i <= 4; ++i) {
    const double v = xmax * i / 4;
    s += fmt::format("<text x='{:.1f}' y='{}' font-size='11' text-anchor='middle'>{:.0f}</text>\n", px(v),
                     top + 30 + kHeight + 14, v);
  }
  double legend_x = kLeft + 8;
  for (const auto& se : series) {
    std::string pts;
    for (size_t i = 0; i < x.size() && i < se.y.size(); ++i) pts += fmt::format("{:.1f},{:.1f} ", px(x[i]), py(se.y[i]));
    s += fmt::format("<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>\n", se.color, pts);
    s += fmt::format("<text x='{:.1f}' y='{}' font-size='11' fill='{}'>{}</text>\n", legend_x, top + 44, se.color,
                     se.label);
    legend_x += 9.0 * double(se.label.size()) + 14;
  }
  return s;
}

}  // namespace

std::string svg_plot(const SimConfig& c, const RunResult& r) {
  static const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                  "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};
  std::vector<double> x;
  for (const Sample& s : r.samples) x.push_back(double(s.event));
  std::vector<Series> statuses;
  for (int st = 0; st < kGrantStatusCount; ++st) {
    Series se{std::string(to_string(static_cast<GrantStatus>(st))), kColors[st], {}};
    bool any = false;
    for (const Sample& s : r.samples) {
      se.y.push_back(double(s.grants_by_status[size_t(st)]));
      any |= s.grants_by_status[size_t(st)] != 0;
    }
    if (any) statuses.push_back(std::move(se));
  }
  Series ent{"active entitlements", "#2ca02c", {}}, run{"running workloads", "#d62728", {}};
  for (const Sample& s : r.samples) {
    ent.y.push_back(double(s.active_entitlements));
    run.y.push_back(double(s.running_workloads));
  }
  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' width='880' height='760' font-family='sans-serif'>\n";
  s += "<rect width='100%' height='100%' fill='white'/>\n";
  s += fmt::format("<text x='90' y='22' font-size='16'>entmc simulate {} (seed {}): {} events; x axis: events</text>\n",
                   c.name, c.seed, r.events);
  s += panel(30, "grants by status", x, statuses);
  s += panel(270, "active entitlements", x, {ent});
  s += panel(510, "running workloads", x, {run});
  s += "</svg>\n";
  return s;
}

std::string progress_line(uint64_t done, uint64_t total, double seconds) {
  constexpr int kBar = 30;
  const double frac = total ? double(done) / double(total) : 1.0;
  const int filled = int(frac * kBar);
  const double rate = seconds > 0 ? double(done) / seconds : 0;
  const double eta = rate > 0 ? double(total - done) / rate : 0;
  return fmt::format("\r[{}{}] {:>5.1f}%  {} / {} events  {:.2f} M events/s  ETA {:.0f} s ", std::string(size_t(filled), '#'),
                     std::string(size_t(kBar - filled), ' '), frac * 100, util::grouped(done), util::grouped(total), rate / 1e6, eta);
}

}  // namespace entmc::sim
