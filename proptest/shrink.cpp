#include "proptest/shrink.h"

#include <algorithm>

namespace entmc::proptest {
namespace {

constexpr uint32_t kDangling = 0xFFFFFFFFu;  // a reference to a removed step: never resolves

// Keeps the steps with keep[i]; references to removed steps dangle.
Run keep_steps(const Run& run, const std::vector<bool>& keep) {
  std::vector<uint32_t> renumber(run.steps.size(), kDangling);
  Run out = run;
  out.steps.clear();
  for (size_t i = 0; i < run.steps.size(); ++i) {
    if (!keep[i]) continue;
    renumber[i] = uint32_t(out.steps.size());
    Step s = run.steps[i];
    for (Ref* r : {&s.license, &s.grant})
      if (r->kind != RefKind::None && r->kind != RefKind::Unknown) r->step = r->step < renumber.size() ? renumber[r->step] : kDangling;
    out.steps.push_back(s);
  }
  return out;
}

// Removes account `a` from the world: later accounts shift down by one;
// steps that name `a` are removed.
std::optional<Run> without_account(const Run& run, AccountIx a) {
  WorldSpec s = run.world;
  if (a == 0 || a >= s.account_count() || run.base) return std::nullopt;
  auto shift = [a](AccountIx x) { return x == kNone || x == kIssuer || x < a ? x : x - 1; };
  if (a <= s.members) {
    if (s.members <= 1) return std::nullopt;
    --s.members;
  } else if (a < s.commercial_count()) {
    --s.outside;
  } else {
    s.govcloud_links.erase(s.govcloud_links.begin() + (a - s.commercial_count()));
  }
  for (AccountIx link : s.govcloud_links)
    if (link == a) return std::nullopt;  // a GovCloud account still links to it
  for (AccountIx& link : s.govcloud_links) link = shift(link);
  if (s.delegated_admin == a) return std::nullopt;
  s.delegated_admin = shift(s.delegated_admin);
  if (a < s.roles.size()) s.roles.erase(s.roles.begin() + a);
  Run out = run;
  out.world = s;
  std::vector<bool> keep(run.steps.size(), true);
  for (size_t i = 0; i < run.steps.size(); ++i) {
    Step& st = out.steps[i];
    if (st.call.caller == a || st.call.account == a || st.grant.account == a) {
      keep[i] = false;
      continue;
    }
    st.call.caller = shift(st.call.caller);
    st.call.account = shift(st.call.account);
    st.grant.account = shift(st.grant.account);
  }
  return keep_steps(out, keep);
}

// Removes product `p` from the world; steps that name it are removed.
std::optional<Run> without_product(const Run& run, ProductIx p) {
  if (run.base || run.world.products.size() <= 1) return std::nullopt;
  Run out = run;
  out.world.products.erase(out.world.products.begin() + p);
  std::vector<bool> keep(run.steps.size(), true);
  for (size_t i = 0; i < run.steps.size(); ++i) {
    Call& c = out.steps[i].call;
    if (!(spec(c.op).params & kPProduct)) continue;
    if (c.product == p) keep[i] = false;
    if (c.product > p) --c.product;
  }
  return keep_steps(out, keep);
}

// One-field simplifications of a step, simplest first.
std::vector<Step> simpler_steps(const Step& s) {
  std::vector<Step> out;
  auto with = [&](auto&& edit) {
    Step t = s;
    edit(t);
    if (!(t == s)) out.push_back(t);
  };
  with([](Step& t) { t.token = 0; });
  with([](Step& t) { t.name = 0; });
  with([](Step& t) { t.reason = 0; });
  with([](Step& t) { t.call.override_behavior = ActivationOverride::NONE; });
  with([](Step& t) {
    if (t.call.op == Op::CreateGrantVersion && t.version == VersionArg::Current) t.version = VersionArg::None;
  });
  with([](Step& t) {
    if (!is_govcloud(t.call.region)) t.call.region = kHomeRegion;
  });
  with([](Step& t) { t.call.allowed_ops = 0; });
  return out;
}

// World simplifications that do not renumber anything.
std::vector<Run> simpler_worlds(const Run& run) {
  std::vector<Run> out;
  if (run.base) return out;
  auto with = [&](auto&& edit) {
    Run r = run;
    edit(r.world);
    if (!(r.world == run.world)) out.push_back(r);
  };
  with([](WorldSpec& w) { w.delegated_admin = kNone; });
  for (uint8_t bit : {kTrustedLicenseManager, kTrustedMarketplace, kLinkedAccounts})
    with([bit](WorldSpec& w) { w.org_flags &= uint8_t(~bit); });
  with([](WorldSpec& w) { w.roles.clear(); });
  for (size_t a = 0; a < run.world.roles.size(); ++a) with([a](WorldSpec& w) { w.roles[a] = 0; });
  with([](WorldSpec& w) {
    if (w.org_flags == 0 && w.delegated_admin == kNone) w.feature_set = FeatureSet::CONSOLIDATED_BILLING;
  });
  return out;
}

class Shrinker {
 public:
  Shrinker(const StillFails& fails, const Rules& rules, ShrinkStats* stats, size_t budget)
      : fails_(fails), rules_(rules), stats_(stats), budget_(budget) {}

