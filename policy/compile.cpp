// The `properties:` section, read and compiled: YAML to the typed nodes of
// nodes.h / atoms.h, with every name resolved and every error reported at its
// FILE:LINE:COL like the rest of the scenario format (scenario/yaml_reader.h).
// docs/properties.md is the grammar.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "policy/atoms.h"
#include "policy/compiled_property.h"
#include "scenario/yaml_reader.h"

namespace entmc::policy {
namespace {

constexpr std::string_view kPredicateKeys[] = {
    "and", "or", "not", "implies", "for_all", "exists", "count", "can_launch", "running", "grant", "license",
    "account", "member", "delegated_admin", "before", "after", "call"};
constexpr std::string_view kEntryKeys[] = {"name", "description", "always", "never", "sometimes", "transition",
                                           "eventually_possible"};
constexpr std::string_view kCategories[] = {"all", "members", "outside", "govcloud", "management",
                                            "delegated_admin", "organization"};
constexpr std::string_view kCompareKeys[] = {"equals", "not_equals", "at_least", "at_most", "more_than",
                                             "less_than"};

std::string joined(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string_view type_name(VarType t) {
  switch (t) {
    case VarType::Account: return "an account";
    case VarType::Product: return "a product";
    case VarType::Grant: return "a grant";
    case VarType::License: return "a license";
  }
  return "?";
}

template <typename E, int N>
std::string enum_names() {
  std::string out;
  for (int i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(to_string(E(i)));
  return out;
}

struct Var {
  std::string name;
  VarType type;
  uint32_t slot;
  SourceMark mark;
};

class Compiler {
 public:
  Compiler(const yaml::Reader& r, const Names& n, const World& w) : r_(r), names_(n), world_(w) {
    for (size_t i = 0; i < n.accounts.size(); ++i) account_ix_.emplace(n.accounts[i], AccountIx(i));
  }

  void read_tags(const YAML::Node& org) {
    if (!org || !org.IsMap()) return;
    const YAML::Node tags = org["tags"];
    if (!tags) return;
    for (auto& [k, v] : r_.map(tags, "tags")) {
      std::vector<AccountIx>& members = tags_[k.Scalar()];
      for (const YAML::Node& id : r_.list(v, fmt::format("tag '{}'", k.Scalar()))) members.push_back(fixed_account(id));
      if (!v.IsSequence()) r_.fail(v, fmt::format("tag '{}' must be a list of account IDs", k.Scalar()));
    }
  }

  std::unique_ptr<CompiledProperty> entry(const YAML::Node& item, std::set<std::string>& seen);

 private:
  // --- names -------------------------------------------------------------
  AccountIx fixed_account(const YAML::Node& n) const {
    const std::string id = r_.scalar(n, "an account");
    if (!is_account_id(id)) r_.fail(n, fmt::format("malformed account ID '{}' (12 digits expected)", id));
    auto it = account_ix_.find(id);
    if (it == account_ix_.end()) r_.fail(n, fmt::format("unknown account {} (not listed in the org section)", id));
    named_.push_back(it->second);
    return it->second;
  }

  const Var* lookup(const YAML::Node& n, const std::string& s, VarType want) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
      if (it->name == s.substr(1)) {
        if (it->type != want)
          r_.fail(n, fmt::format("'{}' is {} (bound at line {}), not {}", s, type_name(it->type), it->mark.line,
                                 type_name(want)));
        return &*it;
      }
    std::string known;
    for (const Var& v : scope_) known += (known.empty() ? "" : ", ") + ("$" + v.name);
    if (transition_) known += std::string(known.empty() ? "" : ", ") + "$caller, $call_account, $call_product";
    r_.fail(n, fmt::format("unknown variable '{}' (in scope here: {})", s, known.empty() ? "none" : known));
  }

  // The innermost variable of a type, for predicates that default to it.
  const Var* innermost(VarType t) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
      if (it->type == t) return &*it;
    return nullptr;
  }

  AccountRef account_ref(const YAML::Node& n, Footprint& fp) const {
    const std::string s = r_.scalar(n, "an account");
    AccountRef ref;
    if (s == "$caller" || s == "$call_account") {
      if (!transition_) r_.fail(n, fmt::format("'{}' exists only in a transition property", s));
      ref.kind = s == "$caller" ? AccountRef::Kind::Caller : AccountRef::Kind::CallAccount;
      fp.call = true;
      fp.global = true;
    } else if (!s.empty() && s[0] == '$') {
      ref.kind = AccountRef::Kind::Var;
      ref.value = lookup(n, s, VarType::Account)->slot;
      fp.vars |= 1u << ref.value;
    } else if (s == "management") {
      ref.kind = AccountRef::Kind::Management;
      fp.global = true;
    } else if (s == "delegated_admin") {
      ref.kind = AccountRef::Kind::DelegatedAdmin;
      fp.global = true;
      fp.kinds |= kOrgChange;
    } else if (is_account_id(s)) {
      ref.value = fixed_account(n);
      fp.global = true;
    } else {
      r_.fail(n, fmt::format("'{}' is not an account (a 12-digit ID, a $variable, management or delegated_admin)", s));
    }
    return ref;
  }

  // The account a predicate is about: `key:` when given, else the innermost
  // account variable.
  AccountRef default_account(const YAML::Node& given, const YAML::Node& at, std::string_view pred, Footprint& fp) const {
    if (given) return account_ref(given, fp);
    const Var* v = innermost(VarType::Account);
    if (!v)
      r_.fail(at, fmt::format("{} needs an account: give `account:` or use it inside a quantifier over accounts", pred));
    fp.vars |= 1u << v->slot;
    return AccountRef{AccountRef::Kind::Var, v->slot};
  }

  // A set of accounts; `fp` receives what testing an account against it reads
  // (not the account itself).
  void account_set_item(const YAML::Node& n, AccountSet& set, Footprint& fp) {
    if (n.IsMap()) {
      static constexpr std::string_view kKeys[] = {"tag"};
      for (auto& [k, v] : r_.map(n, "an account set", kKeys)) {
        const std::string t = r_.scalar(v, "a tag");
        auto it = tags_.find(t);
        if (it == tags_.end()) {
          std::string known;
          for (const auto& [name, _] : tags_) known += (known.empty() ? "" : ", ") + name;
          r_.fail(v, fmt::format("unknown tag '{}' (tags declared in the org section: {})", t,
                                 known.empty() ? "none" : known));
        }
        if (set.fixed.empty()) set.fixed.assign(names_.accounts.size(), 0);
        for (AccountIx a : it->second) set.fixed[a] = 1;
      }
      return;
    }
    const std::string s = r_.scalar(n, "an account set");
    for (size_t i = 0; i < std::size(kCategories); ++i)
      if (s == kCategories[i]) {
        set.categories |= uint8_t(1u << i);
        if (s == "members" || s == "outside" || s == "govcloud" || s == "organization") fp.kinds |= kAccountChange;
        if (s == "delegated_admin") fp.kinds |= kOrgChange;
        return;
      }
    if (is_account_id(s)) {
      if (set.fixed.empty()) set.fixed.assign(names_.accounts.size(), 0);
      set.fixed[fixed_account(n)] = 1;
      return;
    }
    if (!s.empty() && s[0] == '$') {
      Footprint ignored;
      set.refs.push_back(account_ref(n, ignored));
      if (set.refs.back().kind == AccountRef::Kind::Var) fp.vars |= 1u << set.refs.back().value;
      fp.call = fp.call || ignored.call;
      return;
    }
    r_.fail(n, fmt::format("'{}' is not a set of accounts ({}, a 12-digit ID, a $variable, {{tag: NAME}} or a list "
                           "of these)",
                           s, joined(kCategories)));
  }
  AccountSet account_set(const YAML::Node& n, Footprint& fp) {
    AccountSet set;
    if (n.IsSequence())
      for (const YAML::Node& item : r_.list(n, "an account set")) account_set_item(item, set, fp);
    else
      account_set_item(n, set, fp);
    return set;
  }

  ProductRef product_ref(const YAML::Node& n, Footprint& fp) const {
    const std::string s = r_.scalar(n, "a product");
    ProductRef ref;
    if (s == "$call_product") {
      if (!transition_) r_.fail(n, "'$call_product' exists only in a transition property");
      ref.kind = ProductRef::Kind::CallProduct;
      fp.call = true;
    } else if (!s.empty() && s[0] == '$') {
      ref.kind = ProductRef::Kind::Var;
      ref.value = lookup(n, s, VarType::Product)->slot;
      fp.vars |= 1u << ref.value;
    } else {
      ref.value = product_ix(n, s);
    }
    return ref;
  }
  ProductIx product_ix(const YAML::Node& n, const std::string& s) const {
    auto p = names_.find_product(s);
    if (!p) {
      std::string known;
      for (const auto& name : names_.products) known += (known.empty() ? "" : ", ") + name;
      r_.fail(n, fmt::format("unknown product '{}' (products: {})", s, known.empty() ? "none" : known));
    }
    return *p;
  }
  ProductRef default_product(const YAML::Node& given, const YAML::Node& at, std::string_view pred, Footprint& fp) const {
    if (given) return product_ref(given, fp);
    const Var* v = innermost(VarType::Product);
    if (!v) r_.fail(at, fmt::format("{} needs a product: give `product:` or use it inside a quantifier over products", pred));
    fp.vars |= 1u << v->slot;
    return ProductRef{ProductRef::Kind::Var, v->slot};
  }

  void product_set_item(const YAML::Node& n, ProductSet& set, Footprint& fp) {
    set.every = false;
    if (set.fixed.empty()) set.fixed.assign(names_.products.size(), 0);
    if (n.IsMap()) {
      static constexpr std::string_view kKeys[] = {"type"};
      for (auto& [k, v] : r_.map(n, "a product set", kKeys)) {
        const std::string t = r_.scalar(v, "a product type");
        ProductType type{};
        if (!parse(t, type))
          r_.fail(v, fmt::format("unknown product type '{}' ({})", t, enum_names<ProductType, kProductTypeCount>()));
        for (size_t p = 0; p < world_.products.size(); ++p)
          if (world_.products[p] == type) set.fixed[p] = 1;
      }
      return;
    }
    const std::string s = r_.scalar(n, "a product set");
    if (s == "all") {
      set.every = true;
      return;
    }
    ProductRef ref = product_ref(n, fp);
    if (ref.kind == ProductRef::Kind::Fixed) set.fixed[ref.value] = 1;
    else set.refs.push_back(ref);
  }
  ProductSet product_set(const YAML::Node& n, Footprint& fp) {
    ProductSet set;
    if (n.IsSequence()) {
      set.every = false;
      for (const YAML::Node& item : r_.list(n, "a product set")) product_set_item(item, set, fp);
      if (set.fixed.empty()) set.fixed.assign(names_.products.size(), 0);
    } else {
      product_set_item(n, set, fp);
    }
    return set;
  }

  template <typename E, int N>
  uint16_t status_mask(const YAML::Node& n, std::string_view what) const {
    uint16_t mask = 0;
    auto one = [&](const YAML::Node& s) {
      const std::string name = r_.scalar(s, what);
      E v{};
      if (!parse(name, v)) r_.fail(s, fmt::format("unknown {} '{}' ({})", what, name, enum_names<E, N>()));
      mask |= uint16_t(1u << unsigned(v));
    };
    if (n.IsSequence())
      for (const YAML::Node& s : r_.list(n, what)) one(s);
    else
      one(n);
    return mask;
  }

  int64_t integer(const YAML::Node& n, std::string_view what) const {
    const std::string s = r_.scalar(n, what);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty())
      r_.fail(n, fmt::format("{} must be a whole number, not '{}'", what, s));
    return v;
  }

