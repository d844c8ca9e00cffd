// Internal to policy/: the node kinds the compiler builds (compile.cpp) that
// the property bindings (user_properties.cpp) look into: the top-level
// quantifiers a local check walks instance by instance.
#pragma once

#include "policy/nodes.h"

namespace entmc::policy {

// for_all / exists over accounts, products, grants or licenses.
struct Quantifier : Pred {
  VarType over = VarType::Account;
  bool exists = false;
  uint32_t slot = 0;
  AccountSet accounts;   // over accounts
  ProductSet products;   // over products
  GrantFilter grants;    // over grants
  LicenseFilter licenses;  // over licenses
  // Over grants: the received lists of this account (a `grantee:` that names
  // one account), instead of every grant.
  bool by_grantee = false;
  AccountRef grantee;
  PredPtr body;  // null: true

  bool in_domain(Env& e, uint32_t x) const {
    switch (over) {
      case VarType::Account: return accounts.contains(e, x);
      case VarType::Product: return products.contains(e, ProductIx(x));
      case VarType::Grant: return x < e.now->grant_count() && grants.test(e, x);
      case VarType::License: return x < e.now->license_count() && licenses.test(e, x);
    }
    return false;
  }
  // Does instance x make the quantifier's verdict? (for_all: the body fails
  // there; exists: the body holds there.)
  bool decides(Env& e, uint32_t x) const {
    if (!in_domain(e, x)) return false;
    e.vars[slot] = x;
    const bool b = !body || body->eval(e);
    return exists ? b : !b;
  }
  // The binding, in words, for a counterexample ("account 222222222222").
  std::string describe(const Env& e, uint32_t x) const;

  bool eval(Env& e) const override {
    if (!e.why) return scan(e);
    const uint32_t saved = e.vars[slot];
    bool decided = false;
    // Explaining (why set): the deciding instance's binding goes before what
    // its body wrote; instances that did not decide leave nothing.
    auto visit = [&](uint32_t x) {
      if (decided) return;
      const size_t mark = e.why ? e.why->size() : 0;
      if (decides(e, x)) {
        decided = true;
        if (e.why) e.why->insert(mark, describe(e, x) + "; ");
      } else if (e.why) {
        e.why->resize(mark);
      }
    };
    switch (over) {
      case VarType::Account:
        for (uint32_t a = 0, n = e.now->account_count(); a < n && !decided; ++a) visit(a);
        break;
      case VarType::Product:
        for (uint32_t p = 0, n = uint32_t(e.now->product_count()); p < n && !decided; ++p) visit(p);
        break;
      case VarType::Grant:
        if (by_grantee) {
          const AccountIx a = grantee.get(e);
          if (a != kNone && a < e.now->account_count())
            for (ProductIx p = 0; p < e.now->product_count() && !decided; ++p)
              if (grants.product.contains(e, p)) e.now->for_each_received(a, p, visit);
        } else {
          for (uint32_t g = 0, n = e.now->grant_count(); g < n && !decided; ++g) visit(g);
        }
        break;
      case VarType::License:
        for (uint32_t l = 0, n = e.now->license_count(); l < n && !decided; ++l) visit(l);
        break;
    }
    e.vars[slot] = saved;
    return exists ? decided : !decided;
  }

  // The same without explaining: plain loops that stop at the deciding
  // instance (the path every check takes until something fails).
  bool scan(Env& e) const {
    const uint32_t saved = e.vars[slot];
    bool decided = false;
    switch (over) {
      case VarType::Account:
        for (uint32_t a = 0, n = e.now->account_count(); a < n && !decided; ++a)
          decided = accounts.contains(e, a) && body_decides(e, a);
        break;
      case VarType::Product:
        for (uint32_t p = 0, n = uint32_t(e.now->product_count()); p < n && !decided; ++p)
          decided = products.contains(e, ProductIx(p)) && body_decides(e, p);
        break;
      case VarType::Grant:
        if (by_grantee) {
          const AccountIx a = grantee.get(e);
          if (a != kNone && a < e.now->account_count())
            for (ProductIx p = 0; p < e.now->product_count() && !decided; ++p)
              if (grants.product.contains(e, p))
                e.now->for_each_received(a, p, [&](GrantIx g) {
                  decided = decided || (grants.test(e, g) && body_decides(e, g));
                });
        } else if (!grants.more && !e.now->undoing()) {  // the common case, without the view's indirections
          const World& w = e.now->world();
          for (uint32_t g = 0, n = uint32_t(w.grants.size()); g < n && !decided; ++g)
            decided = grants.test_status(w, w.grants[g]) && body_decides(e, g);
        } else {
          for (uint32_t g = 0, n = e.now->grant_count(); g < n && !decided; ++g)
            decided = grants.test(e, g) && body_decides(e, g);
        }
        break;
      case VarType::License:
        for (uint32_t l = 0, n = e.now->license_count(); l < n && !decided; ++l)
          decided = licenses.test(e, l) && body_decides(e, l);
        break;
    }
    e.vars[slot] = saved;
    return exists ? decided : !decided;
  }
  // For an instance in the domain: does it decide (see decides)?
  bool body_decides(Env& e, uint32_t x) const {
    if (!body) return exists;
    e.vars[slot] = x;
    return body->eval(e) == exists;
  }
};

struct Not : Pred {
  PredPtr inner;
  bool eval(Env& e) const override { return !inner->eval(e); }
};

struct And : Pred {
  std::vector<PredPtr> parts;
  bool eval(Env& e) const override {
    for (const PredPtr& p : parts)
      if (!p->eval(e)) return false;
    return true;
  }
};

// The call matches: operation, caller, outcome, arguments (transitions).
struct CallMatch : Pred {
  uint32_t ops = 0;        // 0: any
  uint8_t outcome = 0;     // CallOutcome bits; 0: either
  std::vector<ErrorCode> codes;  // failed with one of these (when given)
  AccountSet caller, account;
  bool has_product = false;
  ProductSet product;
  uint16_t status = 0;     // CreateGrantVersion Status
  uint16_t regions = 0;
  bool eval(Env& e) const override;
};

}  // namespace entmc::policy
