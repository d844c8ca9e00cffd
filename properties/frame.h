// Internal to properties/: frame conditions. A frame property states the whole
// effect of one successful call: the records it creates, the records it
// changes and exactly how, and that nothing else changed. It is an oracle of
// its own: it reads the state before the call (Before), writes down what the
// guides say the state after must be (Expected), and compares that with the
// state after, record by record. It never asks the model's rules or their
// helpers (model/entitlement.h, model/rules.h, the operation table).
//
// Before works with the whole previous World (replay, explorer, random
// testing: the lists are found by scanning the records themselves, so a
// wrong index cannot hide a record) and without it (the simulator: the
// before-images in Changes, and the World's own lists walked in the state
// after, skipping the records the call created).
#pragma once

#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "properties/before_view.h"
#include "properties/property.h"
#include "properties/world_facts.h"

namespace entmc::props {

// Facts about the state before a call, stated once over the reads of a view
// of it (Before, WholeBefore: each is a BeforeFacts of itself).
template <typename View>
class BeforeFacts {
 public:
  bool valid_account(AccountIx a) const { return a < self().account_count(); }
  bool member(AccountIx a) const { return valid_account(a) && self().account(a).membership != Membership::OUTSIDE; }
  // Seed "Pre-requisite Permissions": AWSServiceRoleForMarketplaceLicenseManagement,
  // created in the account, or (the Note) for every member of an all-features
  // organization with trusted access for Marketplace. `as_member`: whether the
  // account is a member at the moment asked about (a joiner is, after its join).
  bool marketplace_role(AccountIx a, bool as_member) const {
    if (!valid_account(a)) return false;
    const Organization& org = self().org();
    return (self().account(a).flags & kSlrMarketplace) != 0 ||
           (as_member && org.feature_set == FeatureSet::ALL && (org.flags & kTrustedMarketplace) != 0);
  }

 private:
  const View& self() const { return static_cast<const View&>(*this); }
};

// Before's reads where the checker has the whole previous World (the
// explorer's every call, replay, random testing), for a check that reads
// many records per call: the same answers as Before on that path (the lists
// found by scanning the records), without asking at each read whether the
// World is there. A check written once for both takes the view as a
// template parameter (call-preconditions, which judges every call).
class WholeBefore : public BeforeFacts<WholeBefore> {
 public:
  WholeBefore(const World& before, const World& after) : w_(before), after_(after) {}

  const World& after() const { return after_; }
  size_t grant_count() const { return w_.grants.size(); }
  size_t license_count() const { return w_.licenses.size(); }
  size_t account_count() const { return w_.accounts.size(); }
  const Grant& grant(GrantIx g) const { return w_.grants[g]; }
  const License& license(LicenseIx l) const { return w_.licenses[l]; }
  const Account& account(AccountIx a) const { return w_.accounts[a]; }
  const Organization& org() const { return w_.org; }
  uint8_t running(AccountIx a, ProductIx p) const { return w_.valid_account(a) ? w_.running_at(a, p) : 0; }
  TokenRecord token(TokenId t) const { return t < w_.tokens.size() ? w_.tokens[t] : TokenRecord{}; }

  template <typename F>
  void received_for(AccountIx a, ProductIx p, F&& f) const {
    for (GrantIx g = 0; g < w_.grants.size(); ++g)
      if (w_.grants[g].grantee == a && w_.licenses[w_.grants[g].license].product == p && visit_stops(f, g)) return;
  }
  template <typename F>
  void owned_for(AccountIx a, ProductIx p, F&& f) const {
    const auto& ls = w_.licenses;
    for (LicenseIx l = 0; l < ls.size(); ++l)
      if (ls[l].owner == a && ls[l].product == p && visit_stops(f, l)) return;
  }

 private:
  const World& w_;
  const World& after_;
};

class Before : public BeforeFacts<Before> {
 public:
  explicit Before(const Transition& t) : t_(t), view_(t) {}