  // `2`, or {at_least: 1} and the like.
  Compare compare(const YAML::Node& n, std::string_view what) const {
    Compare c;
    if (n.IsScalar()) {
      c.value = integer(n, what);
      return c;
    }
    auto entries = r_.map(n, what, kCompareKeys);
    if (entries.size() != 1) r_.fail(n, fmt::format("{}: one comparison ({})", what, joined(kCompareKeys)));
    return compare_one(entries[0].first.Scalar(), entries[0].second, what);
  }

  // Reads the comparison keys of a map that has other keys too (running:, count:).
  static bool is_compare_key(const std::string& k) {
    return std::find(std::begin(kCompareKeys), std::end(kCompareKeys), k) != std::end(kCompareKeys);
  }
  Compare compare_in(const yaml::Reader::Entries& entries, std::string_view what, Compare dflt, bool& given) const {
    Compare c = dflt;
    given = false;
    for (auto& [k, v] : entries)
      if (is_compare_key(k.Scalar())) {
        if (given) r_.fail(k, fmt::format("{}: one comparison only", what));
        c = compare_one(k.Scalar(), v, what);
        given = true;
      }
    return c;
  }
  Compare compare_one(const std::string& k, const YAML::Node& v, std::string_view what) const {
    Compare c;
    c.value = integer(v, what);
    c.op = k == "equals"       ? Compare::Op::Eq
           : k == "not_equals" ? Compare::Op::Ne
           : k == "at_least"   ? Compare::Op::Ge
           : k == "at_most"    ? Compare::Op::Le
           : k == "more_than"  ? Compare::Op::Gt
                               : Compare::Op::Lt;
    return c;
  }

