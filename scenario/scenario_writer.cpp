// The scenario writer (scenario_writer.h): raw calls in, a file that replays
// them out. Quoting is explicit (every string double-quoted, account IDs
// included) so that no value is ever re-read as a number or a boolean.
#include "scenario/scenario_writer.h"

#include <fmt/format.h>

#include <stdexcept>
#include <unordered_map>

#include "model/entitlement.h"
#include "scenario/aliases.h"
#include "scenario/scenario.h"
#include "scenario/start_writer.h"

namespace entmc {
namespace {

// Quoting is the start section's (start_writer.h): one escaping rule for every string written.
std::string quote(std::string_view s) { return scn::yaml_quote(s); }

// Licenses, grants and workloads are written as the `start` section
// (start_writer.h). The parser numbers accounts by class: management,
// members, outside, GovCloud. A world whose accounts changed class on the
// way (an audited history in which an account joined or left, after the
// import numbered them) is still written, every account named by its ID:
// the file parses to the same organization with its accounts renumbered,
// so the same licenses and grants (their order is kept) and the same
// verdicts, though not the same digests.
void check_expressible(const World& w) {
  if (w.accounts.empty() || w.org.management != 0 || w.accounts[0].membership != Membership::MANAGEMENT)
    throw std::invalid_argument("write_scenario: the management account must be account 0");
  for (AccountIx a = 1; a < w.accounts.size(); ++a)
    if (w.accounts[a].membership == Membership::MANAGEMENT)
      throw std::invalid_argument("write_scenario: only account 0 may be the management account");
}

std::string account_list(const Names& n, const World& w, Membership m, bool govcloud) {
  std::string out;
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    if (w.accounts[a].membership == m && bool(w.accounts[a].flags & kGovCloud) == govcloud)
      out += (out.empty() ? "" : ", ") + quote(n.accounts[a]);
  return out;
}

// The prerequisite items that rebuild the organization's and accounts' flags
// (org_section.cpp reads them).
std::vector<std::string> prerequisite_items(const Names& n, const World& w) {
  std::vector<std::string> items;
  const uint8_t f = w.org.flags;
  if ((f & kTrustedLicenseManager) && (f & kTrustedMarketplace)) items.emplace_back("trusted_access");
  else if (f & kTrustedLicenseManager) items.emplace_back("trusted_access_license_manager");
  else if (f & kTrustedMarketplace) items.emplace_back("trusted_access_marketplace");
  if (f & kLinkedAccounts) items.emplace_back("linked_accounts");
  struct Role {
    uint8_t bit;
    const char* shortcut;
    const char* name;
  };
  const Role roles[] = {{kSlrLicenseManager, "license_manager_roles", "license-manager"},
                        {kSlrLicenseManagerMaster, "license_manager_master_role", "license-manager-master"},
                        {kSlrMarketplace, "marketplace_roles", "marketplace"}};
  auto eligible = [&](AccountIx a, uint8_t bit) {
    if (w.accounts[a].flags & kGovCloud) return false;
    return bit != kSlrLicenseManagerMaster || w.accounts[a].membership == Membership::MANAGEMENT;
  };
  uint8_t uniform = 0;
  for (const Role& r : roles) {
    bool all = true;
    for (AccountIx a = 0; a < w.accounts.size(); ++a)
      if (eligible(a, r.bit) && !(w.accounts[a].flags & r.bit)) all = false;
    if (all) uniform |= r.bit;
  }
  if (uniform == (kSlrLicenseManager | kSlrLicenseManagerMaster | kSlrMarketplace)) {
    items.emplace_back("service_linked_roles");
  } else {
    for (const Role& r : roles)
      if (uniform & r.bit) items.emplace_back(r.shortcut);
  }
  for (AccountIx a = 0; a < w.accounts.size(); ++a) {
    std::string own;
    for (const Role& r : roles)
      if ((w.accounts[a].flags & r.bit) && !(uniform & r.bit)) own += (own.empty() ? "" : ", ") + std::string(r.name);
    if (!own.empty()) items.push_back(fmt::format("{{account: {}, roles: [{}]}}", quote(n.accounts[a]), own));
  }
  return items;
}

void write_header(std::string& out, const Names& n, const World& w, const ScenarioText& text) {
  out += fmt::format("name: {}\n", quote(text.name));
  if (!text.description.empty()) out += fmt::format("description: {}\n", quote(text.description));
  out += "org:\n";
  out += fmt::format("  id: {}\n", n.org_id);
  out += fmt::format("  feature_set: {}\n", to_string(w.org.feature_set));
  out += fmt::format("  management: {}\n", quote(n.accounts[0]));
  if (auto m = account_list(n, w, Membership::MEMBER, false); !m.empty()) out += "  members: [" + m + "]\n";
  if (auto o = account_list(n, w, Membership::OUTSIDE, false); !o.empty()) out += "  outside: [" + o + "]\n";
  std::string gov, invited;
  for (AccountIx a = 0; a < w.accounts.size(); ++a) {
    const Account& acc = w.accounts[a];
    if (acc.flags & kGovCloud) {
      if (acc.membership != Membership::OUTSIDE || acc.govcloud_link >= w.accounts.size() ||
          (acc.flags & ~uint8_t(kGovCloud)))
        throw std::invalid_argument("write_scenario: a GovCloud account must be outside, linked and role-less");
      gov += (gov.empty() ? "" : ", ") + quote(n.accounts[a]) + ": " + quote(n.accounts[acc.govcloud_link]);
    } else if (acc.govcloud_link != kNone) {
      throw std::invalid_argument("write_scenario: only a GovCloud account links to another account");
    }
    if (acc.flags & kInvited) invited += (invited.empty() ? "" : ", ") + quote(n.accounts[a]);
  }
  if (!gov.empty()) out += "  govcloud: {" + gov + "}\n";
  if (!invited.empty()) out += "  invited: [" + invited + "]\n";
  if (w.org.delegated_admin != kNone) out += fmt::format("  delegated_admin: {}\n", quote(n.accounts[w.org.delegated_admin]));
  auto items = prerequisite_items(n, w);
  if (!items.empty()) {
    out += "  prerequisites:\n";
    for (const auto& i : items) out += "    - " + i + "\n";
  }
  out += "products:\n";
  if (w.products.empty()) out.pop_back(), out += " []\n";
  for (ProductIx p = 0; p < w.products.size(); ++p)
    out += fmt::format("  - {{name: {}, type: {}}}\n", quote(n.products[p]), to_string(w.products[p]));
}

// Interned ids are assigned in order of first use on reparse; when that order
// would differ from the original, the tables pin them.
void write_tables(std::string& out, const Names& n, const World& initial, const std::vector<Call>& calls) {
  std::vector<StringId> string_use = scn::start_strings(initial);  // the start section interns first
  std::vector<TokenId> token_use;
  auto note = [](auto& v, auto id) {
    if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
  };
  for (const Call& c : calls) {
    const OpSpec& sp = spec(c.op);
    if ((sp.params & kPName) && c.name >= kFirstUserString) note(string_use, c.name);
    if ((sp.params & kPReason) && c.reason >= kFirstUserString) note(string_use, c.reason);
    if ((sp.params & kPToken) && c.token) note(token_use, c.token);
  }
  bool strings_in_order = string_use.size() == n.string_count() - kFirstUserString;
  for (size_t i = 0; strings_in_order && i < string_use.size(); ++i)
    strings_in_order = string_use[i] == kFirstUserString + i;
  if (!strings_in_order) {
    out += "strings:\n";
    for (StringId s = kFirstUserString; s < n.string_count(); ++s) out += "  - " + quote(n.string(s)) + "\n";
  }
  size_t token_slots = initial.tokens.empty() ? 0 : initial.tokens.size() - 1;
  bool tokens_in_order = token_use.size() == n.token_count() && token_slots == n.token_count();
  for (size_t i = 0; tokens_in_order && i < token_use.size(); ++i) tokens_in_order = token_use[i] == i + 1;
  if (!tokens_in_order && (n.token_count() || token_slots)) {
    out += "client_tokens:\n";
    size_t count = std::max(n.token_count(), token_slots);
    for (size_t t = 1; t <= count; ++t)
      out += "  - " + quote(t <= n.token_count() ? n.token(TokenId(t)) : fmt::format("unused-token-{}", t)) + "\n";
  }
}

class StepWriter {
 public:
  StepWriter(const Names& names, const World& initial, const Rules& rules)
      : n_(names), w_(initial), rules_(rules) {}

