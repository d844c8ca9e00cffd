// The `start` section (start_section.h): licenses, grants and workloads that
// exist before the first step. Every value is checked as strictly as a step's
// parameters, with the same FILE:LINE:COL errors; the invariants of
// properties/ are then checked on the start state by whoever runs it (replay
// reports them at "step 0").
#include "scenario/start_section.h"
#include "scenario/start_state.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "model/changes_log.h"
#include "model/entitlement.h"

namespace entmc::scn {
namespace {

constexpr std::string_view kStartKeys[] = {"licenses", "grants", "workloads"};
constexpr std::string_view kLicenseKeys[] = {"as", "id", "issuer", "product", "owner", "status", "home_region"};
constexpr std::string_view kGrantKeys[] = {"as",      "id",      "license", "grantor",  "principal",
                                           "parent",  "status",  "version", "name",     "reason",
                                           "allowed_operations", "bulk_activated", "home_region"};
constexpr std::string_view kWorkloadKeys[] = {"account", "product", "running"};

// The same alias rule as a step's `as:` (step_parser.cpp).
std::string define_alias(Context& cx, const YAML::Node& as, AliasKind kind) {
  std::string alias = cx.reader.scalar(as, "as");
  bool ok = !alias.empty() && ((alias[0] >= 'A' && alias[0] <= 'Z') || (alias[0] >= 'a' && alias[0] <= 'z'));
  for (char ch : alias)
    ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                ch == '-' || ch == '.');
  if (!ok || is_printed_id(alias, 'l') || is_printed_id(alias, 'g'))
    cx.reader.fail(as, fmt::format("malformed alias '{}' (a letter, then letters, digits, _ - .)", alias));
  if (auto it = cx.aliases.find(alias); it != cx.aliases.end())
    cx.reader.fail(as, fmt::format("duplicate alias '{}' (already defined at line {})", alias, it->second.mark.line));
  cx.aliases.emplace(alias, AliasInfo{kind, 0, mark_of(as)});
  return alias;
}

std::string real_id(Context& cx, const YAML::Node& n, char prefix, std::set<std::string>& seen) {
  std::string id = cx.reader.scalar(n, "id");
  if (!is_printed_id(id, prefix))
    cx.reader.fail(n, fmt::format("malformed {} ID '{}' ({}- and 32 lowercase hex digits)",
                                  prefix == 'l' ? "license" : "grant", id, prefix));
  if (!seen.insert(id).second) cx.reader.fail(n, fmt::format("ID {} is given twice", id));
  return id;
}

Region region(Context& cx, const YAML::Node& n) {
  std::string r = cx.reader.scalar(n, "home_region");
  Region out{};
  if (!parse(r, out)) cx.reader.fail(n, fmt::format("unknown region '{}'", r));
  return out;
}

// An earlier entry of the start section, by alias or by its `id:`.
template <typename T>
uint32_t earlier(Context& cx, const YAML::Node& n, const std::vector<T>& items, std::string_view what) {
  std::string s = cx.reader.scalar(n, what);
  for (uint32_t i = 0; i < items.size(); ++i)
    if ((!items[i].alias.empty() && items[i].alias == s) || (!items[i].id.empty() && items[i].id == s)) return i;
  cx.reader.fail(n, fmt::format("{}: '{}' is not an earlier {} of the start section", what, s, what));
}

StartLicense parse_license(Context& cx, const YAML::Node& item, std::set<std::string>& ids) {
  StartLicense l;
  l.mark = mark_of(item);
  bool product = false, owner = false;
  for (auto& [k, v] : cx.reader.map(item, "a start license", kLicenseKeys)) {
    const std::string key = k.Scalar();
    if (key == "as") l.alias = define_alias(cx, v, AliasKind::License);
    else if (key == "id") l.id = real_id(cx, v, 'l', ids);
    else if (key == "issuer") {
      // The account a real license ARN names: the seller's (aws-api-facts.md), kept for `export`.
      l.issuer = cx.reader.scalar(v, "issuer");
      if (!is_account_id(l.issuer)) cx.reader.fail(v, fmt::format("issuer '{}' is not a 12-digit account ID", l.issuer));
    } else if (key == "product") l.record.product = cx.product(v), product = true;
    else if (key == "owner") l.record.owner = cx.account(v, "owner"), owner = true;
    else if (key == "home_region") l.record.home_region = region(cx, v);
    else {
      std::string s = cx.reader.scalar(v, "status");
      if (!parse(s, l.record.status))
        cx.reader.fail(v, fmt::format("unknown license status '{}' (AVAILABLE, PENDING_AVAILABLE, DEACTIVATED, "
                                      "SUSPENDED, EXPIRED, PENDING_DELETE, DELETED)", s));
    }
  }
  if (!product) cx.reader.fail(item, "a start license needs a product");
  if (!owner) cx.reader.fail(item, "a start license needs an owner (the subscribing account)");
  return l;
}

StartGrant parse_grant(Context& cx, const YAML::Node& item, const std::vector<StartLicense>& licenses,
                       const std::vector<StartGrant>& before, std::set<std::string>& ids) {
  StartGrant g;
  g.mark = mark_of(item);
  g.record.status = GrantStatus::ACTIVE;
  YAML::Node license = absent(), grantor = absent(), principal = absent(), parent = absent(), bulk = absent();
  bool ops_given = false;
  for (auto& [k, v] : cx.reader.map(item, "a start grant", kGrantKeys)) {
    const std::string key = k.Scalar();
    if (key == "as") g.alias = define_alias(cx, v, AliasKind::Grant);
    else if (key == "id") g.id = real_id(cx, v, 'g', ids);
    else if (key == "license") license.reset(v);
    else if (key == "grantor") grantor.reset(v);
    else if (key == "principal") principal.reset(v);
    else if (key == "parent") parent.reset(v);
    else if (key == "bulk_activated") bulk.reset(v);
    else if (key == "home_region") g.record.home_region = region(cx, v);
    else if (key == "version") g.record.version = cx.reader.count(v, "version", 1, 0xFFFFFFFEu);
    else if (key == "name") g.record.name = cx.names.intern_string(cx.reader.string(v, "name"));
    else if (key == "reason") g.record.status_reason = cx.names.intern_string(cx.reader.string(v, "reason"));
    else if (key == "status") {
      std::string s = cx.reader.scalar(v, "status");
      if (!parse(s, g.record.status)) cx.reader.fail(v, fmt::format("unknown grant status '{}'", s));
    } else {  // allowed_operations
      uint8_t bits = 0;
      for (const YAML::Node& o : cx.reader.list(v, "allowed_operations")) {
        std::string s = cx.reader.scalar(o, "an allowed operation");
        bool found = false;
        for (const auto& [b, name] : kAllowedOpNames)
          if (name == s) bits |= b, found = true;
        if (!found) cx.reader.fail(o, fmt::format("unknown allowed operation '{}'", s));
        // aws-api-facts.md: a Marketplace grant carries consumption rights only.
        if (s == "CreateGrant") cx.reader.fail(o, "a Marketplace grant carries consumption rights only (no CreateGrant)");
      }
      if (bits == 0) cx.reader.fail(v, "allowed_operations must name at least one operation");
      g.record.allowed_ops = bits;
      ops_given = true;
    }
  }
  if (parent) {
    g.parent_mark = mark_of(parent);
    uint32_t p = earlier(cx, parent, before, "parent");
    const StartGrant& pg = before[p];
    if (!pg.record.is_org_parent())
      cx.reader.fail(parent, fmt::format("parent: '{}' is not a grant to the organization", cx.reader.scalar(parent, "parent")));
    g.record.parent = p;
    g.record.license = pg.record.license;
    g.record.grantor = pg.record.grantor;
    if (!ops_given) g.record.allowed_ops = pg.record.allowed_ops;
  }
  if (license) {
    uint32_t l = earlier(cx, license, licenses, "license");
    if (parent && l != g.record.license) cx.reader.fail(license, "a child grant is on its parent's license");
    g.record.license = l;
  } else if (!parent) {
    cx.reader.fail(item, "a start grant needs a license (an earlier start license's alias or ID)");
  }
  if (grantor) {
    AccountIx a = cx.account(grantor, "grantor");
    if (parent && a != g.record.grantor) cx.reader.fail(grantor, "a child grant has its parent's grantor");
    g.record.grantor = a;
  } else if (!parent) {
    g.record.grantor = licenses[g.record.license].record.owner;  // the license owner distributes by default
  }
  if (!principal) cx.reader.fail(item, "a start grant needs a principal (an account ID or the organization ID)");
  g.principal_mark = mark_of(principal);
  std::string s = cx.reader.scalar(principal, "principal");
  if (s.rfind("o-", 0) == 0 || s.rfind("arn:aws:organizations::", 0) == 0) {
    if (s != cx.names.org_id && s != cx.names.organization_arn(0))
      cx.reader.fail(principal, fmt::format("principal: '{}' is not this organization ({})", s, cx.names.org_id));
    if (parent) cx.reader.fail(principal, "a child grant's principal is a member account, not the organization");
    g.record.grantee = kNone;
    g.record.flags |= kOrgParent;
  } else {
    g.record.grantee = cx.account(principal, "principal");
  }
  if (bulk && cx.reader.boolean(bulk, "bulk_activated")) {
    if (!g.record.is_org_parent()) cx.reader.fail(bulk, "only a grant to the organization is bulk-activated");
    g.record.flags |= kBulkActive;
  }
  return g;
}

}  // namespace

