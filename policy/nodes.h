// Internal to policy/: a user property compiled once into a tree of typed
// nodes. Names are resolved at compile time (accounts and tags to indices,
// products to indices, statuses to bit masks, variables to slots), and each
// quantifier picks its access path then (the received-grant lists of a bound
// account instead of every grant), so a check walks records, never names.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/call.h"
#include "model/errors.h"
#include "model/names.h"
#include "policy/state_view.h"
#include "properties/property.h"

namespace entmc::policy {

inline constexpr size_t kMaxVars = 16;

enum class VarType : uint8_t { Account, Product, Grant, License };

// What a node reads: the kinds of record (ChangeKind bits, for breaks_on),
// the variable slots, whether it reads records no variable reaches (a
// quantifier over every grant, a fixed account's state: `global`), and
// whether it reads the call (transitions).
struct Footprint {
  uint8_t kinds = 0;
  uint32_t vars = 0;
  bool global = false;
  // Of what `global` reads, records in unbounded number (a quantifier over
  // every account, grant or license, a count): a predicate that reads only
  // fixed records (a fixed account's running count, the management account,
  // the delegated administrator) is cheap to evaluate whole after each call.
  bool scans = false;
  bool call = false;
  // Reads the record of an account reached through a grant or a license (its
  // grantee's membership): a local check rechecks everything after an
  // account change.
  bool other_accounts = false;
  Footprint& operator|=(const Footprint& o) {
    kinds |= o.kinds;
    vars |= o.vars;
    global = global || o.global;
    scans = scans || o.scans;
    call = call || o.call;
    other_accounts = other_accounts || o.other_accounts;
    return *this;
  }
};

// One evaluation: the state read now, the transition's two states and call
// (transitions only), the variables' values, and, when `why` is set, the
// place to write the binding that made a quantifier fail.
struct Env {
  const StateView* now = nullptr;
  const StateView* before = nullptr;
  const StateView* after = nullptr;
  const Transition* t = nullptr;
  const Names* names = nullptr;
  std::array<uint32_t, kMaxVars> vars{};
  std::string* why = nullptr;
};

struct Pred {
  Footprint fp;
  virtual ~Pred() = default;
  virtual bool eval(Env&) const = 0;
};
using PredPtr = std::unique_ptr<Pred>;

struct Num {
  Footprint fp;
  virtual ~Num() = default;
  virtual int64_t eval(Env&) const = 0;
};
using NumPtr = std::unique_ptr<Num>;

// A comparison with a constant: `3`, `{at_least: 1}`, ">= 1".
struct Compare {
  enum class Op : uint8_t { Eq, Ne, Lt, Le, Gt, Ge } op = Op::Eq;
  int64_t value = 0;
  bool test(int64_t x) const {
    switch (op) {
      case Op::Eq: return x == value;
      case Op::Ne: return x != value;
      case Op::Lt: return x < value;
      case Op::Le: return x <= value;
      case Op::Gt: return x > value;
      case Op::Ge: return x >= value;
    }
    return false;
  }
};

// One account: fixed, a variable, or read from the state or the call.
struct AccountRef {
  enum class Kind : uint8_t { Fixed, Var, Management, DelegatedAdmin, Caller, CallAccount } kind = Kind::Fixed;
  uint32_t value = 0;  // the account (Fixed) or the slot (Var)
  AccountIx get(const Env& e) const {
    switch (kind) {
      case Kind::Fixed: return value;
      case Kind::Var: return e.vars[value];
      case Kind::Management: return e.now->org().management;
      case Kind::DelegatedAdmin: return e.now->org().delegated_admin;
      case Kind::Caller: return e.t ? e.t->call.caller : kNone;
      case Kind::CallAccount: return e.t ? e.t->call.account : kNone;
    }
    return kNone;
  }
};

// A set of accounts: categories, fixed accounts (listed IDs and tags) and
// accounts given by reference.
struct AccountSet {
  enum Category : uint8_t {
    // Named apart from AccountFlag's kGovCloud, which `contains` reads.
    kSetAll = 1, kSetMembers = 2, kSetOutside = 4, kSetGovCloud = 8, kSetManagement = 16, kSetDelegatedAdmin = 32,
    kSetOrganization = 64
  };
  uint8_t categories = 0;
  std::vector<uint8_t> fixed;  // per account: listed (empty when none are)
  std::vector<AccountRef> refs;
  bool any() const { return categories != 0 || !fixed.empty() || !refs.empty(); }
  bool contains(const Env& e, AccountIx a) const {
    if (a == kNone || a == kIssuer) return false;
    if (categories) {
      if (categories & kSetAll) return true;
      const Account& acc = e.now->account(a);
      if ((categories & kSetMembers) && acc.membership == Membership::MEMBER) return true;
      if ((categories & kSetOrganization) && acc.membership != Membership::OUTSIDE) return true;
      if ((categories & kSetOutside) && acc.membership == Membership::OUTSIDE && !(acc.flags & entmc::kGovCloud)) return true;
      if ((categories & kSetGovCloud) && (acc.flags & entmc::kGovCloud)) return true;
      if ((categories & kSetManagement) && a == e.now->org().management) return true;
      if ((categories & kSetDelegatedAdmin) && a == e.now->org().delegated_admin) return true;
    }
    if (a < fixed.size() && fixed[a]) return true;
    for (const AccountRef& r : refs)
      if (r.get(e) == a) return true;
    return false;
  }
};

struct ProductRef {
  enum class Kind : uint8_t { Fixed, Var, CallProduct } kind = Kind::Fixed;
  uint32_t value = 0;
  ProductIx get(const Env& e) const {
    if (kind == Kind::Fixed) return ProductIx(value);
    if (kind == Kind::Var) return ProductIx(e.vars[value]);
    return e.t ? e.t->call.product : ProductIx(0xFFFF);
  }
};

struct ProductSet {
  std::vector<uint8_t> fixed;  // per product; empty: every product (unless refs)
  std::vector<ProductRef> refs;
  bool every = true;
  bool contains(const Env& e, ProductIx p) const {
    if (every) return true;
    if (p < fixed.size() && fixed[p]) return true;
    for (const ProductRef& r : refs)
      if (r.get(e) == p) return true;
    return false;
  }
};

// Tests on one grant (a quantifier's filter, or the `grant:` predicate).
struct GrantFilter {
  uint16_t status = 0;          // bit per GrantStatus; 0: any
  uint8_t license_status = 0;   // bit per LicenseStatus; 0: any
  bool has_version = false;
  Compare version;
  bool has_reason = false;
  std::string reason;
  AccountSet grantor, grantee;
  ProductSet product;
  enum class Shape : uint8_t { Any, OrgParent, OrgChild, AccountGrant } shape = Shape::Any;
  // Set by finish() once the filter is compiled: it tests more than the two
  // status masks. Most filters test a status or two, and a check runs the
  // filter on every grant of every state: those take the short path.
  bool more = true;
  void finish() {
    more = has_version || has_reason || shape != Shape::Any || !product.every || grantor.any() || grantee.any();
  }
  bool test(const Env& e, GrantIx g) const {
    if (g >= e.now->grant_count()) return false;  // created later (a transition's before state)
    const Grant& gr = e.now->grant(g);
    if (status && !(status & (1u << unsigned(gr.status)))) return false;
    if (license_status && !(license_status & (1u << unsigned(e.now->license(gr.license).status)))) return false;
    return !more || test_more(e, gr);
  }
  // test() for a filter without `more`, on a World read as it is (no
  // before-images): the loop the state checks run.
  bool test_status(const World& w, const Grant& gr) const {
    if (status && !(status & (1u << unsigned(gr.status)))) return false;
    return !license_status || (license_status & (1u << unsigned(w.licenses[gr.license].status)));
  }
  bool test_more(const Env& e, const Grant& gr) const {
    if (has_version && !version.test(gr.version)) return false;
    if (has_reason && e.names->string(gr.status_reason) != reason) return false;
    switch (shape) {
      case Shape::Any: break;
      case Shape::OrgParent: if (!gr.is_org_parent()) return false; break;
      case Shape::OrgChild: if (!gr.is_org_child()) return false; break;
      case Shape::AccountGrant: if (gr.is_org_parent() || gr.is_org_child()) return false; break;
    }
    if (!product.every && !product.contains(e, e.now->license(gr.license).product)) return false;
    if (grantor.any() && !grantor.contains(e, gr.grantor)) return false;
    if (grantee.any() && !grantee.contains(e, gr.grantee)) return false;
    return true;
  }
};

struct LicenseFilter {
  uint8_t status = 0;
  AccountSet owner;
  ProductSet product;
  bool test(const Env& e, LicenseIx l) const {
    if (l >= e.now->license_count()) return false;
    const License& lic = e.now->license(l);
    if (status && !(status & (1u << unsigned(lic.status)))) return false;
    if (!product.contains(e, lic.product)) return false;
    if (owner.any() && !owner.contains(e, lic.owner)) return false;
    return true;
  }
};

}  // namespace entmc::policy