  const Transition& transition() const { return t_; }
  const World& after() const { return t_.after; }
  const BeforeView& view() const { return view_; }

  size_t grant_count() const { return view_.grant_count(); }
  size_t license_count() const {
    return t_.before ? t_.before->licenses.size() : size_t(t_.changes.licenses_before);
  }
  size_t account_count() const { return t_.before ? t_.before->accounts.size() : t_.after.accounts.size(); }
  // Records that existed before the call (callers check the index).
  const Grant& grant(GrantIx g) const { return *view_.grant(g); }
  const License& license(LicenseIx l) const { return *view_.license(l); }
  const Account& account(AccountIx a) const { return *view_.account(a); }
  const Organization& org() const { return view_.org(); }
  uint8_t running(AccountIx a, ProductIx p) const { return view_.running(a, p); }
  TokenRecord token(TokenId t) const;

  ProductIx product_of(const Grant& g) const { return license(g.license).product; }

  // The grants on license `l` before the call: f(GrantIx).
  template <typename F>
  void grants_on_license(LicenseIx l, F&& f) const {
    if (t_.before) {
      const auto& gs = t_.before->grants;
      for (GrantIx g = 0; g < gs.size(); ++g)
        if (gs[g].license == l) f(g);
      return;
    }
    for (GrantIx g = t_.after.licenses[l].first_grant; g != kNone; g = t_.after.grants[g].next_on_license)
      if (g < grant_count()) f(g);
  }
  // The grants account `a` received for product `p` before the call: f(GrantIx).
  template <typename F>
  void received_for(AccountIx a, ProductIx p, F&& f) const {
    if (t_.before) return WholeBefore(*t_.before, t_.after).received_for(a, p, f);
    for (GrantIx g = t_.after.first_received_at(a, p); g != kNone; g = t_.after.grants[g].next_received)
      if (g < grant_count() && visit_stops(f, g)) return;
  }
  // Every grant account `a` received before the call: f(GrantIx).
  template <typename F>
  void received(AccountIx a, F&& f) const {
    static_assert(std::is_void_v<std::invoke_result_t<F&, GrantIx>>, "every product's grants: no stopping");
    for (ProductIx p = 0; p < t_.after.products.size(); ++p) received_for(a, p, f);
  }
  // The licenses account `a` subscribed to for product `p` before the call: f(LicenseIx).
  template <typename F>
  void owned_for(AccountIx a, ProductIx p, F&& f) const {
    if (t_.before) return WholeBefore(*t_.before, t_.after).owned_for(a, p, f);
    for (LicenseIx l = t_.after.first_owned_at(a, p); l != kNone; l = t_.after.licenses[l].next_owned)
      if (l < license_count() && visit_stops(f, l)) return;
  }
  // The grants to the organization ID before the call, oldest first: f(GrantIx).
  template <typename F>
  void org_parents(F&& f) const {
    if (t_.before) {
      for (GrantIx g : t_.before->org_grants) f(g);
      return;
    }
    for (GrantIx g : t_.after.org_grants)
      if (g < grant_count()) f(g);
  }

 private:
  const Transition& t_;
  BeforeView view_;
};


// The records an Expected names, by index: the first few in place (a call
// names one to three; an unordered_map per Expected cost a node allocation
// per record and its teardown, a tenth of the explorer's time per successful
// call), any further ones in a map (an organization grant's children).
// References to the values stay valid while records are added.
template <typename K, typename V>
class Records {
  static_assert(std::is_trivially_copyable_v<V> && std::is_trivially_destructible_v<V>);

 public:
  Records() = default;
  Records(const Records&) = delete;
  Records& operator=(const Records&) = delete;