StartSection parse_start(Context& cx, const YAML::Node& start) {
  StartSection out;
  std::set<std::string> ids;
  YAML::Node licenses = absent(), grants = absent(), workloads = absent();
  for (auto& [k, v] : cx.reader.map(start, "the start section", kStartKeys)) {
    const std::string key = k.Scalar();
    (key == "licenses" ? licenses : key == "grants" ? grants : workloads).reset(v);
  }
  for (const YAML::Node& item : cx.reader.list(licenses, "licenses"))
    out.licenses.push_back(parse_license(cx, item, ids));
  for (const YAML::Node& item : cx.reader.list(grants, "grants"))
    out.grants.push_back(parse_grant(cx, item, out.licenses, out.grants, ids));
  for (const YAML::Node& item : cx.reader.list(workloads, "workloads")) {
    StartWorkload wl;
    wl.mark = mark_of(item);
    bool account = false, product = false, running = false;
    for (auto& [k, v] : cx.reader.map(item, "a start workload", kWorkloadKeys)) {
      const std::string key = k.Scalar();
      if (key == "account") wl.account = cx.account(v, "account"), account = true;
      else if (key == "product") wl.product = cx.product(v), product = true;
      else wl.running = uint8_t(cx.reader.count(v, "running", 1, 255)), running = true;
    }
    if (!account || !product || !running) cx.reader.fail(item, "a start workload needs account, product and running");
    for (const StartWorkload& o : out.workloads)
      if (o.account == wl.account && o.product == wl.product)
        cx.reader.fail(item, fmt::format("workloads of {} for this product are listed twice", cx.names.account(wl.account)));
    out.workloads.push_back(wl);
  }
  return out;
}