  // --- filters -------------------------------------------------------------
  static constexpr std::string_view kGrantFilterKeys[] = {"of", "status", "version", "status_reason", "grantor",
                                                          "grantee", "product", "kind", "license_status"};
  GrantFilter grant_filter(const YAML::Node& n, Footprint& fp, bool allow_of, YAML::Node* of) {
    GrantFilter f;
    if (n.IsNull()) {
      f.finish();
      return f;
    }
    const auto keys = allow_of ? std::span<const std::string_view>(kGrantFilterKeys)
                               : std::span<const std::string_view>(kGrantFilterKeys).subspan(1);
    for (auto& [k, v] : r_.map(n, "a grant filter", keys)) {
      const std::string key = k.Scalar();
      if (key == "of") {
        of->reset(v);
      } else if (key == "status") {
        f.status = status_mask<GrantStatus, kGrantStatusCount>(v, "grant status");
        fp.kinds |= kGrantStatusChange;
      } else if (key == "version") {
        f.has_version = true;
        f.version = compare(v, "version");
        fp.kinds |= kGrantStatusChange;
      } else if (key == "status_reason") {
        f.has_reason = true;
        f.reason = r_.string(v, "status_reason");
        fp.kinds |= kGrantStatusChange;
      } else if (key == "grantor" || key == "grantee") {
        Footprint set_fp;
        (key == "grantor" ? f.grantor : f.grantee) = account_set(v, set_fp);
        if (set_fp.kinds & kAccountChange) fp.other_accounts = true;  // the grantee's membership, say
        fp |= set_fp;
        fp.kinds |= kGrantCreated;
      } else if (key == "product") {
        f.product = product_set(v, fp);
        fp.kinds |= kGrantCreated;
      } else if (key == "kind") {
        const std::string s = r_.scalar(v, "kind");
        if (s == "org_parent") f.shape = GrantFilter::Shape::OrgParent;
        else if (s == "org_child") f.shape = GrantFilter::Shape::OrgChild;
        else if (s == "account_grant") f.shape = GrantFilter::Shape::AccountGrant;
        else r_.fail(v, fmt::format("unknown grant kind '{}' (org_parent, org_child, account_grant)", s));
        fp.kinds |= kGrantCreated;
      } else {
        f.license_status = uint8_t(status_mask<LicenseStatus, kLicenseStatusCount>(v, "license status"));
        fp.kinds |= kLicenseChange;
      }
    }
    f.finish();
    return f;
  }

