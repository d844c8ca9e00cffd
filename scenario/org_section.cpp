// The `org` section: the organization, its accounts (in index order:
// management, members, outside, GovCloud) and the prerequisite shortcuts that
// set up trusted access, linking and service-linked roles without steps.
#include <fmt/format.h>

#include "scenario/parse_context.h"

namespace entmc::scn {
namespace {

constexpr std::string_view kOrgKeys[] = {
    "id", "feature_set", "management", "members", "outside", "govcloud", "invited", "delegated_admin",
    "prerequisites", "tags"};  // tags: account tags for user properties (policy/)

constexpr uint8_t kAllRoles = kSlrLicenseManager | kSlrLicenseManagerMaster | kSlrMarketplace;

AccountIx add(Context& cx, OrgSection& out, const YAML::Node& n, Membership m, std::string_view what) {
  std::string id = cx.reader.scalar(n, what);
  if (!is_account_id(id)) cx.reader.fail(n, fmt::format("{}: malformed account ID '{}' (12 digits expected)", what, id));
  if (cx.find_account(id)) cx.reader.fail(n, fmt::format("account {} is listed twice", id));
  cx.account_ix.emplace(id, AccountIx(cx.names.accounts.size()));
  cx.names.accounts.push_back(id);
  Account a;
  a.membership = m;
  out.accounts.push_back(a);
  return AccountIx(out.accounts.size() - 1);
}

uint8_t role_bit(Context& cx, const YAML::Node& n) {
  std::string r = cx.reader.scalar(n, "a service-linked role");
  if (r == "license-manager" || r == "AWSServiceRoleForAWSLicenseManagerRole") return kSlrLicenseManager;
  if (r == "license-manager-master" || r == "AWSServiceRoleForAWSLicenseManagerMasterAccountRole")
    return kSlrLicenseManagerMaster;
  if (r == "marketplace" || r == "AWSServiceRoleForMarketplaceLicenseManagement") return kSlrMarketplace;
  cx.reader.fail(n, fmt::format("unknown service-linked role '{}' (license-manager, license-manager-master, marketplace)", r));
}

void need_all_features(Context& cx, const OrgSection& out, const YAML::Node& n, const std::string& item) {
  if (out.feature_set != FeatureSet::ALL)
    cx.reader.fail(n, fmt::format("prerequisite '{}' needs feature_set ALL (trusted access and linking exist only "
                                  "in all-features organizations)", item));
}

void give_roles(OrgSection& out, uint8_t roles) {
  for (size_t a = 0; a < out.accounts.size(); ++a) {
    Account& acc = out.accounts[a];
    if (acc.flags & kGovCloud) continue;  // a GovCloud account only runs workloads
    uint8_t r = roles;
    if (acc.membership != Membership::MANAGEMENT) r &= uint8_t(~kSlrLicenseManagerMaster);
    acc.flags |= r;
  }
}

// `prerequisites: all | none | [item, ...]`; an item is a shortcut name or
// {account: ID, roles: [...]} (docs/scenario-format.md).
void apply_prerequisites(Context& cx, OrgSection& out, const YAML::Node& n) {
  if (n.IsScalar()) {
    std::string s = n.Scalar();
    if (s == "none") return;
    if (s != "all") cx.reader.fail(n, fmt::format("prerequisites: '{}' is neither all, none nor a list", s));
    give_roles(out, kAllRoles);
    if (out.feature_set == FeatureSet::ALL) out.org.flags |= kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
    return;
  }
  for (const YAML::Node& item : cx.reader.list(n, "prerequisites")) {
    if (item.IsMap()) {
      YAML::Node acc = absent(), roles = absent();
      static constexpr std::string_view kKeys[] = {"account", "roles"};
      for (auto& [k, v] : cx.reader.map(item, "a role assignment", kKeys))
        (k.Scalar() == "account" ? acc : roles).reset(v);
      if (!acc || !roles) cx.reader.fail(item, "a role assignment needs account and roles");
      AccountIx a = cx.account(acc, "account");
      if (out.accounts[a].flags & kGovCloud) cx.reader.fail(acc, "a GovCloud account has no service-linked roles");
      for (const YAML::Node& r : cx.reader.list(roles, "roles")) {
        uint8_t bit = role_bit(cx, r);
        if (bit == kSlrLicenseManagerMaster && out.accounts[a].membership != Membership::MANAGEMENT)
          cx.reader.fail(r, "the master-account role exists only in the management account");
        out.accounts[a].flags |= bit;
      }
      continue;
    }
    std::string s = cx.reader.scalar(item, "a prerequisite");
    if (s == "trusted_access") {
      need_all_features(cx, out, item, s);
      out.org.flags |= kTrustedLicenseManager | kTrustedMarketplace;
    } else if (s == "trusted_access_license_manager") {
      need_all_features(cx, out, item, s);
      out.org.flags |= kTrustedLicenseManager;
    } else if (s == "trusted_access_marketplace") {
      need_all_features(cx, out, item, s);
      out.org.flags |= kTrustedMarketplace;
    } else if (s == "linked_accounts") {
      need_all_features(cx, out, item, s);
      out.org.flags |= kLinkedAccounts;
    } else if (s == "service_linked_roles") {
      give_roles(out, kAllRoles);
    } else if (s == "license_manager_roles") {
      give_roles(out, kSlrLicenseManager);
    } else if (s == "license_manager_master_role") {
      give_roles(out, kSlrLicenseManagerMaster);
    } else if (s == "marketplace_roles") {
      give_roles(out, kSlrMarketplace);
    } else {
      cx.reader.fail(item, fmt::format("unknown prerequisite '{}' (trusted_access, trusted_access_license_manager, "
                                       "trusted_access_marketplace, linked_accounts, service_linked_roles, "
                                       "license_manager_roles, license_manager_master_role, marketplace_roles)", s));
    }
  }
}

}  // namespace

OrgSection parse_org(Context& cx, const YAML::Node& org) {
  OrgSection out;
  YAML::Node id = absent(), fs = absent(), management = absent(), members = absent(), outside = absent(), govcloud = absent(), invited = absent(), admin = absent(), prerequisites = absent();
  for (auto& [k, v] : cx.reader.map(org, "the org section", kOrgKeys)) {
    const std::string key = k.Scalar();
    if (key == "id") id.reset(v);
    else if (key == "feature_set") fs.reset(v);
    else if (key == "management") management.reset(v);
    else if (key == "members") members.reset(v);
    else if (key == "outside") outside.reset(v);
    else if (key == "govcloud") govcloud.reset(v);
    else if (key == "invited") invited.reset(v);
    else if (key == "delegated_admin") admin.reset(v);
    else if (key == "tags") continue;  // read by policy/ with the properties
    else prerequisites.reset(v);
  }
  if (id) {
    std::string s = cx.reader.scalar(id, "org id");
    if (!is_organization_id(s))
      cx.reader.fail(id, fmt::format("malformed organization ID '{}' (o- and 10 to 32 lowercase letters or digits)", s));
    cx.names.org_id = s;
  }
  if (!fs) cx.reader.fail(org, "the org section needs feature_set (ALL or CONSOLIDATED_BILLING)");
  std::string fs_name = cx.reader.scalar(fs, "feature_set");
  if (!parse(fs_name, out.feature_set))
    cx.reader.fail(fs, fmt::format("unknown feature_set '{}' (ALL or CONSOLIDATED_BILLING)", fs_name));
  out.org.feature_set = out.feature_set;
  if (!management) cx.reader.fail(org, "the org section needs a management account");
  out.org.management = add(cx, out, management, Membership::MANAGEMENT, "management");
  for (const YAML::Node& m : cx.reader.list(members, "members")) add(cx, out, m, Membership::MEMBER, "member");
  for (const YAML::Node& o : cx.reader.list(outside, "outside")) add(cx, out, o, Membership::OUTSIDE, "outside account");
  if (govcloud) {
    // {GovCloud account: its commercial account}
    for (auto& [k, v] : cx.reader.map(govcloud, "govcloud")) {
      AccountIx commercial = cx.account(v, "the commercial account of a GovCloud account");
      if (out.accounts[commercial].flags & kGovCloud)
        cx.reader.fail(v, "a GovCloud account links to a commercial account, not to another GovCloud account");
      AccountIx g = add(cx, out, k, Membership::OUTSIDE, "GovCloud account");
      out.accounts[g].flags |= kGovCloud;
      out.accounts[g].govcloud_link = commercial;
    }
  }
  for (const YAML::Node& i : cx.reader.list(invited, "invited")) {
    AccountIx a = cx.account(i, "invited account");
    if (out.accounts[a].membership != Membership::OUTSIDE || (out.accounts[a].flags & kGovCloud))
      cx.reader.fail(i, "only an outside commercial account can have an open invitation");
    out.accounts[a].flags |= kInvited;
  }
  if (admin) {
    AccountIx a = cx.account(admin, "delegated_admin");
    if (out.feature_set != FeatureSet::ALL) cx.reader.fail(admin, "a delegated administrator needs feature_set ALL");
    if (out.accounts[a].membership != Membership::MEMBER)
      cx.reader.fail(admin, "the delegated administrator must be a member account");
    out.org.delegated_admin = a;
  }
  if (prerequisites) apply_prerequisites(cx, out, prerequisites);
  return out;
}

}  // namespace entmc::scn