void apply_start(Context& cx, const StartSection& st, Scenario& sc) {
  World& w = sc.initial;
  const auto& r = cx.reader;
  for (const StartLicense& l : st.licenses) {
    if (w.accounts[l.record.owner].flags & kGovCloud)
      r.fail(l.mark, "a GovCloud account does not subscribe (it only runs workloads)");
    LicenseIx ix = mut::add_license(w, nullptr, l.record);
    if (!l.id.empty()) {
      sc.names.given_license_ids.resize(ix + 1);
      sc.names.given_license_ids[ix] = l.id;
    }
    if (!l.issuer.empty()) {
      sc.names.license_issuers.resize(ix + 1);
      sc.names.license_issuers[ix] = l.issuer;
    }
    if (!l.alias.empty()) sc.start_licenses.emplace(l.alias, ix);
  }
  for (const StartGrant& g : st.grants) {
    Grant rec = g.record;
    if (rec.is_org_parent() && w.org.feature_set != FeatureSet::ALL)
      r.fail(g.principal_mark, "a grant to the organization needs feature_set ALL");
    if (rec.grantee != kNone && rec.grantee == rec.grantor)
      r.fail(g.principal_mark, "a grant's principal is another account than its grantor");
    if (rec.is_org_child()) {
      if (w.accounts[rec.grantee].membership == Membership::OUTSIDE && !is_terminal(rec.status) &&
          rec.status != GrantStatus::DISABLED)
        r.fail(g.principal_mark, fmt::format("{} is not a member: an organization grant's child for it is "
                                             "DISABLED, REJECTED or DELETED", cx.names.account(rec.grantee)));
      GrantIx existing = find_org_child(w, rec.parent, rec.grantee);
      if (existing != kNone && !is_terminal(w.grants[existing].status))
        r.fail(g.principal_mark, fmt::format("the organization grant already has a child for {} that is not "
                                             "REJECTED or DELETED", cx.names.account(rec.grantee)));
    }
    GrantIx ix = mut::add_grant(w, nullptr, rec);
    if (rec.is_org_parent()) w.org_grants.push_back(ix);
    if (!g.id.empty()) {
      sc.names.given_grant_ids.resize(ix + 1);
      sc.names.given_grant_ids[ix] = g.id;
    }
    if (!g.alias.empty()) sc.start_grants.emplace(g.alias, ix);
  }
  for (const StartWorkload& wl : st.workloads) mut::set_running(w, nullptr, wl.account, wl.product, wl.running);
}

}  // namespace entmc::scn

namespace entmc {

void apply_start_section(const YAML::Node& start, const std::string& file, World& world, Names& names) {
  Scenario sc;
  sc.file = file;
  sc.names = std::move(names);
  sc.initial = std::move(world);
  scn::Context cx{yaml::Reader(file), sc.names, {}, {}};
  cx.account_ix.reserve(sc.names.accounts.size());
  for (AccountIx a = 0; a < sc.names.accounts.size(); ++a) cx.account_ix.emplace(sc.names.accounts[a], a);
  const scn::StartSection section = scn::parse_start(cx, start);
  scn::apply_start(cx, section, sc);
  world = std::move(sc.initial);
  names = std::move(sc.names);
}

}  // namespace entmc