  // The `start` section, which also names the records it holds for the steps.
  void start(std::string& out) { scn::write_start(out, n_, w_, license_alias_, grant_alias_); }

  std::string step(const Call& c) {
    const OpSpec& sp = spec(c.op);
    std::vector<std::string> kv;
    kv.push_back("caller: " + (c.caller == kIssuer ? std::string("aws-marketplace") : account(c.caller)));
    if (c.region != kHomeRegion) kv.push_back(fmt::format("region: {}", to_string(c.region)));
    if (sp.params & kPProduct) kv.push_back("product: " + product(c.product));
    if (sp.params & kPLicense) kv.push_back("license: " + license_ref(c.license));
    if (sp.params & kPGrant) kv.push_back(grant_ref(c.grant));
    if (sp.params & kPAccount) kv.push_back("account: " + account(c.account));
    if (sp.params & kPPrincipal) kv.push_back("principal: " + (c.to_org ? n_.org_id : account(c.account)));
    if ((sp.params & kPName) && c.name) kv.push_back("name: " + quote(n_.string(c.name)));
    if ((sp.params & kPStatus) && c.has_status) kv.push_back(fmt::format("status: {}", to_string(c.status)));
    if ((sp.params & kPReason) && c.reason) kv.push_back("reason: " + quote(n_.string(c.reason)));
    if ((sp.params & kPVersion) && (c.version || (sp.required & kPVersion)))
      kv.push_back(fmt::format("{}: {}", c.op == Op::CreateGrantVersion ? "source_version" : "version", c.version));
    if ((sp.params & kPOverride) && c.override_behavior != ActivationOverride::NONE)
      kv.push_back(fmt::format("override: {}", to_string(c.override_behavior)));
    if ((sp.params & kPToken) && c.token) kv.push_back("client_token: " + quote(n_.token(c.token)));
    if ((sp.params & kPService) && (c.service != Service::NONE || (sp.required & kPService)))
      kv.push_back(fmt::format("service: {}", to_string(c.service)));
    if (sp.params & kPEnable) kv.push_back(fmt::format("enable: {}", c.enable));
    if ((sp.params & kPAllowedOps) && c.allowed_ops) kv.push_back("allowed_operations: " + allowed_ops(c.allowed_ops));

    const size_t licenses_before = w_.licenses.size(), grants_before = w_.grants.size();
    Outcome o = apply(w_, c, nullptr, rules_);
    if (!o.ok()) {
      kv.push_back(fmt::format("fails: {}", to_string(o.error.code)));
    } else if (std::string alias = name_created(n_, c, o, licenses_before, grants_before); !alias.empty()) {
      kv.push_back("as: " + alias);
      (c.op == Op::Subscribe ? license_alias_ : grant_alias_)[o.created] = alias;
    }
    std::string out;
    for (const auto& s : kv) out += (out.empty() ? "" : ", ") + s;
    return fmt::format("  - {}: {{{}}}\n", to_string(c.op), out);
  }