  // The value of `k`, added as `init` when absent.
  V& try_emplace(K k, const V& init) {
    if (V* v = find(k)) return *v;
    return add(k, init);
  }
  // Adds `k`, which the caller found absent, as `init`.
  V& add(K k, const V& init) {
    if (n_ < kInline) {
      keys_[n_] = k;
      return *::new (slot(n_++)) V(init);
    }
    if (!more_) more_ = std::make_unique<std::unordered_map<K, V>>();
    return more_->try_emplace(k, init).first->second;
  }
  V* find(K k) {
    for (uint32_t i = 0; i < n_; ++i)
      if (keys_[i] == k) return slot(i);
    if (!more_) return nullptr;
    auto it = more_->find(k);
    return it == more_->end() ? nullptr : &it->second;
  }
  const V* find(K k) const { return const_cast<Records*>(this)->find(k); }
  bool contains(K k) const { return find(k) != nullptr; }
  // f(key, value) for each record until f returns true; whether one did.
  template <typename F>
  bool any_of(F&& f) const {
    for (uint32_t i = 0; i < n_; ++i)
      if (f(keys_[i], *const_cast<Records*>(this)->slot(i))) return true;
    if (more_)
      for (const auto& [k, v] : *more_)
        if (f(k, v)) return true;
    return false;
  }

 private:
  static constexpr uint32_t kInline = 8;
  V* slot(uint32_t i) { return std::launder(reinterpret_cast<V*>(buf_) + i); }
  alignas(V) unsigned char buf_[kInline * sizeof(V)];
  K keys_[kInline];
  uint32_t n_ = 0;
  // Allocated on first use: most calls name fewer than kInline records, and
  // an empty map's teardown was a tenth of a frame check.
  std::unique_ptr<std::unordered_map<K, V>> more_;
};

// A list whose first N elements live in place, any further ones (an
// organization grant's children) in a std::vector: a call creates, launches
// or names one or two of each, and a std::vector per list of an Expected was
// a heap allocation and a free per successful call.
template <typename T, size_t N>
class SmallVec {
  static_assert(std::is_trivially_destructible_v<T>);

 public:
  SmallVec() = default;
  SmallVec(const SmallVec&) = delete;
  SmallVec& operator=(const SmallVec&) = delete;

  void push_back(const T& v) {
    if (n_ < N) {
      ::new (static_cast<void*>(buf_ + n_ * sizeof(T))) T(v);
      ++n_;
      return;
    }
    if (n_ == N) more_.assign(begin(), end());  // from now on in more_
    more_.push_back(v);
    ++n_;
  }
  template <typename... A>
  void emplace_back(A&&... a) {
    push_back(T(std::forward<A>(a)...));
  }
  const T* begin() const { return n_ <= N ? std::launder(reinterpret_cast<const T*>(buf_)) : more_.data(); }
  const T* end() const { return begin() + n_; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  const T& front() const { return *begin(); }
  const T& operator[](size_t i) const { return begin()[i]; }

 private:
  alignas(T) unsigned char buf_[N * sizeof(T)];
  size_t n_ = 0;
  std::vector<T> more_;
};

// What the state after a call must be, as differences from the state before:
// every record named here must end exactly so; every record not named must
// be as it was. The index links (a license's first grant and next owned
// license, a grant's next received and next on license) are not compared:
// they are the World's lists, not the records' content.
class Expected {
 public:
  explicit Expected(const Before& b) : org(b.org()), b_(b) {}

  Organization org;
  SmallVec<License, 2> new_licenses;  // any order
  SmallVec<Grant, 2> new_grants;      // any order
  SmallVec<GrantIx, 2> new_org_grants;  // appended to World::org_grants, in order
  // What Outcome::created must be: not checked, a license the call created,
  // a grant it created, or exactly `created`.
  enum class Created { Unchecked, NewLicense, NewGrant, Exactly } created_is = Created::Unchecked;
  uint32_t created = kNone;
  // Non-empty: by the guides the call should have failed (an activation the
  // one-active-license rule refuses), yet it succeeded.
  std::string refused;

