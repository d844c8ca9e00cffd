// Internal to properties/: the state before a transition, read the same way
// whether the checker has the whole previous World (replay, explorer, random
// testing) or only the before-images in Changes (the simulator). With a whole
// World the view trusts it and diffs it, so a rule that forgot to log a change
// is still judged on what it really did.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "properties/first_images.h"
#include "properties/property.h"

namespace entmc::props {

class BeforeView {
 public:
  explicit BeforeView(const Transition& t) : t_(t) {}
  ~BeforeView() {
    if (own_) own_->release();
  }
  BeforeView(const BeforeView&) = delete;
  BeforeView& operator=(const BeforeView&) = delete;

  bool has_world() const { return t_.before != nullptr; }
  // The checker passed the same object as before and after: it established
  // that the call changed nothing (property.h), so there is nothing to diff.
  bool same_object() const { return t_.before == &t_.after; }
  // nullptr: the record did not exist before the call. With the whole
  // previous World (the explorer's every call) the answer is read inline;
  // from the change log out of line.
  const Grant* grant(GrantIx g) const {
    if (t_.before) return g < t_.before->grants.size() ? &t_.before->grants[g] : nullptr;
    return logged_grant(g);
  }
  const License* license(LicenseIx l) const {
    if (t_.before) return l < t_.before->licenses.size() ? &t_.before->licenses[l] : nullptr;
    return logged_license(l);
  }
  const Account* account(AccountIx a) const {
    if (t_.before) return a < t_.before->accounts.size() ? &t_.before->accounts[a] : nullptr;
    return logged_account(a);
  }
  const Organization& org() const {
    if (t_.before) return t_.before->org;
    return t_.changes.org_changed ? t_.changes.org_before : t_.after.org;
  }
  uint8_t running(AccountIx a, ProductIx p) const {
    if (t_.before) return t_.before->valid_account(a) ? t_.before->running_at(a, p) : 0;
    return logged_running(a, p);
  }
  size_t grant_count() const { return t_.before ? t_.before->grants.size() : t_.changes.grants_before; }  // grants before the call

  // Did the call change anything at all?
  bool anything_changed() const;
  // Did it change anything but running workloads?
  bool non_workload_changed() const;

  // Every grant the call created or whose record it changed:
  // f(GrantIx, const Grant* before_or_null, const Grant& after).
  template <typename F>
  void for_each_changed_grant(F&& f) const {
    const World& after = t_.after;
    if (same_object()) return;
    if (t_.before) {
      const auto& old = t_.before->grants;
      for (GrantIx g = 0; g < after.grants.size(); ++g) {
        if (g < old.size() && old[g] == after.grants[g]) continue;
        f(g, g < old.size() ? &old[g] : nullptr, after.grants[g]);
      }
      return;
    }
    auto changed = [&](const std::pair<GrantIx, Grant>& e) {
      const auto& [g, before] = e;
      if (g < after.grants.size() && !(before == after.grants[g])) f(g, &before, after.grants[g]);
    };
    if (t_.changes.grants.size() <= 1)  // most calls: in order already
      for (const auto& e : t_.changes.grants) changed(e);
    else
      index(kGrants).grants.for_each(changed);
    for (GrantIx g = t_.changes.grants_before; g < after.grants.size(); ++g) f(g, nullptr, after.grants[g]);
  }

  // Every (account, product) whose running count changed: f(a, p, before, after).
  template <typename F>
  void for_each_changed_workload(F&& f) const {
    const World& after = t_.after;
    const size_t np = after.products.size();
    if (np == 0 || same_object()) return;
    if (t_.before) {
      const auto& old = t_.before->running;
      // Equal arrays hold no change: the slot-by-slot search (which finds
      // the same nothing) runs only where a byte differs (most calls start
      // or stop no workload).
      if (same_bytes(old, after.running)) return;
      for (size_t i = 0; i < after.running.size(); ++i) {
        const uint8_t b = i < old.size() ? old[i] : 0;
        if (b != after.running[i]) f(AccountIx(i / np), ProductIx(i % np), b, after.running[i]);
      }
      return;
    }
    const auto& log = t_.changes.workloads;
    for (const WorkloadChange& c : log.size() <= 1 ? log : index(kWorkloads).workloads) {  // one: a launch, a stop
      const uint8_t now = after.running_at(c.account, c.product);
      if (c.before != now) f(c.account, c.product, c.before, now);
    }
  }

 private:
  enum : uint8_t { kGrants = 1, kLicenses = 2, kAccounts = 4, kWorkloads = 8 };
  // A log this short is searched in place (its first entry per index is the
  // before-image) rather than indexed: most calls log one or two records.
  static constexpr size_t kSearchInPlace = 4;
  // Without a whole World: the first before-image per index, sorted by index;
  // built on first use, one kind of record at a time, in recycled buffers
  // (scratch.h).
  struct Indexes {
    Indexes();  // declared, so that optional<Indexes> is constructible inside BeforeView (clang)
    uint8_t built = 0;  // the kinds built
    FirstImages<GrantIx, Grant> grants;
    FirstImages<LicenseIx, License> licenses;
    FirstImages<AccountIx, Account> accounts;
    std::vector<WorkloadChange> workloads;
    void build(uint8_t kind, const Changes&);
    void release();  // gives the buffers back
  };
  // Inside a TransitionCheckScope (property.h) for this Transition, every
  // view of it shares the scope's Indexes; otherwise the view has its own.
  struct Shared {
    const Transition* transition = nullptr;  // the scope's, or none
    Indexes indexes;
  };
  static Shared& shared();  // this thread's
  friend class entmc::TransitionCheckScope;
  const Indexes& index(uint8_t kind) const;
  // The records before the call without the previous World: from the change log.
  const Grant* logged_grant(GrantIx) const;
  const License* logged_license(LicenseIx) const;
  const Account* logged_account(AccountIx) const;
  uint8_t logged_running(AccountIx, ProductIx) const;
  // The first entry for `ix` in `log` (its before-image): searched in place
  // when the log is short, else looked up in the index of `kind`.
  template <typename Ix, typename Rec>
  const Rec* first_image(const std::vector<std::pair<Ix, Rec>>& log, Ix ix, uint8_t kind,
                         FirstImages<Ix, Rec> Indexes::*indexed) const;

  const Transition& t_;
  mutable Indexes* ix_ = nullptr;  // the shared Indexes or own_, once one is used
  mutable std::optional<Indexes> own_;
};

}  // namespace entmc::props
