// The diff printer: calls, outcomes, changes and whole states in the
// domain's words. Replay prints these per step; the explorer prints its
// counterexamples with them.
#include <fmt/format.h>

#include <algorithm>

#include "model/entitlement.h"
#include "scenario/scenario_run.h"

namespace entmc {
namespace {

std::string quoted(const Names& n, StringId s) { return fmt::format("\"{}\"", n.string(s)); }

std::string grant_ref(const Names& n, GrantIx g, const World* w) {
  if (w && g >= w->grants.size()) return fmt::format("g#{} (no such grant)", g);
  return n.grant_label(g);
}

std::string license_ref(const Names& n, LicenseIx l, const World* w) {
  if (w && l >= w->licenses.size()) return fmt::format("l#{} (no such license)", l);
  return n.license_label(l);
}

std::string product_name(const Names& n, ProductIx p) {
  return p < n.products.size() ? n.products[p] : fmt::format("product#{}", p);
}

std::string allowed_ops_text(uint8_t bits) {
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on
  // `"literal" + std::string&&` (GCC bug 105651).
  std::string out = "[";
  for (auto [bit, name] : kAllowedOpNames)
    if (bits & bit) {
      if (out.size() > 1) out += ' ';
      out += name;
    }
  out += ']';
  return out;
}

std::string roles_text(uint8_t flags) {
  std::string out;
  if (flags & kSlrLicenseManager) out += " license-manager-role";
  if (flags & kSlrLicenseManagerMaster) out += " license-manager-master-role";
  if (flags & kSlrMarketplace) out += " marketplace-role";
  if (flags & kInvited) out += " invited";
  return out.empty() ? "-" : out.substr(1);
}

std::string org_flags_text(uint8_t flags) {
  std::string out;
  if (flags & kTrustedLicenseManager) out += " trusted-access(license-manager)";
  if (flags & kTrustedMarketplace) out += " trusted-access(marketplace)";
  if (flags & kLinkedAccounts) out += " linked-accounts";
  return out.empty() ? "-" : out.substr(1);
}

std::string admin_text(const Names& n, AccountIx a) { return a == kNone ? "none" : n.account(a); }

// "g-... (Name, 838202657455 -> 776190005587, child of g-...)"
std::string grant_title(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  std::string who = gr.is_org_parent() ? fmt::format("{} -> organization {}", n.account(gr.grantor), n.org_id)
                                       : fmt::format("{} -> {}", n.account(gr.grantor), n.account(gr.grantee));
  std::string out = n.grant_label(g) + " (";
  if (gr.name) out += quoted(n, gr.name) + ", ";
  out += who;
  if (gr.is_org_child()) out += ", child of " + n.grant_label(gr.parent);
  out += ", " + product_name(n, product_of_grant(w, g)) + ")";
  return out;
}

std::string license_title(const World& w, const Names& n, LicenseIx l) {
  const License& lic = w.licenses[l];
  return fmt::format("{} ({}, owner {})", n.license_label(l), product_name(n, lic.product), n.account(lic.owner));
}

template <typename T>
void field(std::vector<std::string>& parts, std::string_view what, const T& before, const T& after) {
  if (before != after) parts.push_back(fmt::format("{} {} -> {}", what, before, after));
}

std::string joined(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

// First before-image per index, in first-touched order.
template <typename T>
std::vector<std::pair<uint32_t, T>> first_images(const std::vector<std::pair<uint32_t, T>>& v) {
  std::vector<std::pair<uint32_t, T>> out;
  for (const auto& e : v)
    if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.first == e.first; })) out.push_back(e);
  return out;
}

}  // namespace

std::string describe_call(const Call& c, const Names& n, const World* w) {
  const OpSpec& sp = spec(c.op);
  std::vector<std::string> parts;
  if (sp.params & kPProduct) parts.push_back("product " + product_name(n, c.product));
  if (sp.params & kPLicense) parts.push_back("license " + license_ref(n, c.license, w));
  if (sp.params & kPGrant) {
    std::string g = "grant " + grant_ref(n, c.grant, w);
    if (w && c.grant < w->grants.size() && w->grants[c.grant].is_org_child())
      g += fmt::format(" (child of {} for {})", n.grant_label(w->grants[c.grant].parent),
                       n.account(w->grants[c.grant].grantee));
    parts.push_back(g);
  }
  if (sp.params & kPAccount) parts.push_back("account " + n.account(c.account));
  if (sp.params & kPPrincipal)
    parts.push_back("principal " + (c.to_org ? fmt::format("organization {}", n.org_id) : n.account(c.account)));
  if ((sp.params & kPName) && c.name) parts.push_back("name " + quoted(n, c.name));
  if ((sp.params & kPStatus) && c.has_status) parts.push_back(fmt::format("status {}", to_string(c.status)));
  if ((sp.params & kPReason) && c.reason) parts.push_back("reason " + quoted(n, c.reason));
  if ((sp.params & kPVersion) && c.version)
    parts.push_back(fmt::format("{} {}", c.op == Op::CreateGrantVersion ? "source_version" : "version", c.version));
  if ((sp.params & kPOverride) && c.override_behavior != ActivationOverride::NONE)
    parts.push_back(fmt::format("override {}", to_string(c.override_behavior)));
  if ((sp.params & kPToken) && c.token) parts.push_back(fmt::format("client_token \"{}\"", n.token(c.token)));
  if (sp.params & kPService) parts.push_back(fmt::format("service {}", to_string(c.service)));
  if (sp.params & kPEnable) parts.push_back(fmt::format("enable {}", c.enable));
  if ((sp.params & kPAllowedOps) && c.allowed_ops) parts.push_back("allowed_operations " + allowed_ops_text(c.allowed_ops));
  std::string out = fmt::format("{} by {}", to_string(c.op), n.account(c.caller));
  if (c.region != kHomeRegion) out += fmt::format(" in {}", to_string(c.region));
  if (!parts.empty()) out += ": " + joined(parts, ", ");
  return out;
}