 private:
  // A deliberately unknown account or product (the simulator's invalid
  // events) is written as the index the world does not have: "account#19".
  std::string account(AccountIx a) const {
    if (a >= n_.accounts.size()) return quote(fmt::format("account#{}", a));
    return quote(n_.accounts[a]);
  }
  std::string product(ProductIx p) const {
    if (p >= n_.products.size()) return quote(fmt::format("product#{}", p));
    return quote(n_.products[p]);
  }
  std::string license_ref(LicenseIx l) const {
    if (auto it = license_alias_.find(l); it != license_alias_.end()) return it->second;
    return n_.license_id(l);
  }
  // `grant: ALIAS`, `grant: PARENT, recipient: ACCOUNT`, or the printed ID.
  std::string grant_ref(GrantIx g) const {
    if (auto it = grant_alias_.find(g); it != grant_alias_.end()) return "grant: " + it->second;
    if (g < w_.grants.size() && w_.grants[g].is_org_child()) {
      const Grant& gr = w_.grants[g];
      auto parent = grant_alias_.find(gr.parent);
      if (parent != grant_alias_.end() && find_org_child(w_, gr.parent, gr.grantee) == g)
        return fmt::format("grant: {}, recipient: {}", parent->second, account(gr.grantee));
    }
    return "grant: " + n_.grant_id(g);
  }
  static std::string allowed_ops(uint8_t bits) {
    std::string out = "[";
    for (auto [bit, name] : kAllowedOpNames)
      if (bits & bit) {
        if (out.size() > 1) out += ", ";
        out += name;
      }
    out += ']';
    return out;
  }

  Names n_;  // a copy: records the source did not name get aliases as the calls create them
  World w_;
  const Rules& rules_;
  std::unordered_map<LicenseIx, std::string> license_alias_;
  std::unordered_map<GrantIx, std::string> grant_alias_;
};

}  // namespace

std::string write_scenario(const Names& names, const World& initial, const std::vector<Call>& calls,
                           const ScenarioText& text, const Rules& rules) {
  check_expressible(initial);
  if (names.accounts.size() != initial.accounts.size() || names.products.size() != initial.products.size())
    throw std::invalid_argument("write_scenario: the Names do not describe this world");
  const Names& n = names;
  std::string out;
  write_header(out, n, initial, text);
  // Printed IDs derive from the id_seed: the file carries it when its name
  // would give another, so that the IDs read the same as in the source run.
  if (n.id_seed != id_seed_for(text.name)) out += fmt::format("id_seed: {}\n", n.id_seed);
  write_tables(out, n, initial, calls);
  StepWriter steps(n, initial, rules);
  steps.start(out);
  out += "steps:\n";
  if (calls.empty()) out.pop_back(), out += " []\n";
  for (const Call& c : calls) out += steps.step(c);
  if (!text.final_comment.empty()) {
    size_t start = 0;
    while (start <= text.final_comment.size()) {
      size_t end = text.final_comment.find('\n', start);
      if (end == std::string::npos) end = text.final_comment.size();
      out += "# " + text.final_comment.substr(start, end - start) + "\n";
      start = end + 1;
    }
  }
  return out;
}

}  // namespace entmc
