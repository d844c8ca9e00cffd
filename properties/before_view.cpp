#include "properties/before_view.h"

#include <algorithm>
#include <cassert>

namespace entmc::props {

BeforeView::Indexes::Indexes() = default;

void BeforeView::Indexes::release() {
  if (built & kGrants) grants.release();
  if (built & kLicenses) licenses.release();
  if (built & kAccounts) accounts.release();
  if (built & kWorkloads) give_buffer(workloads);
  built = 0;
}

BeforeView::Shared& BeforeView::shared() {
  thread_local Shared s;
  return s;
}

// Built on first use, one kind of record at a time: most transition checks
// return before reading any before-image, and the others read one kind.
const BeforeView::Indexes& BeforeView::index(uint8_t kind) const {
  if (!ix_) {
    Shared& s = shared();
    ix_ = s.transition == &t_ ? &s.indexes : &own_.emplace();
  }
  if (!(ix_->built & kind)) ix_->build(kind, t_.changes);
  return *ix_;
}

void BeforeView::Indexes::build(uint8_t kind, const Changes& changes) {
  built |= kind;
  switch (kind) {
    case kGrants:
      grants.build(changes.grants);
      break;
    case kLicenses:
      licenses.build(changes.licenses);
      break;
    case kAccounts:
      accounts.build(changes.accounts);
      break;
    default: {
      take_buffer(workloads);
      workloads.assign(changes.workloads.begin(), changes.workloads.end());
      auto by_slot = [](const WorkloadChange& a, const WorkloadChange& b) {
        return a.account != b.account ? a.account < b.account : a.product < b.product;
      };
      if (!std::is_sorted(workloads.begin(), workloads.end(), by_slot))
        std::stable_sort(workloads.begin(), workloads.end(), by_slot);
      workloads.erase(std::unique(workloads.begin(), workloads.end(),
                                  [](const WorkloadChange& a, const WorkloadChange& b) {
                                    return a.account == b.account && a.product == b.product;
                                  }),
                      workloads.end());
    }
  }
}

template <typename Ix, typename Rec>
const Rec* BeforeView::first_image(const std::vector<std::pair<Ix, Rec>>& log, Ix ix, uint8_t kind,
                                   FirstImages<Ix, Rec> Indexes::*indexed) const {
  if (log.size() > kSearchInPlace) return (index(kind).*indexed).find(ix);
  for (const auto& [i, rec] : log)
    if (i == ix) return &rec;
  return nullptr;
}

const Grant* BeforeView::logged_grant(GrantIx g) const {
  if (g >= t_.changes.grants_before) return nullptr;
  if (const Grant* img = first_image(t_.changes.grants, g, kGrants, &Indexes::grants)) return img;
  return g < t_.after.grants.size() ? &t_.after.grants[g] : nullptr;
}

const License* BeforeView::logged_license(LicenseIx l) const {
  if (l >= t_.changes.licenses_before) return nullptr;
  if (const License* img = first_image(t_.changes.licenses, l, kLicenses, &Indexes::licenses)) return img;
  return l < t_.after.licenses.size() ? &t_.after.licenses[l] : nullptr;
}

const Account* BeforeView::logged_account(AccountIx a) const {
  if (const Account* img = first_image(t_.changes.accounts, a, kAccounts, &Indexes::accounts)) return img;
  return a < t_.after.accounts.size() ? &t_.after.accounts[a] : nullptr;
}

uint8_t BeforeView::logged_running(AccountIx a, ProductIx p) const {
  const auto& log = t_.changes.workloads;  // searched in place when short, like the records above
  for (const WorkloadChange& c : log.size() <= kSearchInPlace ? log : index(kWorkloads).workloads)
    if (c.account == a && c.product == p) return c.before;
  return t_.after.running_at(a, p);
}

bool BeforeView::anything_changed() const {
  if (same_object()) return false;
  if (t_.before) return !(*t_.before == t_.after);
  return !t_.changes.empty(t_.after);
}

bool BeforeView::non_workload_changed() const {
  if (same_object()) return false;
  if (t_.before) {
    const World& b = *t_.before;
    const World& a = t_.after;
    return !(b.org == a.org && b.products == a.products && b.accounts == a.accounts && b.licenses == a.licenses &&
             b.grants == a.grants && b.org_grants == a.org_grants && b.tokens == a.tokens);
  }
  const Changes& c = t_.changes;
  return c.org_changed || !c.grants.empty() || !c.licenses.empty() || !c.accounts.empty() || !c.tokens.empty() ||
         t_.after.grants.size() != c.grants_before || t_.after.licenses.size() != c.licenses_before;
}

}  // namespace entmc::props

namespace entmc {

TransitionCheckScope::TransitionCheckScope(const Transition& t) {
  auto& s = props::BeforeView::shared();
  assert(s.transition == nullptr && "one TransitionCheckScope at a time per thread");
  s.transition = &t;
}

TransitionCheckScope::~TransitionCheckScope() {
  auto& s = props::BeforeView::shared();
  s.indexes.release();
  s.transition = nullptr;
}

}  // namespace entmc
