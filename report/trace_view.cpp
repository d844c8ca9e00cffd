#include "report/trace_view.h"

#include <fmt/format.h>

#include "model/entitlement.h"
#include "scenario/scenario_run.h"

namespace entmc::report {
namespace {

std::string membership(const World& w, AccountIx a) {
  if (a == w.org.management) return "management";
  if (w.org.delegated_admin == a) return "delegated admin";
  return std::string(to_string(w.accounts[a].membership));
}

void fill_state(StepView& s, const Names& n, const World& w, const StepView* previous) {
  s.grid.assign(w.accounts.size(), std::vector<std::string>(w.products.size()));
  s.changed_cells.assign(w.accounts.size(), std::vector<bool>(w.products.size(), false));
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    for (ProductIx p = 0; p < w.products.size(); ++p) {
      const bool ent = entitled(w, a, p);
      const unsigned running = w.running_at(a, p);
      s.grid[a][p] = running ? fmt::format("running {}", running) : ent ? "entitled" : "";
      if (running && !ent) s.grid[a][p] += " (not entitled)";
      s.changed_cells[a][p] = previous && previous->grid[a][p] != s.grid[a][p];
    }
  for (LicenseIx l = 0; l < w.licenses.size(); ++l) {
    const License& lic = w.licenses[l];
    s.licenses.push_back(fmt::format("{}: {}, owner {}, {}", n.license_label(l),
                                     lic.product < n.products.size() ? n.products[lic.product] : "?",
                                     n.account(lic.owner), to_string(lic.status)));
  }
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    GrantView v;
    v.id = n.grant_label(g);
    v.name = gr.name ? n.string(gr.name) : "";
    const ProductIx p = product_of_grant(w, g);
    v.product = p < n.products.size() ? n.products[p] : "?";
    v.grantor = n.account(gr.grantor);
    v.grantee = gr.is_org_parent() ? "organization " + n.org_id : n.account(gr.grantee);
    if (gr.is_org_child()) v.grantee += " (child of " + n.grant_label(gr.parent) + ")";
    v.status = std::string(to_string(gr.status));
    v.version = gr.version;
    const bool existed = previous && g < previous->grants.size();
    v.changed = previous && (!existed || previous->grants[g].status != v.status || previous->grants[g].version != v.version);
    s.grants.push_back(std::move(v));
  }
}

}  // namespace

TraceView start_view(const Names& names, const World& start) {
  TraceView v;
  for (AccountIx a = 0; a < start.accounts.size(); ++a)
    v.accounts.push_back(fmt::format("{} ({})", names.accounts[a], membership(start, a)));
  v.products = names.products;
  StepView s;
  s.call = "start state";
  fill_state(s, names, start, nullptr);
  v.steps.push_back(std::move(s));
  return v;
}

void add_step(TraceView& view, const Names& names, const World& before, const Call& call, const Outcome& outcome,
              const Changes& changes, const World& after) {
  add_step(view, names, before, call, outcome, change_lines(after, changes, names), after);
}

void add_check_step(TraceView& view, const Names& names, const std::string& text, bool ok, const World& now) {
  StepView s;
  s.number = view.steps.size();
  s.operation = "expect";
  s.call = text;
  s.outcome = ok ? "held" : "did not hold";
  s.ok = ok;
  fill_state(s, names, now, &view.steps.back());
  view.steps.push_back(std::move(s));
}

void add_step(TraceView& view, const Names& names, const World& before, const Call& call, const Outcome& outcome,
              std::vector<std::string> lines, const World& after) {
  StepView s;
  s.number = view.steps.size();
  s.caller = names.account(call.caller);
  s.operation = std::string(to_string(call.op));
  s.call = describe_call(call, names, &before);
  s.outcome = describe_outcome(outcome, call, names);
  s.ok = outcome.ok();
  s.changes = std::move(lines);
  fill_state(s, names, after, &view.steps.back());
  view.steps.push_back(std::move(s));
}

}  // namespace entmc::report
