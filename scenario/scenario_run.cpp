// The step runner. Every call goes through apply(); every state and every
// transition goes through the properties; nothing here re-implements a rule.
#include "scenario/scenario_run.h"

#include <fmt/format.h>

#include "model/entitlement.h"

namespace entmc {

std::string_view to_string(StepFailure::Kind k) {
  switch (k) {
    case StepFailure::Kind::Fails: return "outcome";
    case StepFailure::Kind::Expectation: return "expectation";
    case StepFailure::Kind::Invariant: return "invariant";
    case StepFailure::Kind::Reference: return "reference";
  }
  return "?";
}

ScenarioRun::ScenarioRun(const Scenario& scenario, const Rules& rules)
    : ScenarioRun(scenario, rules, nullptr) {}

ScenarioRun::ScenarioRun(const Scenario& scenario, const Rules& rules, const std::vector<Property>* extra)
    : scenario_(scenario), names_(scenario.names), extra_(extra), rules_(rules), world_(scenario.initial) {
  licenses_ = scenario.start_licenses;  // the start section's aliases
  grants_ = scenario.start_grants;
  for (const Property& p : all_properties())
    if (p.kind == PropertyKind::Sometimes && p.check_state) cover_props_.push_back(&p);
  if (extra)
    for (const Property& p : *extra)
      if (p.kind == PropertyKind::Sometimes && p.check_state) cover_props_.push_back(&p);
  for (const Property* p : cover_props_) covers_.push_back({std::string(p->name), std::nullopt});
  StepReport initial;
  initial.number = 0;
  initial.call_text = "initial state";
  check_invariants(nullptr, nullptr, nullptr, nullptr, initial);
  if (!initial.ok()) initial.state = describe_state(world_, names_);
  reports_.push_back(std::move(initial));
}

bool ScenarioRun::ok() const {
  for (const auto& r : reports_)
    if (!r.ok()) return false;
  return true;
}

bool ScenarioRun::run_all() {
  while (!finished()) step();
  return ok();
}

const StepReport& ScenarioRun::step() {
  const Step& s = scenario_.steps.at(next_++);
  StepReport r;
  r.number = s.number;
  r.mark = s.mark;
  r.is_expect = s.is_expect;
  if (s.is_expect)
    run_expect(s, r);
  else
    run_call(s, r);
  if (!r.ok()) r.state = describe_state(world_, names_);
  reports_.push_back(std::move(r));
  return reports_.back();
}

// A reference names a record of the current world, or says why it cannot.
std::optional<uint32_t> ScenarioRun::resolve(const RecordRef& ref, bool grant, std::string& why) const {
  const Names& n = names_;
  uint32_t ix = kNone;
  if (!ref.id.empty()) {
    // Printed IDs derive from (id_seed, index): search the indices in use
    // and a margin beyond (a call may name a record that does not exist yet).
    size_t limit = (grant ? world_.grants.size() : world_.licenses.size()) + 64;
    for (uint32_t i = 0; i < limit && ix == kNone; ++i)
      if ((grant ? n.grant_id(i) : n.license_id(i)) == ref.id) ix = i;
    if (ix == kNone) {
      why = fmt::format("{} {} is not a {} of this run", grant ? "grant" : "license", ref.id, grant ? "grant" : "license");
      return std::nullopt;
    }
  } else {
    const auto& table = grant ? grants_ : licenses_;
    auto it = table.find(ref.alias);
    if (it == table.end()) {
      why = fmt::format("alias '{}' names nothing: the step that defines it created nothing", ref.alias);
      return std::nullopt;
    }
    ix = it->second;
  }
  if (grant && ref.recipient != kNone) {
    if (ix >= world_.grants.size() || !world_.grants[ix].is_org_parent()) {
      why = fmt::format("'{}' is not a grant to the organization, so it has no child for {}", ref.alias,
                        n.account(ref.recipient));
      return std::nullopt;
    }
    GrantIx child = find_org_child(world_, ix, ref.recipient);
    if (child == kNone) {
      why = fmt::format("organization grant '{}' has no child for account {}", ref.alias, n.account(ref.recipient));
      return std::nullopt;
    }
    ix = child;
  }
  return ix;
}

void ScenarioRun::run_call(const Step& s, StepReport& r) {
  const Names& n = names_;
  Call call = s.call;
  std::string why;
  bool resolved = true;
  if (s.license.given()) {
    if (auto l = resolve(s.license, false, why)) call.license = *l;
    else resolved = false;
  }
  if (resolved && s.grant.given()) {
    if (auto g = resolve(s.grant, true, why)) call.grant = *g;
    else resolved = false;
  }
  if (!resolved) {
    r.call_text = fmt::format("{} by {}", to_string(call.op), n.account(call.caller));
    r.failures.push_back({StepFailure::Kind::Reference, "reference", why, s.mark});
    return;
  }
  r.call = call;
  r.call_text = describe_call(call, n, &world_);
  World before = world_;
  r.outcome = apply(world_, call, &changes_, rules_);
  r.applied = true;
  calls_.push_back(call);
  if (r.outcome.ok() && !s.as.empty() && r.outcome.created != kNone) {
    (call.op == Op::Subscribe ? licenses_ : grants_)[s.as] = r.outcome.created;
    if (call.op == Op::Subscribe) names_.name_license(r.outcome.created, s.as);
    else names_.name_grant(r.outcome.created, s.as);
  }
  r.outcome_text = describe_outcome(r.outcome, call, n);
  r.changes = change_lines(world_, changes_, n);
  if (s.fails) {
    if (r.outcome.ok())
      r.failures.push_back({StepFailure::Kind::Fails, fmt::format("fails: {}", to_string(*s.fails)),
                            "the call succeeded", s.mark});
    else if (r.outcome.error.code != *s.fails)
      r.failures.push_back({StepFailure::Kind::Fails, fmt::format("fails: {}", to_string(*s.fails)),
                            "it failed with " + r.outcome_text, s.mark});
  } else if (!r.outcome.ok()) {
    r.failures.push_back({StepFailure::Kind::Fails, "succeeds", "it failed with " + r.outcome_text, s.mark});
  }
  check_invariants(&before, &call, &r.outcome, &changes_, r);
}

void ScenarioRun::run_expect(const Step& s, StepReport& r) {
  std::string text;
  for (const Expectation& e : s.expect) {
    check_expectation(e, r);
    text += (text.empty() ? "" : "; ") + describe_expectation(e, names_);
  }
  r.call_text = "expect " + text;
}

std::string describe_expectation(const Expectation& e, const Names& n) {
  auto ref = [&](const RecordRef& rr) {
    std::string s = rr.alias.empty() ? rr.id : rr.alias;
    if (rr.recipient != kNone) s += " for " + n.account(rr.recipient);
    return s;
  };
  using W = Expectation::What;
  switch (e.what) {
    case W::GrantStatus: return fmt::format("grant {} status {}", ref(e.grant), to_string(e.grant_status));
    case W::GrantReason: return fmt::format("grant {} status_reason \"{}\"", ref(e.grant), e.text);
    case W::GrantVersion: return fmt::format("grant {} version {}", ref(e.grant), e.number);
    case W::ChildCount:
      return fmt::format("grant {} children {}: {}", ref(e.grant), to_string(e.grant_status), e.number);
    case W::LicenseStatus: return fmt::format("license {} status {}", ref(e.license), to_string(e.license_status));
    case W::Running:
      return fmt::format("account {} product {} running {}", n.account(e.account), n.products[e.product], e.number);
    case W::CanLaunch:
      return fmt::format("account {} product {} can_launch {}", n.account(e.account), n.products[e.product], e.flag);
    case W::Member: return fmt::format("account {} member {}", n.account(e.account), e.flag);
    case W::DelegatedAdmin:
      return fmt::format("delegated_admin {}", e.account == kNone ? "none" : n.account(e.account));
  }
  return "?";
}

void ScenarioRun::check_expectation(const Expectation& e, StepReport& r) const {
  const Names& n = names_;
  const World& w = world_;
  const std::string what = describe_expectation(e, n);
  auto fail = [&](std::string detail) {
    r.failures.push_back({StepFailure::Kind::Expectation, what, std::move(detail), e.mark});
  };
  std::string why;
  using W = Expectation::What;
  switch (e.what) {
    case W::GrantStatus:
    case W::GrantReason:
    case W::GrantVersion:
    case W::ChildCount: {
      auto g = resolve(e.grant, true, why);
      if (!g || *g >= w.grants.size()) {
        r.failures.push_back({StepFailure::Kind::Reference, what, why.empty() ? "no such grant" : why, e.mark});
        return;
      }
      const Grant& gr = w.grants[*g];
      if (e.what == W::GrantStatus && gr.status != e.grant_status)
        fail(fmt::format("{} is {}", n.grant_id(*g), to_string(gr.status)));
      if (e.what == W::GrantReason && n.string(gr.status_reason) != e.text)
        fail(fmt::format("{} has status reason \"{}\"", n.grant_id(*g), n.string(gr.status_reason)));
      if (e.what == W::GrantVersion && gr.version != e.number)
        fail(fmt::format("{} is at version {}", n.grant_id(*g), gr.version));
      if (e.what == W::ChildCount) {
        uint32_t count = 0;
        for_each_on_license(w, gr.license, [&](GrantIx c) {
          if (w.grants[c].parent == *g && w.grants[c].status == e.grant_status) ++count;
        });
        if (count != e.number) fail(fmt::format("{} has {} {} children", n.grant_id(*g), count, to_string(e.grant_status)));
      }
      return;
    }
    case W::LicenseStatus: {
      auto l = resolve(e.license, false, why);
      if (!l || *l >= w.licenses.size()) {
        r.failures.push_back({StepFailure::Kind::Reference, what, why.empty() ? "no such license" : why, e.mark});
        return;
      }
      if (w.licenses[*l].status != e.license_status)
        fail(fmt::format("{} is {}", n.license_id(*l), to_string(w.licenses[*l].status)));
      return;
    }
    case W::Running:
      if (w.running_at(e.account, e.product) != e.number)
        fail(fmt::format("{} workload(s) running", w.running_at(e.account, e.product)));
      return;
    case W::CanLaunch:
      if (entitled(w, e.account, e.product) != e.flag)
        fail(fmt::format("the account {} entitled to {}", e.flag ? "is not" : "is", n.products[e.product]));
      return;
    case W::Member:
      if (w.is_member(e.account) != e.flag)
        fail(fmt::format("the account is {}", to_string(w.accounts[e.account].membership)));
      return;
    case W::DelegatedAdmin:
      if (w.org.delegated_admin != e.account)
        fail(fmt::format("the delegated administrator is {}",
                         w.org.delegated_admin == kNone ? "none" : n.account(w.org.delegated_admin)));
      return;
  }
}

void ScenarioRun::check_invariants(const World* before, const Call* call, const Outcome* outcome,
                                   const Changes* changes, StepReport& r) {
  std::vector<Violation> found;
  check_state(world_, names_, found);
  if (call) check_transition(Transition{before, world_, *call, *outcome, *changes}, names_, found);
  if (extra_)
    for (const Property& p : *extra_) {
      std::optional<std::string> v;
      if (p.kind == PropertyKind::Always && p.check_state) v = p.check_state(world_, names_);
      if (p.kind == PropertyKind::Transition && p.check_transition && call)
        v = p.check_transition(Transition{before, world_, *call, *outcome, *changes}, names_);
      if (v) found.push_back({std::string(p.name), std::move(*v)});
    }
  for (Violation& v : found)
    r.failures.push_back({StepFailure::Kind::Invariant, std::move(v.property), std::move(v.detail), r.mark});
  for (size_t i = 0; i < cover_props_.size(); ++i)  // check_state: nullopt on an example
    if (!covers_[i].step && !cover_props_[i]->check_state(world_, names_)) covers_[i].step = r.number;
}

}  // namespace entmc