  static constexpr std::string_view kLicenseFilterKeys[] = {"of", "status", "owner", "product"};
  LicenseFilter license_filter(const YAML::Node& n, Footprint& fp, bool allow_of, YAML::Node* of) {
    LicenseFilter f;
    if (n.IsNull()) return f;
    const auto keys = allow_of ? std::span<const std::string_view>(kLicenseFilterKeys)
                               : std::span<const std::string_view>(kLicenseFilterKeys).subspan(1);
    for (auto& [k, v] : r_.map(n, "a license filter", keys)) {
      const std::string key = k.Scalar();
      if (key == "of") {
        of->reset(v);
      } else if (key == "status") {
        f.status = uint8_t(status_mask<LicenseStatus, kLicenseStatusCount>(v, "license status"));
      } else if (key == "owner") {
        Footprint set_fp;
        f.owner = account_set(v, set_fp);
        if (set_fp.kinds & kAccountChange) fp.other_accounts = true;
        fp |= set_fp;
      } else {
        f.product = product_set(v, fp);
      }
    }
    fp.kinds |= kLicenseChange;
    return f;
  }

  // --- predicates ------------------------------------------------------------
  uint32_t bind(const YAML::Node& at, const std::string& name, VarType t) {
    if (scope_.size() >= kMaxVars) r_.fail(at, fmt::format("quantifiers nest at most {} deep", kMaxVars));
    if (name.empty() || name[0] == '$')
      r_.fail(at, fmt::format("a variable is named without '$' (`as: {}`); it is used as ${}", name,
                              name.empty() ? "x" : name.substr(1)));
    const uint32_t slot = uint32_t(scope_.size());
    scope_.push_back({name, t, slot, mark_of(at)});
    return slot;
  }

