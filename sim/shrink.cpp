#include "sim/shrink.h"

#include <algorithm>

#include "model/entitlement.h"
#include "sim/organization.h"

namespace entmc::sim {
namespace {

constexpr uint32_t kUnknownRef = 0xFFFFFFF0u;  // an index that named nothing (a deliberately invalid call)
constexpr uint32_t kRemovedRef = 0xFFFFFFEFu;  // the creating step was removed while shrinking

// Where each record came from, while replaying.
struct Provenance {
  std::vector<uint32_t> license_step;  // per LicenseIx
  std::vector<uint32_t> grant_step;    // per GrantIx: the step that created it (for a child: its parent's)
  void after(const World& w, uint32_t step) {
    while (license_step.size() < w.licenses.size()) license_step.push_back(step);
    while (grant_step.size() < w.grants.size()) grant_step.push_back(step);
  }
};

}  // namespace

std::vector<SymbolicCall> symbolize(const World& initial, const std::vector<Call>& calls, const Rules& rules) {
  World w = initial;
  Provenance prov;
  prov.after(w, kNone);
  std::vector<SymbolicCall> out;
  out.reserve(calls.size());
  for (uint32_t i = 0; i < calls.size(); ++i) {
    const Call& c = calls[i];
    SymbolicCall s{c, kNone, kNone, kNone};
    const OpSpec& sp = spec(c.op);
    if (sp.params & kPLicense) s.license_from = c.license < w.licenses.size() ? prov.license_step[c.license] : kUnknownRef;
    if (sp.params & kPGrant) {
      if (c.grant >= w.grants.size()) {
        s.grant_from = kUnknownRef;
      } else if (w.grants[c.grant].is_org_child()) {
        s.grant_from = prov.grant_step[w.grants[c.grant].parent];
        s.child_of = w.grants[c.grant].grantee;
      } else {
        s.grant_from = prov.grant_step[c.grant];
      }
    }
    apply(w, c, nullptr, rules);
    prov.after(w, i);  // a child is always reached through its parent, so its own entry is never read
    out.push_back(s);
  }
  return out;
}

bool replay_violates(const World& initial, const Names& names, const std::vector<SymbolicCall>& steps,
                     const ShrinkInput& in, std::vector<Call>* concrete, std::string* detail) {
  World w = initial;
  Changes ch;
  // created[k]: what step k created in this replay (kNone: nothing / not kept).
  std::vector<uint32_t> created;
  std::vector<uint32_t> step_ids;  // original step number of each replayed step
  created.reserve(steps.size());
  auto resolve = [&](uint32_t from, bool grant, AccountIx child_of, uint32_t& out) {
    if (from == kNone) return true;  // the index is used as is
    if (from == kRemovedRef) return false;
    if (from == kUnknownRef) {
      out = grant ? GrantIx(w.grants.size() + 7) : LicenseIx(w.licenses.size() + 7);
      return true;
    }
    auto it = std::lower_bound(step_ids.begin(), step_ids.end(), from);
    if (it == step_ids.end() || *it != from) return false;
    const uint32_t made = created[size_t(it - step_ids.begin())];
    if (made == kNone) return false;
    if (child_of != kNone) {
      if (!w.valid_account(child_of)) return false;
      out = find_org_child(w, made, child_of);
      return out != kNone;
    }
    out = made;
    return true;
  };
  for (const SymbolicCall& s : steps) {
    Call c = s.call;
    const OpSpec& sp = spec(c.op);
    if ((sp.params & kPLicense) && !resolve(s.license_from, false, kNone, c.license)) continue;
    if ((sp.params & kPGrant) && !resolve(s.grant_from, true, s.child_of, c.grant)) continue;
    // The step number is implicit in its position; reconstruct a stable id.
    const auto id = uint32_t(&s - steps.data());
    const Outcome o = apply(w, c, &ch, *in.rules);
    if (concrete) concrete->push_back(c);
    step_ids.push_back(id);
    created.push_back(o.ok() ? o.created : kNone);
    if (auto v = in.checker->after_event(w, c, o, ch, names)) {
      if (v->property == in.property) {
        if (detail) *detail = v->detail;
        return true;
      }
      return false;  // a different property broke first: not the same failure
    }
  }
  if (in.full_check)
    if (auto v = in.checker->full(w, names); v && v->property == in.property) {
      if (detail) *detail = v->detail;
      return true;
    }
  return false;
}

namespace {

// Step ids in SymbolicCall refer to positions in the list being shrunk; when
// steps are removed, the references must follow. Rewrites `from` fields of
// `kept` (a subsequence given by positions) to the new positions.
std::vector<SymbolicCall> subsequence(const std::vector<SymbolicCall>& all, const std::vector<uint32_t>& keep) {
  std::vector<uint32_t> new_pos(all.size(), kNone);
  for (uint32_t k = 0; k < keep.size(); ++k) new_pos[keep[k]] = k;
  std::vector<SymbolicCall> out;
  out.reserve(keep.size());
  for (uint32_t k : keep) {
    SymbolicCall s = all[k];
    auto remap = [&](uint32_t& from) {
      if (from >= kRemovedRef) return;  // kNone, kUnknownRef, kRemovedRef stay as they are
      from = new_pos[from] == kNone ? kRemovedRef : new_pos[from];
    };
    remap(s.license_from);
    remap(s.grant_from);
    out.push_back(s);
  }
  return out;
}

// Keeps only the accounts `steps` name (and the management account), in the
// original order; returns false when nothing would be removed.
bool reduce_accounts(const World& initial, const Names& names, const std::vector<AccountIx>& keep,
                     std::vector<SymbolicCall>& steps, World& w_out, Names& names_out) {
  std::vector<uint8_t> used(initial.accounts.size(), 0);
  used[initial.org.management] = 1;
  for (AccountIx a : keep)
    if (a < used.size()) used[a] = 1;
  auto note = [&](AccountIx a) {
    if (a < used.size()) used[a] = 1;
  };
  for (const SymbolicCall& s : steps) {
    note(s.call.caller);
    if (spec(s.call.op).params & (kPAccount | kPPrincipal)) note(s.call.account);
    note(s.child_of);
  }
  for (AccountIx a = 0; a < initial.accounts.size(); ++a) {
    const Account& acc = initial.accounts[a];
    if (used[a] && (acc.flags & kGovCloud) && acc.govcloud_link != kNone) used[acc.govcloud_link] = 1;
  }
  if (std::count(used.begin(), used.end(), 1) == std::ptrdiff_t(used.size())) return false;
  // A start state's records (a simulation file's `start:`) name accounts the
  // steps may not: the world is rebuilt from accounts alone, so it is kept.
  if (has_start_records(initial)) return false;
  std::vector<AccountIx> map(initial.accounts.size(), kNone);
  w_out = make_world(initial.org.feature_set, initial.products, initial.tokens.empty() ? 0 : initial.tokens.size() - 1);
  w_out.org.flags = initial.org.flags;
  names_out = names;
  names_out.accounts.clear();
  for (AccountIx a = 0; a < initial.accounts.size(); ++a) {
    if (!used[a]) continue;
    const Account& acc = initial.accounts[a];
    map[a] = add_account(w_out, acc.membership, acc.flags, kNone);
    names_out.accounts.push_back(names.accounts[a]);
  }
  for (AccountIx a = 0; a < initial.accounts.size(); ++a)
    if (map[a] != kNone && initial.accounts[a].govcloud_link != kNone)
      w_out.accounts[map[a]].govcloud_link = map[initial.accounts[a].govcloud_link];
  w_out.org.management = map[initial.org.management];
  w_out.org.delegated_admin = initial.org.delegated_admin == kNone ? kNone : map[initial.org.delegated_admin];
  const auto unknown = AccountIx(w_out.accounts.size() + 7);
  auto remap = [&](AccountIx& a) {
    if (a == kNone || a == kIssuer) return;
    a = a < map.size() && map[a] != kNone ? map[a] : unknown;
  };
  for (SymbolicCall& s : steps) {
    remap(s.call.caller);
    if (spec(s.call.op).params & (kPAccount | kPPrincipal)) remap(s.call.account);
    remap(s.child_of);
  }
  return true;
}

}  // namespace

ShrinkResult shrink(const std::vector<Call>& calls, const ShrinkInput& in) {
  const auto t0 = std::chrono::steady_clock::now();
  ShrinkResult r;
  std::vector<SymbolicCall> steps = symbolize(*in.initial, calls, *in.rules);
  auto out_of_budget = [&] {
    return r.tests >= in.max_tests ||
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > in.max_seconds;
  };
  auto test = [&](const std::vector<SymbolicCall>& cand) {
    ++r.tests;
    return replay_violates(*in.initial, *in.names, cand, in);
  };

  // ddmin, complement-only variant: try removing each of n chunks.
  size_t n = 2;
  while (steps.size() >= 2 && !out_of_budget()) {
    const size_t chunk = (steps.size() + n - 1) / n;
    bool reduced = false;
    for (size_t start = 0; start < steps.size() && !out_of_budget(); start += chunk) {
      std::vector<uint32_t> keep;
      keep.reserve(steps.size());
      for (uint32_t k = 0; k < steps.size(); ++k)
        if (k < start || k >= start + chunk) keep.push_back(k);
      std::vector<SymbolicCall> cand = subsequence(steps, keep);
      if (test(cand)) {
        steps = std::move(cand);
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= steps.size()) break;
      n = std::min(n * 2, steps.size());
    }
  }
  r.budget_exhausted = out_of_budget();

  r.initial = *in.initial;
  r.names = *in.names;
  World smaller;
  Names smaller_names;
  std::vector<SymbolicCall> remapped = steps;
  ShrinkInput judge = in;  // the checker for the organization finally written
  std::shared_ptr<const InvariantChecker> smaller_checker;
  // Properties that name accounts by number cannot judge a renumbered
  // organization unless they are compiled again for it.
  const bool may_renumber = in.keep_accounts.empty() || bool(in.checker_for);
  if (may_renumber && reduce_accounts(*in.initial, *in.names, in.keep_accounts, remapped, smaller, smaller_names)) {
    ShrinkInput on_smaller = in;
    if (in.checker_for) {
      smaller_checker = in.checker_for(smaller, smaller_names);
      on_smaller.checker = smaller_checker.get();
    }
    ++r.tests;
    if (on_smaller.checker && replay_violates(smaller, smaller_names, remapped, on_smaller)) {
      r.initial = std::move(smaller);
      r.names = std::move(smaller_names);
      steps = std::move(remapped);
      judge = on_smaller;
    }
  }
  replay_violates(r.initial, r.names, steps, judge, &r.calls, &r.detail);
  return r;
}

}  // namespace entmc::sim
