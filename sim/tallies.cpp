#include "sim/tallies.h"

#include <algorithm>

#include "model/memory_hints.h"

namespace entmc::sim {

Vitals recount(const World& w) {
  Vitals v;
  v.entitled_by_product.assign(w.products.size(), 0);
  std::vector<uint32_t> active(w.licenses.size(), 0);
  for (const Grant& g : w.grants) {
    ++v.grants_by_status[size_t(g.status)];
    if (g.status == GrantStatus::ACTIVE) ++active[g.license];
  }
  for (LicenseIx l = 0; l < w.licenses.size(); ++l) {
    if (w.licenses[l].status != LicenseStatus::AVAILABLE) continue;
    v.active_entitlements += 1 + active[l];
    v.entitled_by_product[w.licenses[l].product] += 1 + active[l];
  }
  for (uint8_t r : w.running) v.running_workloads += r;
  return v;
}

Tallies::Tallies(const World& initial) : vitals_(recount(initial)) {
  // Indexed by a changed grant's license, at random: reserved like the
  // world's licenses and advised for huge pages (memory_hints.h).
  active_on_license_.reserve(initial.licenses.capacity());
  advise_huge_pages(active_on_license_);
  active_on_license_.assign(initial.licenses.size(), 0);
  for (const Grant& g : initial.grants)
    if (g.status == GrantStatus::ACTIVE) ++active_on_license_[g.license];
}

void Tallies::add_license_contribution(const World& w, LicenseIx l, LicenseStatus s, int64_t sign) {
  const int64_t c = sign * contribution(l, s);
  vitals_.active_entitlements += c;
  vitals_.entitled_by_product[w.licenses[l].product] += c;
}

void Tallies::move_grant(GrantStatus before, const Grant& now) {
  --vitals_.grants_by_status[size_t(before)];
  ++vitals_.grants_by_status[size_t(now.status)];
  if (before == GrantStatus::ACTIVE) --active_on_license_[now.license];
  if (now.status == GrantStatus::ACTIVE) ++active_on_license_[now.license];
}

void Tallies::observe(const World& w, const Changes& ch) {
  // No rule changes one workload slot twice in a call; recount() in the tests
  // would notice if one started to.
  for (const WorkloadChange& wc : ch.workloads)
    vitals_.running_workloads += int64_t(w.running_at(wc.account, wc.product)) - int64_t(wc.before);
  // Half the events (launches, stops, failed calls) change no grant or
  // license: nothing more to count.
  if (!ch.grants_changed(w) && !ch.licenses_changed(w)) return;
  // Most grant calls change one existing grant's status and nothing else: the
  // steps below for that one grant and its one license, without their
  // bookkeeping of several.
  if (ch.grants.size() == 1 && ch.licenses.empty() && w.grants.size() == ch.grants_before &&
      w.licenses.size() == ch.licenses_before &&
      ch.grants.front().second.license == w.grants[ch.grants.front().first].license) {
    const auto& [g, before] = ch.grants.front();
    const Grant& now = w.grants[g];
    const LicenseStatus status = w.licenses[now.license].status;  // the license did not change
    add_license_contribution(w, now.license, status, -1);
    move_grant(before.status, now);
    add_license_contribution(w, now.license, status, +1);
    return;
  }

  // Changes may log a grant more than once; its first entry is its
  // before-image (the log itself when it is in order, as an
  // organization-wide call's million children are).
  firsts_.build(ch.grants);
  if (active_on_license_.size() < w.licenses.size()) active_on_license_.resize(w.licenses.size(), 0);

  // 1. The licenses whose contribution may change; take out their old contribution.
  touched_.clear();
  auto touch = [&](LicenseIx l) {
    if (std::find(touched_.begin(), touched_.end(), l) == touched_.end()) touched_.push_back(l);
  };
  for (const auto& e : ch.licenses) touch(e.first);
  firsts_.for_each([&](const auto& e) {
    const LicenseIx l = e.second.license;
    if (touched_.empty() || touched_.back() != l) touch(l);
  });
  for (GrantIx g = ch.grants_before; g < w.grants.size(); ++g)
    if (touched_.empty() || touched_.back() != w.grants[g].license) touch(w.grants[g].license);
  for (LicenseIx l : touched_) {
    if (l >= ch.licenses_before) continue;  // created by this call: no old contribution
    LicenseStatus old = w.licenses[l].status;
    for (const auto& [ix, before] : ch.licenses)
      if (ix == l) {
        old = before.status;
        break;
      }
    add_license_contribution(w, l, old, -1);
  }
  for (LicenseIx l = ch.licenses_before; l < w.licenses.size(); ++l) touch(l);

  // 2. Grants: the status histogram and the ACTIVE count per license.
  firsts_.for_each([&](const auto& e) { move_grant(e.second.status, w.grants[e.first]); });
  firsts_.release();
  for (GrantIx g = ch.grants_before; g < w.grants.size(); ++g) {
    const Grant& now = w.grants[g];
    ++vitals_.grants_by_status[size_t(now.status)];
    if (now.status == GrantStatus::ACTIVE) ++active_on_license_[now.license];
  }

  // 3. Their new contribution.
  for (LicenseIx l : touched_) add_license_contribution(w, l, w.licenses[l].status, +1);
}

}  // namespace entmc::sim