  PredPtr quantifier(const YAML::Node& n, bool exists, Footprint& fp) {
    static constexpr std::string_view kKeys[] = {"accounts", "products", "grants", "licenses", "as", "check"};
    const char* what = exists ? "exists" : "for_all";
    YAML::Node domain = scn_absent(), as = scn_absent(), check = scn_absent();
    std::string domain_key;
    for (auto& [k, v] : r_.map(n, what, kKeys)) {
      const std::string key = k.Scalar();
      if (key == "as") as.reset(v);
      else if (key == "check") check.reset(v);
      else {
        if (domain) r_.fail(k, fmt::format("{} ranges over one kind of record, not {} and {}", what, domain_key, key));
        domain.reset(v);
        domain_key = key;
      }
    }
    if (!domain) r_.fail(n, fmt::format("{} needs what it ranges over: accounts, products, grants or licenses", what));
    if (!check && !exists) r_.fail(n, "for_all needs a `check:` predicate");
    auto q = std::make_unique<Quantifier>();
    q->exists = exists;
    Footprint dom;
    if (domain_key == "accounts") {
      q->over = VarType::Account;
      q->accounts = account_set(domain, dom);
      dom.global = dom.scans = true;  // nested: every account is read
    } else if (domain_key == "products") {
      q->over = VarType::Product;
      q->products = product_set(domain, dom);
    } else if (domain_key == "grants") {
      q->over = VarType::Grant;
      q->grants = grant_filter(domain, dom, false, nullptr);
      dom.kinds |= kGrantCreated;
      // A grantee that names one account: walk its received grants.
      const AccountSet& ge = q->grants.grantee;
      if (ge.categories == 0 && ge.fixed.empty() && ge.refs.size() == 1 &&
          (ge.refs[0].kind == AccountRef::Kind::Var)) {
        q->by_grantee = true;
        q->grantee = ge.refs[0];
      } else {
        dom.global = dom.scans = true;
      }
    } else {
      q->over = VarType::License;
      q->licenses = license_filter(domain, dom, false, nullptr);
      dom.global = dom.scans = true;
    }
    const std::string name = as ? r_.scalar(as, "as") : std::string(domain_key.substr(0, domain_key.size() - 1));
    q->slot = bind(as ? as : n, name, q->over);
    Footprint body_fp;
    if (check) q->body = pred(check, body_fp);
    scope_.pop_back();
    body_fp.vars &= ~(1u << q->slot);
    q->fp = dom;
    q->fp |= body_fp;
    fp |= q->fp;
    return q;
  }

  template <typename Node>
  std::unique_ptr<Node> parts(const YAML::Node& v, std::string_view what, Footprint& fp) {
    auto node = std::make_unique<Node>();
    for (const YAML::Node& p : r_.list(v, what)) node->parts.push_back(pred(p, fp));
    if (node->parts.empty()) r_.fail(v, fmt::format("{} needs a list of predicates", what));
    return node;
  }