std::string describe_outcome(const Outcome& o, const Call& c, const Names& n) {
  if (o.ok()) {
    if (o.created == kNone || (c.op != Op::Subscribe && c.op != Op::CreateGrant)) return "ok";
    return "ok: " + (c.op == Op::Subscribe ? n.license_label(o.created) : n.grant_label(o.created));
  }
  return fmt::format("{} ({}): {}", to_string(o.error.code), reason_name(o.error.reason), reason_message(o.error.reason));
}

std::vector<std::string> change_lines(const World& w, const Changes& ch, const Names& n) {
  std::vector<std::string> out;
  if (ch.org_changed) {
    std::vector<std::string> parts;
    field(parts, "feature set", to_string(ch.org_before.feature_set), to_string(w.org.feature_set));
    field(parts, "settings", org_flags_text(ch.org_before.flags), org_flags_text(w.org.flags));
    field(parts, "delegated administrator", admin_text(n, ch.org_before.delegated_admin),
          admin_text(n, w.org.delegated_admin));
    if (!parts.empty()) out.push_back(fmt::format("organization {}: {}", n.org_id, joined(parts, ", ")));
  }
  for (const auto& [a, before] : first_images(ch.accounts)) {
    const Account& after = w.accounts[a];
    std::vector<std::string> parts;
    field(parts, "membership", to_string(before.membership), to_string(after.membership));
    field(parts, "roles", roles_text(before.flags), roles_text(after.flags));
    if (!parts.empty()) out.push_back(fmt::format("account {}: {}", n.account(a), joined(parts, ", ")));
  }
  for (LicenseIx l = ch.licenses_before; l < w.licenses.size(); ++l)
    out.push_back(fmt::format("license {}: created, {}", license_title(w, n, l), to_string(w.licenses[l].status)));
  for (const auto& [l, before] : first_images(ch.licenses)) {
    std::vector<std::string> parts;
    field(parts, "status", to_string(before.status), to_string(w.licenses[l].status));
    if (!parts.empty()) out.push_back(fmt::format("license {}: {}", license_title(w, n, l), joined(parts, ", ")));
  }
  for (GrantIx g = ch.grants_before; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    std::string line = fmt::format("grant {}: created, {}, version {}", grant_title(w, n, g), to_string(gr.status),
                                   gr.version);
    if (gr.status_reason) line += ", reason " + quoted(n, gr.status_reason);
    out.push_back(line);
  }
  for (const auto& [g, before] : first_images(ch.grants)) {
    const Grant& after = w.grants[g];
    std::vector<std::string> parts;
    field(parts, "status", to_string(before.status), to_string(after.status));
    if (before.status_reason != after.status_reason)
      parts.push_back(fmt::format("reason {} -> {}", before.status_reason ? quoted(n, before.status_reason) : "none",
                                  after.status_reason ? quoted(n, after.status_reason) : "none"));
    if (before.name != after.name)
      parts.push_back(fmt::format("name {} -> {}", quoted(n, before.name), quoted(n, after.name)));
    field(parts, "version", before.version, after.version);
    if ((before.flags & kBulkActive) != (after.flags & kBulkActive))
      parts.push_back((after.flags & kBulkActive) ? "joiners now receive ACTIVE children"
                                                  : "joiners now receive DISABLED children");
    if (!parts.empty()) out.push_back(fmt::format("grant {}: {}", grant_title(w, n, g), joined(parts, ", ")));
  }
  for (const WorkloadChange& wc : ch.workloads) {
    uint8_t now = w.running_at(wc.account, wc.product);
    if (now != wc.before)
      out.push_back(fmt::format("workload {} {}: running {} -> {}", n.account(wc.account),
                                product_name(n, wc.product), wc.before, now));
  }
  return out;
}

std::string describe_changes(const World& after, const Changes& ch, const Names& n) {
  return joined(change_lines(after, ch, n), "\n");
}

std::string describe_state(const World& w, const Names& n) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("organization {} ({}), management {}, delegated administrator {}, settings {}", n.org_id,
                              to_string(w.org.feature_set), n.account(w.org.management),
                              admin_text(n, w.org.delegated_admin), org_flags_text(w.org.flags)));
  for (AccountIx a = 0; a < w.accounts.size(); ++a) {
    const Account& acc = w.accounts[a];
    std::string line = fmt::format("account {}: {}, roles {}", n.account(a), to_string(acc.membership), roles_text(acc.flags));
    if (acc.flags & kGovCloud) line += ", GovCloud account of " + n.account(acc.govcloud_link);
    for (ProductIx p = 0; p < w.products.size(); ++p) {
      if (w.running_at(a, p)) line += fmt::format(", running {} x{}", product_name(n, p), w.running_at(a, p));
      if (entitled(w, a, p)) line += fmt::format(", entitled to {}", product_name(n, p));
    }
    lines.push_back(line);
  }
  for (LicenseIx l = 0; l < w.licenses.size(); ++l)
    lines.push_back(fmt::format("license {}: {}", license_title(w, n, l), to_string(w.licenses[l].status)));
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    std::string line = fmt::format("grant {}: {}, version {}", grant_title(w, n, g), to_string(gr.status), gr.version);
    if (gr.status_reason) line += ", reason " + quoted(n, gr.status_reason);
    lines.push_back(line);
  }
  return joined(lines, "\n");
}

}  // namespace entmc
