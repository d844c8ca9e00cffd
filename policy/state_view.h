// Internal to policy/: what a user property reads, as a view of one state.
// Either a World as it is, or the state before a call seen through the call's
// change log (the after-World plus the before-images of what the call
// modified): the simulator keeps no copy of the previous state, and a
// transition property's `before:` reads it this way. Index links (received,
// owned and per-license lists) are always read from the after-World and the
// records the call created are skipped: a call only prepends to those lists,
// so the older records' links are the same in both states.
#pragma once

#include <unordered_map>

#include "model/world.h"

namespace entmc::policy {

class StateView {
 public:
  explicit StateView(const World& w) : w_(w) {}
  StateView(const World& after, const Changes& undo) : w_(after), undo_(&undo) {}

  const World& world() const { return w_; }  // the after-World when undoing
  bool undoing() const { return undo_ != nullptr; }

  const Organization& org() const { return undo_ && undo_->org_changed ? undo_->org_before : w_.org; }
  uint32_t account_count() const { return uint32_t(w_.accounts.size()); }
  const Account& account(AccountIx a) const { return undo_ ? *image(undo_->accounts, a, w_.accounts[a]) : w_.accounts[a]; }
  uint32_t grant_count() const { return undo_ ? undo_->grants_before : uint32_t(w_.grants.size()); }
  const Grant& grant(GrantIx g) const { return undo_ ? *image(undo_->grants, g, w_.grants[g]) : w_.grants[g]; }
  uint32_t license_count() const { return undo_ ? undo_->licenses_before : uint32_t(w_.licenses.size()); }
  const License& license(LicenseIx l) const {
    return undo_ ? *image(undo_->licenses, l, w_.licenses[l]) : w_.licenses[l];
  }
  size_t product_count() const { return w_.products.size(); }
  ProductType product_type(ProductIx p) const { return w_.products[p]; }
  uint8_t running(AccountIx a, ProductIx p) const {
    if (undo_)
      for (const WorkloadChange& c : undo_->workloads)  // the first record per slot is the before-image
        if (c.account == a && c.product == p) return c.before;
    return w_.running_at(a, p);
  }

  template <typename F>
  void for_each_received(AccountIx a, ProductIx p, F&& f) const {
    const uint32_t n = grant_count();
    for (GrantIx g = w_.first_received_at(a, p); g != kNone; g = w_.grants[g].next_received)
      if (g < n) f(g);
  }
  template <typename F>
  void for_each_owned(AccountIx a, ProductIx p, F&& f) const {
    const uint32_t n = license_count();
    for (LicenseIx l = w_.first_owned_at(a, p); l != kNone; l = w_.licenses[l].next_owned)
      if (l < n) f(l);
  }

 private:
  // The first entry for `ix` in a change log is its before-image.
  template <typename Ix, typename T>
  static const T* image(const std::vector<std::pair<Ix, T>>& log, Ix ix, const T& now) {
    for (const auto& [i, before] : log)
      if (i == ix) return &before;
    return &now;
  }

  const World& w_;
  const Changes* undo_ = nullptr;
};

}  // namespace entmc::policy