  PredPtr call_match(const YAML::Node& v, Footprint& fp) {
    static constexpr std::string_view kKeys[] = {"operation", "caller", "outcome", "product", "account", "status",
                                                 "region"};
    auto c = std::make_unique<CallMatch>();
    for (auto& [k, val] : r_.map(v, "call", kKeys)) {
      const std::string key = k.Scalar();
      if (key == "operation") {
        auto one = [&](const YAML::Node& o) {
          const std::string s = r_.scalar(o, "an operation");
          Op op{};
          if (!parse(s, op)) r_.fail(o, fmt::format("unknown operation '{}' ({})", s, enum_names<Op, kOpCount>()));
          c->ops |= op_bit(op);
        };
        if (val.IsSequence())
          for (const YAML::Node& o : r_.list(val, "operations")) one(o);
        else
          one(val);
      } else if (key == "caller" || key == "account") {
        Footprint ignored;
        (key == "caller" ? c->caller : c->account) = account_set(val, ignored);
      } else if (key == "outcome") {
        auto one = [&](const YAML::Node& o) {
          const std::string s = r_.scalar(o, "an outcome");
          if (s == "success") c->outcome |= kSucceeded;
          else if (s == "failure") c->outcome |= kFailed;
          else {
            ErrorCode code{};
            if (!parse(s, code) || code == ErrorCode::None)
              r_.fail(o, fmt::format("unknown outcome '{}' (success, failure or an error code: {})", s,
                                     enum_names<ErrorCode, kErrorCodeCount>().substr(6)));
            c->codes.push_back(code);
            c->outcome |= kFailed;
          }
        };
        if (val.IsSequence())
          for (const YAML::Node& o : r_.list(val, "outcomes")) one(o);
        else
          one(val);
      } else if (key == "product") {
        c->has_product = true;
        c->product = product_set(val, fp);
      } else if (key == "status") {
        c->status = status_mask<GrantStatus, kGrantStatusCount>(val, "grant status");
      } else {
        c->regions = status_mask<Region, kRegionCount>(val, "region");
      }
    }
    if (c->outcome == (kSucceeded | kFailed) && !c->codes.empty())
      r_.fail(v, "outcome: success and an error code cannot both hold");
    c->fp.call = true;
    fp.call = true;
    return c;
  }

  PredPtr pred(const YAML::Node& n, Footprint& fp) {
    if (n.IsScalar()) {
      const std::string s = n.Scalar();
      if (s == "true" || s == "false") {
        auto c = std::make_unique<Const>();
        c->value = s == "true";
        return c;
      }
      r_.fail(n, fmt::format("'{}' is not a predicate (true, false, or a map with one of: {})", s,
                             joined(kPredicateKeys)));
    }
    if (!n.IsMap())
      r_.fail(n, fmt::format("a predicate is a map with one of: {}", joined(kPredicateKeys)));
    auto entries = r_.map(n, "a predicate", kPredicateKeys);
    if (entries.size() != 1)
      r_.fail(n, fmt::format("a predicate has exactly one key, not {} (combine them with and: [...])", entries.size()));
    const std::string key = entries[0].first.Scalar();
    const YAML::Node& v = entries[0].second;
    Footprint mine;
    PredPtr out = build(key, n, v, mine);
    out->fp = mine;
    fp |= mine;
    return out;
  }

