// Organization membership and the delegated administrator.
#include "model/rules.h"

namespace entmc::rules {

// aws-api-facts: InviteAccountToOrganization / AcceptHandshake (an account joins).
Outcome invite_account(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  const Account& target = w.accounts[c.account];
  if (target.flags & kGovCloud) return fail(Reason::GovCloudAccountLimited);
  if (target.membership != Membership::OUTSIDE) return fail(Reason::AlreadyMember);
  if (target.flags & kInvited) return fail(Reason::AlreadyInvited);
  mut::account(w, ch, c.account).flags |= kInvited;
  return success();
}

// The invited account accepts and joins; it receives the organization's
// distributions (org_grants.cpp, on_account_joined).
Outcome accept_handshake(World& w, const Call& c, Changes* ch) {
  const Account& acc = w.accounts[c.caller];
  if (!(acc.flags & kInvited) || acc.membership != Membership::OUTSIDE) return fail(Reason::NoOpenHandshake);
  Account& m = mut::account(w, ch, c.caller);
  m.flags &= uint8_t(~kInvited);
  m.membership = Membership::MEMBER;
  on_account_joined(w, ch, c.caller);
  return success();
}

// aws-api-facts: RemoveAccountFromOrganization (by the management account) and
// LeaveOrganization (by the member); MasterCannotLeaveOrganizationException.
// The registered delegated administrator is deregistered first (a choice,
// docs/semantics.md). Leaving disables the account's organization children
// (org_grants.cpp, on_account_left); workloads keep running.
Outcome remove_account(World& w, const Call& c, Changes* ch) {
  AccountIx target = c.caller;
  if (c.op == Op::RemoveAccountFromOrganization) {
    if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
    target = c.account;
  }
  if (target == w.org.management) return fail(Reason::ManagementCannotLeave);
  if (!w.is_member(target)) return fail(Reason::NotMember);
  if (target == w.org.delegated_admin) return fail(Reason::DeregisterAdminFirst);
  mut::account(w, ch, target).membership = Membership::OUTSIDE;
  on_account_left(w, ch, target);
  return success();
}

// Seed: "Delegated Administrator for Managed entitlements": registered by the
// management account, all-features organizations only, one per organization.
// Trusted access for License Manager comes first, as for every delegated
// administrator in AWS Organizations.
Outcome register_delegated_admin(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.feature_set != FeatureSet::ALL) return fail(Reason::NeedsAllFeatures);
  if (!(w.org.flags & kTrustedLicenseManager)) return fail(Reason::TrustedAccessRequired);
  if (w.accounts[c.account].membership != Membership::MEMBER) return fail(Reason::AdminMustBeMember);
  if (w.org.delegated_admin == c.account) return fail(Reason::AlreadyDelegatedAdmin);
  if (w.org.delegated_admin != kNone) return fail(Reason::OneDelegatedAdmin);
  mut::org(w, ch).delegated_admin = c.account;
  return success();
}

// Seed: "Once I've selected a delegated administrator account, can I
// unselect/remove it?" and "What happens to my distributed entitlements when
// the delegated administrator account is removed?" (org_grants.cpp).
Outcome deregister_delegated_admin(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.delegated_admin != c.account || c.account == kNone) return fail(Reason::NotDelegatedAdmin);
  mut::org(w, ch).delegated_admin = kNone;
  on_admin_deregistered(w, ch, c.account);
  return success();
}

}  // namespace entmc::rules