  // Accepts `candidate` (normalized) when it still fails and is no larger.
  bool attempt(const Run& candidate, Run& best) {
    if (spent_ >= budget_) return false;
    Run c = normalize(candidate, rules_);
    if (c.steps.size() > best.steps.size()) return false;
    if (c == best) return false;
    ++spent_;
    if (stats_) ++stats_->attempts;
    if (!fails_(c)) return false;
    if (stats_) ++stats_->accepted;
    best = std::move(c);
    return true;
  }

  bool delete_chunks(Run& best) {
    bool any = false;
    for (size_t chunk = std::max<size_t>(1, best.steps.size() / 2); chunk >= 1; chunk /= 2) {
      for (size_t start = 0; start < best.steps.size();) {
        std::vector<bool> keep(best.steps.size(), true);
        for (size_t i = start; i < std::min(best.steps.size(), start + chunk); ++i) keep[i] = false;
        if (attempt(keep_steps(best, keep), best))
          any = true;  // retry the same position: the next chunk moved into it
        else
          start += chunk;
      }
      if (chunk == 1) break;
    }
    return any;
  }

  bool shrink_world(Run& best) {
    bool any = false;
    for (AccountIx a = best.world.account_count(); a-- > 1;)
      if (auto r = without_account(best, a); r && attempt(*r, best)) any = true;
    for (ProductIx p = ProductIx(best.world.products.size()); p-- > 0;)
      if (auto r = without_product(best, p); r && attempt(*r, best)) any = true;
    for (const Run& r : simpler_worlds(best))
      if (attempt(r, best)) any = true;
    return any;
  }

  bool simplify_steps(Run& best) {
    bool any = false;
    for (size_t i = 0; i < best.steps.size(); ++i)
      for (const Step& s : simpler_steps(best.steps[i])) {
        Run r = best;
        r.steps[i] = s;
        if (attempt(r, best)) any = true;
        if (i >= best.steps.size()) break;
      }
    return any;
  }

  bool exhausted() const { return spent_ >= budget_; }

 private:
  const StillFails& fails_;
  const Rules& rules_;
  ShrinkStats* stats_;
  size_t budget_;
  size_t spent_ = 0;
};

}  // namespace

Run normalize(const Run& run, const Rules& rules) {
  ExecOptions opts;
  opts.rules = &rules;
  opts.check_properties = false;
  Execution e = execute(run, opts);
  std::vector<bool> keep(run.steps.size(), true);
  for (size_t i = 0; i < e.records.size(); ++i) keep[i] = !e.records[i].skipped;
  return keep_steps(run, keep);
}

Run truncate_after(const Run& run, size_t step) {
  Run out = run;
  if (step != kSetupStep && step + 1 < out.steps.size()) out.steps.resize(step + 1);
  return out;
}

StillFails fails_with(std::string property, const Rules& rules) {
  return [property = std::move(property), &rules](const Run& r) {
    ExecOptions opts;
    opts.rules = &rules;
    Execution e = execute(r, opts);
    return e.found && e.found->violation.property == property;
  };
}

Run shrink_run(const Run& failing, const StillFails& fails, const Rules& rules, ShrinkStats* stats, size_t budget) {
  Run best = normalize(failing, rules);
  if (!fails(best)) best = failing;  // normalizing cannot change a failing run's meaning, but be safe
  Shrinker s(fails, rules, stats, budget);
  for (bool progress = true; progress && !s.exhausted();) {
    progress = s.delete_chunks(best);
    progress |= s.shrink_world(best);
    progress |= s.simplify_steps(best);
  }
  return best;
}

}  // namespace entmc::proptest
