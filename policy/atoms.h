// Internal to policy/: the atomic predicates and numbers of the language, in
// the domain's words. Each states its facts from the records themselves (an
// independent oracle: never the model's decision helpers).
#pragma once

#include "policy/compiled.h"

namespace entmc::policy {

struct Const : Pred {
  bool value = true;
  bool eval(Env&) const override { return value; }
};

struct Or : Pred {
  std::vector<PredPtr> parts;
  bool eval(Env& e) const override {
    for (const PredPtr& p : parts)
      if (p->eval(e)) return true;
    return false;
  }
};

struct Implies : Pred {
  PredPtr if_, then_;
  bool eval(Env& e) const override { return !if_->eval(e) || then_->eval(e); }
};

// Entitlement, as the seeds state it (Terminology: Entitlement; FAQ 1): an
// AVAILABLE subscription of its own, or an ACTIVE grant on an AVAILABLE
// license; a GovCloud account through its commercial account.
inline bool can_launch(const StateView& v, AccountIx a, ProductIx p) {
  if (a == kNone || a >= v.account_count() || p >= v.product_count()) return false;
  const Account& acc = v.account(a);
  if (acc.flags & kGovCloud) {
    a = acc.govcloud_link;
    if (a == kNone || a >= v.account_count()) return false;
  }
  bool yes = false;
  v.for_each_received(a, p, [&](GrantIx g) {
    const Grant& gr = v.grant(g);
    if (!yes && gr.status == GrantStatus::ACTIVE && v.license(gr.license).status == LicenseStatus::AVAILABLE)
      yes = true;
  });
  if (!yes)
    v.for_each_owned(a, p, [&](LicenseIx l) { yes = yes || v.license(l).status == LicenseStatus::AVAILABLE; });
  return yes;
}

struct CanLaunch : Pred {
  AccountRef account;
  ProductRef product;
  bool eval(Env& e) const override { return can_launch(*e.now, account.get(e), product.get(e)); }
};

struct Running : Pred {
  AccountRef account;
  ProductRef product;
  Compare cmp;
  bool eval(Env& e) const override {
    const AccountIx a = account.get(e);
    const ProductIx p = product.get(e);
    const int64_t n = (a < e.now->account_count() && p < e.now->product_count()) ? e.now->running(a, p) : 0;
    return cmp.test(n);
  }
};

struct GrantIs : Pred {
  uint32_t slot = 0;
  GrantFilter filter;
  bool eval(Env& e) const override { return filter.test(e, e.vars[slot]); }
};

struct LicenseIs : Pred {
  uint32_t slot = 0;
  LicenseFilter filter;
  bool eval(Env& e) const override { return filter.test(e, e.vars[slot]); }
};

struct AccountIn : Pred {
  AccountRef account;
  AccountSet set;
  bool eval(Env& e) const override { return set.contains(e, account.get(e)); }
};

// In the organization: a member or the management account.
struct Member : Pred {
  AccountRef account;
  bool eval(Env& e) const override {
    const AccountIx a = account.get(e);
    return a < e.now->account_count() && e.now->account(a).membership != Membership::OUTSIDE;
  }
};

struct DelegatedAdminIs : Pred {
  bool none = false;  // `delegated_admin: none`
  bool any = false;   // `delegated_admin: any`
  AccountRef account;
  bool eval(Env& e) const override {
    const AccountIx d = e.now->org().delegated_admin;
    if (none) return d == kNone;
    if (any) return d != kNone;
    return d != kNone && d == account.get(e);
  }
};

struct CountGrants : Num {
  GrantFilter filter;
  int64_t eval(Env& e) const override {
    int64_t n = 0;
    for (GrantIx g = 0, end = e.now->grant_count(); g < end; ++g) n += filter.test(e, g);
    return n;
  }
};

struct CountLicenses : Num {
  LicenseFilter filter;
  int64_t eval(Env& e) const override {
    int64_t n = 0;
    for (LicenseIx l = 0, end = e.now->license_count(); l < end; ++l) n += filter.test(e, l);
    return n;
  }
};

struct Count : Pred {
  NumPtr num;
  Compare cmp;
  bool eval(Env& e) const override { return cmp.test(num->eval(e)); }
};

// `before: P` / `after: P`: P read in that state of the transition.
struct InState : Pred {
  bool before = false;
  PredPtr inner;
  bool eval(Env& e) const override {
    const StateView* saved = e.now;
    e.now = before ? e.before : e.after;
    const bool r = inner->eval(e);
    e.now = saved;
    return r;
  }
};

}  // namespace entmc::policy