  PredPtr build(const std::string& key, const YAML::Node& n, const YAML::Node& v, Footprint& fp) {
    if (key == "and") return parts<And>(v, "and", fp);
    if (key == "or") return parts<Or>(v, "or", fp);
    if (key == "not") {
      auto p = std::make_unique<Not>();
      p->inner = pred(v, fp);
      return p;
    }
    if (key == "implies") {
      static constexpr std::string_view kKeys[] = {"if", "then"};
      YAML::Node a = scn_absent(), b = scn_absent();
      for (auto& [k, val] : r_.map(v, "implies", kKeys)) (k.Scalar() == "if" ? a : b).reset(val);
      if (!a || !b) r_.fail(v, "implies needs `if:` and `then:`");
      auto p = std::make_unique<Implies>();
      p->if_ = pred(a, fp);
      p->then_ = pred(b, fp);
      return p;
    }
    if (key == "for_all" || key == "exists") return quantifier(v, key == "exists", fp);
    if (key == "before" || key == "after") {
      if (!transition_) r_.fail(n, fmt::format("`{}:` is for transition properties", key));
      if (in_state_) r_.fail(n, fmt::format("`{}:` inside `before:` or `after:`", key));
      auto p = std::make_unique<InState>();
      p->before = key == "before";
      in_state_ = true;
      p->inner = pred(v, fp);
      in_state_ = false;
      fp.call = true;
      return p;
    }
    if (key == "call") {
      if (!transition_) r_.fail(n, "`call:` is for transition properties");
      return call_match(v, fp);
    }
    if (key == "can_launch") {
      auto p = std::make_unique<CanLaunch>();
      if (v.IsMap()) {
        static constexpr std::string_view kKeys[] = {"account", "product"};
        YAML::Node acc = scn_absent(), prod = scn_absent();
        for (auto& [k, val] : r_.map(v, "can_launch", kKeys)) (k.Scalar() == "account" ? acc : prod).reset(val);
        p->account = default_account(acc, v, "can_launch", fp);
        p->product = default_product(prod, v, "can_launch", fp);
      } else {
        p->account = default_account(scn_absent(), v, "can_launch", fp);
        p->product = product_ref(v, fp);
      }
      fp.kinds |= kGrantChange | kLicenseChange | kAccountChange;
      return p;
    }
    if (key == "running") {
      auto p = std::make_unique<Running>();
      static constexpr std::string_view kKeys[] = {"account", "product", "equals", "not_equals", "at_least",
                                                   "at_most", "more_than", "less_than"};
      YAML::Node acc = scn_absent(), prod = scn_absent();
      auto entries = r_.map(v, "running", kKeys);
      for (auto& [k, val] : entries) {
        if (k.Scalar() == "account") acc.reset(val);
        if (k.Scalar() == "product") prod.reset(val);
      }
      bool given = false;
      p->cmp = compare_in(entries, "running", Compare{Compare::Op::Ge, 1}, given);
      p->account = default_account(acc, v, "running", fp);
      p->product = default_product(prod, v, "running", fp);
      fp.kinds |= kWorkloadChange;
      return p;
    }
    if (key == "grant") {
      auto p = std::make_unique<GrantIs>();
      YAML::Node of = scn_absent();
      p->filter = grant_filter(v, fp, true, &of);
      if (of) {
        const std::string s = r_.scalar(of, "of");
        if (s.empty() || s[0] != '$') r_.fail(of, "grant: of: names a grant variable ($grant)");
        p->slot = lookup(of, s, VarType::Grant)->slot;
      } else {
        const Var* g = innermost(VarType::Grant);
        if (!g) r_.fail(v, "`grant:` tests a grant: use it inside a quantifier over grants, or give `of: $g`");
        p->slot = g->slot;
      }
      fp.vars |= 1u << p->slot;
      return p;
    }
    if (key == "license") {
      auto p = std::make_unique<LicenseIs>();
      YAML::Node of = scn_absent();
      p->filter = license_filter(v, fp, true, &of);
      if (of) {
        const std::string s = r_.scalar(of, "of");
        if (s.empty() || s[0] != '$') r_.fail(of, "license: of: names a license variable ($license)");
        p->slot = lookup(of, s, VarType::License)->slot;
      } else {
        const Var* l = innermost(VarType::License);
        if (!l) r_.fail(v, "`license:` tests a license: use it inside a quantifier over licenses, or give `of: $l`");
        p->slot = l->slot;
      }
      fp.vars |= 1u << p->slot;
      return p;
    }
    if (key == "account") {
      static constexpr std::string_view kKeys[] = {"of", "in"};
      YAML::Node of = scn_absent(), in = scn_absent();
      for (auto& [k, val] : r_.map(v, "account", kKeys)) (k.Scalar() == "of" ? of : in).reset(val);
      if (!in) r_.fail(v, "account: needs `in:` (a set of accounts)");
      auto p = std::make_unique<AccountIn>();
      p->account = default_account(of, v, "account", fp);
      p->set = account_set(in, fp);
      return p;
    }
    if (key == "member") {
      auto p = std::make_unique<Member>();
      p->account = account_ref(v, fp);
      fp.kinds |= kAccountChange;
      return p;
    }
    if (key == "delegated_admin") {
      auto p = std::make_unique<DelegatedAdminIs>();
      const std::string s = r_.scalar(v, "delegated_admin");
      if (s == "none") p->none = true;
      else if (s == "any") p->any = true;
      else p->account = account_ref(v, fp);
      fp.kinds |= kOrgChange;
      return p;
    }
    // count
    static constexpr std::string_view kKeys[] = {"grants", "licenses", "equals", "not_equals", "at_least",
                                                 "at_most", "more_than", "less_than"};
    auto entries = r_.map(v, "count", kKeys);
    auto p = std::make_unique<Count>();
    for (auto& [k, val] : entries) {
      if (k.Scalar() == "grants") {
        if (p->num) r_.fail(k, "count counts grants or licenses, not both");
        auto c = std::make_unique<CountGrants>();
        c->filter = grant_filter(val, fp, false, nullptr);
        fp.kinds |= kGrantCreated;
        p->num = std::move(c);
      } else if (k.Scalar() == "licenses") {
        if (p->num) r_.fail(k, "count counts grants or licenses, not both");
        auto c = std::make_unique<CountLicenses>();
        c->filter = license_filter(val, fp, false, nullptr);
        p->num = std::move(c);
      }
    }
    if (!p->num) r_.fail(v, "count needs `grants:` or `licenses:` (a filter; {} for all)");
    bool given = false;
    p->cmp = compare_in(entries, "count", Compare{}, given);
    if (!given) r_.fail(v, fmt::format("count needs a comparison ({})", joined(kCompareKeys)));
    fp.global = fp.scans = true;
    return p;
  }

