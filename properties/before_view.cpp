#include "properties/before_view.h"

#include <algorithm>

namespace entmc::props {

BeforeView::BeforeView(const Transition& t) : t_(t) {}

BeforeView::~BeforeView() {
  if (indexed_ & kGrants) grants_.release();
  if (indexed_ & kLicenses) licenses_.release();
  if (indexed_ & kAccounts) accounts_.release();
  if (indexed_ & kWorkloads) give_buffer(workloads_);
}

// Built on first use, one kind of record at a time: most transition checks
// return before reading any before-image, and the others read one kind.
void BeforeView::index(uint8_t kind) const {
  if ((indexed_ & kind) || t_.before) return;
  indexed_ |= kind;
  switch (kind) {
    case kGrants:
      grants_.build(t_.changes.grants);
      break;
    case kLicenses:
      licenses_.build(t_.changes.licenses);
      break;
    case kAccounts:
      accounts_.build(t_.changes.accounts);
      break;
    default: {
      take_buffer(workloads_);
      workloads_.assign(t_.changes.workloads.begin(), t_.changes.workloads.end());
      auto by_slot = [](const WorkloadChange& a, const WorkloadChange& b) {
        return a.account != b.account ? a.account < b.account : a.product < b.product;
      };
      if (!std::is_sorted(workloads_.begin(), workloads_.end(), by_slot))
        std::stable_sort(workloads_.begin(), workloads_.end(), by_slot);
      workloads_.erase(std::unique(workloads_.begin(), workloads_.end(),
                                   [](const WorkloadChange& a, const WorkloadChange& b) {
                                     return a.account == b.account && a.product == b.product;
                                   }),
                       workloads_.end());
    }
  }
}

const Grant* BeforeView::grant(GrantIx g) const {
  if (t_.before) return g < t_.before->grants.size() ? &t_.before->grants[g] : nullptr;
  if (g >= t_.changes.grants_before) return nullptr;
  index(kGrants);
  if (const Grant* img = grants_.find(g)) return img;
  return g < t_.after.grants.size() ? &t_.after.grants[g] : nullptr;
}

const License* BeforeView::license(LicenseIx l) const {
  if (t_.before) return l < t_.before->licenses.size() ? &t_.before->licenses[l] : nullptr;
  if (l >= t_.changes.licenses_before) return nullptr;
  index(kLicenses);
  if (const License* img = licenses_.find(l)) return img;
  return l < t_.after.licenses.size() ? &t_.after.licenses[l] : nullptr;
}

const Account* BeforeView::account(AccountIx a) const {
  if (t_.before) return a < t_.before->accounts.size() ? &t_.before->accounts[a] : nullptr;
  index(kAccounts);
  if (const Account* img = accounts_.find(a)) return img;
  return a < t_.after.accounts.size() ? &t_.after.accounts[a] : nullptr;
}

const Organization& BeforeView::org() const {
  if (t_.before) return t_.before->org;
  return t_.changes.org_changed ? t_.changes.org_before : t_.after.org;
}

uint8_t BeforeView::running(AccountIx a, ProductIx p) const {
  if (t_.before) return t_.before->valid_account(a) ? t_.before->running_at(a, p) : 0;
  index(kWorkloads);
  for (const WorkloadChange& c : workloads_)
    if (c.account == a && c.product == p) return c.before;
  return t_.after.running_at(a, p);
}

size_t BeforeView::grant_count() const { return t_.before ? t_.before->grants.size() : t_.changes.grants_before; }

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