  // The expected record after the call (starts as the record before).
  Grant& grant(GrantIx g);
  License& license(LicenseIx l);
  Account& account(AccountIx a);
  void running(AccountIx a, ProductIx p, uint8_t value) { running_.push_back({a, p, value}); }
  void token(TokenId t, TokenRecord r) { tokens_.emplace_back(t, r); }
  bool has_grant(GrantIx g) const { return grants_.contains(g); }
  const Grant* expected_grant(GrantIx g) const { return grants_.find(g); }

  // nullopt when the state after is exactly the expected one, else the first
  // difference in the domain's words.
  std::optional<std::string> compare(const Names&) const;

 private:
  const Before& b_;
  Records<GrantIx, Grant> grants_;
  Records<LicenseIx, License> licenses_;
  Records<AccountIx, Account> accounts_;
  SmallVec<WorkloadChange, 2> running_;  // `before` holds the expected value after
  SmallVec<std::pair<TokenId, TokenRecord>, 2> tokens_;
};

// Facts several frame conditions share, stated from the guides.

// Grant States: REJECTED and DELETED are terminal.
inline bool terminal(GrantStatus s) { return s == GrantStatus::REJECTED || s == GrantStatus::DELETED; }

// The children of organization grant `parent` before the call: f(GrantIx).
template <typename F>
void children_of(const Before& b, GrantIx parent, F&& f) {
  b.grants_on_license(b.grant(parent).license, [&](GrantIx g) {
    if (b.grant(g).parent == parent) f(g);
  });
}

// A status change is one new version; a call that gives no status reason keeps
// the grant's reason (StatusReason is optional: aws-api-facts).
void expect_status(Grant& g, GrantStatus s, StringId reason);

// Does account `a` hold another license active for product `p`, as `e`
// expects the grants so far (its own AVAILABLE subscription, or an ACTIVE grant on an AVAILABLE
// license), leaving out grant `except`? (Updating License status reason: one
// license active per product-account combination; FAQ 2.)
bool other_active_license(const Before&, const Expected&, AccountIx a, ProductIx p, GrantIx except);
// Did account `a` hold an AVAILABLE subscription to product `p` before the
// call (Terminology: the subscriber; FAQ 2: a subscription counts)? B: Before,
// or WholeBefore. The walk stops at the first (visit_stops).
template <typename B>
bool own_available_subscription(const B& b, AccountIx a, ProductIx p) {
  bool found = false;
  b.owned_for(a, p, [&](LicenseIx l) { return found = b.license(l).status == LicenseStatus::AVAILABLE; });
  return found;
}

// One activation of grant `g` in `e` (the grant and its recipient as `e`
// expects them so far): refused when the license is not AVAILABLE, when an
// organization child's recipient is not a member or its grantor no longer an
// administrator, or when another license is active for the recipient and the
// product, unless the override ALL_GRANTS_PERMITTED_BY_ISSUER replaces the
// other active grants (it cannot replace a subscription). Returns the
// activation-failed status reason when refused (nothing expected changed),
// kReasonNone when activated (g ACTIVE as one new version, with `reason`, and
// the replaced grants DISABLED with the override's reason).
// `member_after`: the recipient is a member when the activation happens.
// `target` is grant `g` as expected so far (for a grant the call creates, g
// is kNone and target is not yet in e.new_grants); the other grants are read
// as `e` expects them, the new ones included, so that activations earlier in
// the same call count.
StringId expect_activation(const Before&, Expected& e, Grant& target, GrantIx g, ActivationOverride ov,
                           StringId reason, bool member_after);

// The frame check of one successful call of an operation in `ops`; `expect`
// (frame_*.cpp) fills in Expected from the state before. Other calls hold.
using ExpectFn = void (*)(const Before&, Expected&);
std::optional<std::string> frame_check(const Transition&, const Names&, uint32_t ops, ExpectFn expect);
void expect_license_call(const Before&, Expected&);       // frame_licenses.cpp
void expect_grant_call(const Before&, Expected&);         // frame_grants.cpp
void expect_organization_call(const Before&, Expected&);  // frame_org.cpp
void expect_workload_call(const Before&, Expected&);      // frame_workloads.cpp

}  // namespace entmc::props