  static YAML::Node scn_absent() { return YAML::Node(YAML::NodeType::Undefined); }

  const yaml::Reader& r_;
  const Names& names_;
  const World& world_;
  std::unordered_map<std::string, AccountIx> account_ix_;
  std::map<std::string, std::vector<AccountIx>> tags_;
  std::vector<Var> scope_;
  mutable std::vector<AccountIx> named_;  // accounts named by ID or tag

 public:
  const std::vector<AccountIx>& named() const { return named_; }

 private:
  bool transition_ = false;
  bool in_state_ = false;
};

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

}  // namespace

std::unique_ptr<CompiledProperty> Compiler::entry(const YAML::Node& item, std::set<std::string>& seen) {
  YAML::Node name = scn_absent(), description = scn_absent(), body = scn_absent();
  std::string kind;
  for (auto& [k, v] : r_.map(item, "a property", kEntryKeys)) {
    const std::string key = k.Scalar();
    if (key == "name") name.reset(v);
    else if (key == "description") description.reset(v);
    else {
      if (body) r_.fail(k, fmt::format("a property has one kind, not {} and {}", kind, key));
      body.reset(v);
      kind = key;
    }
  }
  if (!name) r_.fail(item, "a property needs a name");
  if (!body)
    r_.fail(item, "a property needs one of always:, never:, sometimes:, transition:, eventually_possible: (its "
                  "predicate)");
  auto cp = std::make_unique<CompiledProperty>();
  cp->name = r_.scalar(name, "name");
  if (!valid_name(cp->name))
    r_.fail(name, fmt::format("property name '{}': letters, digits, '-', '_' and '.' only", cp->name));
  if (find_property(cp->name)) r_.fail(name, fmt::format("'{}' is the name of a built-in property", cp->name));
  if (!seen.insert(cp->name).second) r_.fail(name, fmt::format("property '{}' is defined twice", cp->name));
  if (description) cp->description = r_.string(description, "description");
  cp->where = fmt::format("{}:{}", r_.file(), mark_of(item).line);
  cp->kind = kind == "transition" ? PropertyKind::Transition
             : kind == "sometimes" ? PropertyKind::Sometimes
                                   : PropertyKind::Always;
  cp->never = kind == "never";
  cp->eventually = kind == "eventually_possible";
  transition_ = cp->kind == PropertyKind::Transition;
  scope_.clear();
  cp->pred = pred(body, cp->fp);
  transition_ = false;
  cp->govcloud_of.assign(world_.accounts.size(), {});
  for (AccountIx a = 0; a < world_.accounts.size(); ++a)
    if ((world_.accounts[a].flags & kGovCloud) && world_.accounts[a].govcloud_link < world_.accounts.size())
      cp->govcloud_of[world_.accounts[a].govcloud_link].push_back(a);
  return cp;
}

std::shared_ptr<const UserProperties> compile_user_properties(const YAML::Node& root, const Names& names,
                                                              const World& start, const std::string& file) {
  if (!root || !root.IsMap()) return nullptr;
  const YAML::Node section = root["properties"];
  if (!section) return nullptr;
  yaml::Reader reader(file);
  Compiler c(reader, names, start);
  c.read_tags(root["org"]);
  auto out = std::make_shared<UserProperties>();
  std::set<std::string> seen;
  for (const YAML::Node& item : reader.list(section, "properties")) out->add(c.entry(item, seen));
  for (AccountIx a : c.named()) out->name_account(a);
  return out;
}

}  // namespace entmc::policy
