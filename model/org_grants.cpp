// Distribution to the organization ID: a parent grant whose principal is the
// organization, and one auto-accepted child grant per member account.
#include "model/rules.h"

namespace entmc::rules {
namespace {

GrantIx add_child(World& w, Changes* ch, GrantIx parent, AccountIx account) {
  const Grant& p = w.grants[parent];
  Grant child;
  child.license = p.license;
  child.grantor = p.grantor;
  child.grantee = account;
  child.parent = parent;
  child.status = GrantStatus::DISABLED;  // auto-accepted
  child.name = p.name;
  child.allowed_ops = p.allowed_ops;
  return mut::add_grant(w, ch, child);
}

// A child that should be active tries to activate; if it cannot, it keeps its
// status and its status reason says why. (Bulk activate: "some account-level
// licenses might not activate due to existing licenses already active")
void try_activate_child(World& w, Changes* ch, GrantIx child, ActivationOverride ov, StringId reason) {
  Reason blocker = activation_blocker(w, child, ov);
  if (blocker == Reason::None) {
    activate(w, ch, child, ov, reason);
    return;
  }
  StringId why = blocker == Reason::OneActiveLicensePerProduct ? kReasonActivationFailedActiveLicense
                                                               : kReasonActivationFailedLicenseUnavailable;
  Grant& g = mut::grant(w, ch, child);
  if (g.status_reason != why) {
    g.status_reason = why;
    ++g.version;
  }
}

}  // namespace

// Seeds: "Creating Grants to an AWS Organizations ID" (from the management
// account; "automatically accepted across member accounts"; the screenshot
// shows a Disabled parent and six Disabled children, none for the management
// account itself), "Pre-requisite Permissions" (org-ID distribution needs all
// features, trusted access and 'Link AWS Organizations accounts'),
// "Delegated Administrator" (the administrator distributes by Org ID too).
// Every member other than the grantor receives a child (docs/semantics.md).
Outcome create_org_grant(World& w, const Call& c, Changes* ch) {
  if (w.org.feature_set != FeatureSet::ALL) return fail(Reason::OrgGrantNeedsAllFeatures);
  if (!is_org_administrator(w, c.caller)) return fail(Reason::OrgGrantNeedsAdministrator);
  if ((w.org.flags & (kTrustedLicenseManager | kTrustedMarketplace)) !=
      (kTrustedLicenseManager | kTrustedMarketplace))
    return fail(Reason::TrustedAccessRequired);
  if (!(w.org.flags & kLinkedAccounts)) return fail(Reason::LinkingRequired);
  Grant parent;
  parent.license = c.license;
  parent.grantor = c.caller;
  parent.grantee = kNone;
  parent.status = GrantStatus::DISABLED;
  parent.flags = kOrgParent;
  parent.name = c.name;
  parent.allowed_ops = c.allowed_ops ? c.allowed_ops : kConsumptionOps;
  GrantIx g = mut::add_grant(w, ch, parent);
  w.org_grants.push_back(g);
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    if (w.is_member(a) && a != c.caller) add_child(w, ch, g, a);
  mut::set_token(w, ch, c.token, TokenRecord{g, 1});
  return success(g);
}

// Seed: "Bulk activate" ("Activation and deactivation of licenses to an
// organization ID triggers individual license activations at the AWS account
// level"; the parent shows Workflow Complete). Children of accounts that left
// stay as they are; terminal children stay terminal.
void bulk_set_status(World& w, Changes* ch, GrantIx parent, GrantStatus s, ActivationOverride ov,
                     StringId reason) {
  const LicenseIx license = w.grants[parent].license;
  for_each_on_license(w, license, [&](GrantIx child) {
    const Grant& g = w.grants[child];
    if (g.parent != parent || is_terminal(g.status) || !w.is_member(g.grantee)) return;
    if (s == GrantStatus::ACTIVE) {
      if (g.status != GrantStatus::ACTIVE) try_activate_child(w, ch, child, ov, reason);
    } else if (g.status == GrantStatus::ACTIVE) {
      mut::set_grant_status(w, ch, child, GrantStatus::DISABLED, reason);
    }
  });
  Grant& p = mut::grant(w, ch, parent);
  if (s == GrantStatus::ACTIVE)
    p.flags |= kBulkActive;
  else
    p.flags &= uint8_t(~kBulkActive);
  mut::set_grant_status(w, ch, parent, GrantStatus::WORKFLOW_COMPLETED, reason);
}

// Seed: "Keeping track of grants to accounts in your organization": accounts
// added to the organization receive every license granted to the organization
// ID, activated if the organization grant was bulk-activated. A child kept from
// an earlier membership is reused rather than duplicated.
void on_account_joined(World& w, Changes* ch, AccountIx a) {
  for (size_t i = 0; i < w.org_grants.size(); ++i) {
    const GrantIx parent = w.org_grants[i];
    const Grant& p = w.grants[parent];
    if (p.status == GrantStatus::DELETED || p.grantor == a) continue;
    GrantIx child = find_org_child(w, parent, a);
    if (child == kNone || is_terminal(w.grants[child].status)) child = add_child(w, ch, parent, a);
    if (w.grants[parent].flags & kBulkActive) try_activate_child(w, ch, child, ActivationOverride::NONE, 0);
  }
}

// Same seed section: "when you remove an account from the organization, the
// account's distributed license is automatically disabled"; "Active workloads
// aren't affected". Only children of organization grants are disabled; grants
// to the account ID are left as they are (docs/semantics.md).
//
// "Pre-requisite Permissions", Note: trusted access for Marketplace "ensures
// that SLRs will be created for your organization's linked accounts": the role
// is created in the member account, so a leaver keeps it (an IAM role stays in
// its account). Without this a leaver with an ACTIVE grant to its account ID
// would be entitled with no Marketplace role.
void on_account_left(World& w, Changes* ch, AccountIx a) {
  // (the account was a member until this call: the organization's trusted access covered it)
  const bool derived = w.org.feature_set == FeatureSet::ALL && (w.org.flags & kTrustedMarketplace);
  if (derived && !(w.accounts[a].flags & kSlrMarketplace)) mut::account(w, ch, a).flags |= kSlrMarketplace;
  for_each_received(w, a, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    if (gr.is_org_child() && gr.status == GrantStatus::ACTIVE)
      mut::set_grant_status(w, ch, g, GrantStatus::DISABLED, kReasonAccountLeftOrganization);
  });
}

// Seed: "What happens to my distributed entitlements when the delegated
// administrator account is removed?": its Org-ID distributions, parent and
// children, are disabled; its account-ID distributions remain as they are.
void on_admin_deregistered(World& w, Changes* ch, AccountIx former) {
  for (size_t i = 0; i < w.org_grants.size(); ++i) {
    const GrantIx parent = w.org_grants[i];
    const Grant& p = w.grants[parent];
    if (p.grantor != former || is_terminal(p.status)) continue;
    for_each_on_license(w, p.license, [&](GrantIx child) {
      const Grant& g = w.grants[child];
      if (g.parent == parent && g.status == GrantStatus::ACTIVE)
        mut::set_grant_status(w, ch, child, GrantStatus::DISABLED, kReasonDelegatedAdminDeregistered);
    });
    mut::grant(w, ch, parent).flags &= uint8_t(~kBulkActive);
    mut::set_grant_status(w, ch, parent, GrantStatus::DISABLED, kReasonDelegatedAdminDeregistered);
  }
}

}  // namespace entmc::rules
