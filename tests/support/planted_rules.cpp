#include "planted_rules.h"

#include <stdexcept>

#include "model/changes_log.h"
#include "model/entitlement.h"

namespace entmc::planted {
namespace {

Outcome standard(Op op, World& w, const Call& c, Changes* ch) { return Rules::standard()[op](w, c, ch); }

// --- workloads (seed "Deleting Grants", "Delegated Administrator": license
// actions never stop running workloads) ---

// DeleteGrant that also stops the recipient's workloads of the product.
Outcome delete_stops_workloads(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::DeleteGrant, w, c, ch);
  if (!o.ok()) return o;
  const Grant& g = w.grants[c.grant];
  const ProductIx p = product_of_grant(w, c.grant);
  if (g.grantee != kNone && w.running_at(g.grantee, p) > 0) mut::set_running(w, ch, g.grantee, p, 0);
  return o;
}
// CancelSubscription that also stops the subscriber's workloads.
Outcome cancel_stops_workloads(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::CancelSubscription, w, c, ch);
  if (o.ok()) mut::set_running(w, ch, c.caller, w.licenses[c.license].product, 0);
  return o;
}
// Deactivation (CreateGrantVersion to DISABLED) that also stops the recipient's workloads.
Outcome deactivate_stops_workloads(World& w, const Call& c, Changes* ch) {
  Outcome out = standard(Op::CreateGrantVersion, w, c, ch);
  const Grant& g = w.grants[c.grant];
  if (out.ok() && g.status == GrantStatus::DISABLED && g.grantee != kNone)
    mut::set_running(w, ch, g.grantee, product_of_grant(w, c.grant), 0);
  return out;
}
// LaunchWorkload without the entitlement check (seed "Terminology": Entitlement).
Outcome launch_unchecked(World& w, const Call& c, Changes* ch) {
  mut::set_running(w, ch, c.caller, c.product, uint8_t(w.running_at(c.caller, c.product) + 1));
  return success();
}

// --- the grant lifecycle (seed "Grant States") ---

// AcceptGrant that re-opens a REJECTED grant (REJECTED is terminal).
Outcome rejected_reacceptable(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (g.status == GrantStatus::REJECTED && g.grantee == c.caller) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
    return success();
  }
  return standard(Op::AcceptGrant, w, c, ch);
}
// RejectGrant that ignores terminal states.
Outcome reject_anything(World& w, const Call& c, Changes* ch) {
  if (w.grants[c.grant].grantee != c.caller) return fail(Reason::NotGrantRecipient);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::REJECTED, kReasonNone);
  return success();
}
// AcceptGrant that lowers the version it should raise ("Grant Versions").
Outcome accept_keeps_version(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::AcceptGrant, w, c, ch);
  if (o.ok()) mut::grant(w, ch, c.grant).version -= 1;
  return o;
}
// Renaming (CreateGrantVersion with a name only) without a new version.
Outcome rename_in_place(World& w, const Call& c, Changes* ch) {
  if (c.name == 0 || c.has_status) return standard(Op::CreateGrantVersion, w, c, ch);
  mut::grant(w, ch, c.grant).name = c.name;
  return success(c.grant);
}
// AcceptGrant that bumps the version and then refuses (a failed call changes nothing).
Outcome accept_then_refuse(World& w, const Call& c, Changes* ch) {
  ++mut::grant(w, ch, c.grant).version;
  return fail(Reason::GrantNotPendingAccept);
}
// StopWorkload that stops the workload and then reports a failure.
Outcome stop_then_fail(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::StopWorkload, w, c, ch);
  return o.ok() ? fail(Reason::NoRunningWorkload) : o;
}

// --- activation: one active license per product and account ("Updating
// License status reason") ---

// AcceptAndActivateGrant without the one-active-license check.
Outcome accept_activate_unchecked(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (g.grantee != c.caller || g.status != GrantStatus::PENDING_ACCEPT) return fail(Reason::GrantNotPendingAccept);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::ACTIVE, kReasonNone);
  return success();
}
// Activation by CreateGrantVersion that ignores the recipient's other active licenses.
Outcome activate_ignoring_others(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (c.has_status && c.status == GrantStatus::ACTIVE && !g.is_org_parent() && g.status == GrantStatus::DISABLED &&
      (c.caller == g.grantee || c.caller == g.grantor)) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::ACTIVE, kReasonNone);
    return success(c.grant);
  }
  return standard(Op::CreateGrantVersion, w, c, ch);
}

// --- the recipient's Marketplace role ("Pre-requisite Permissions": the role
// in every account that will "grant or receive licenses") ---

// Acceptance and activation that skip the recipient's role check: the rule
// runs as if the recipient held the role (lent for the call, not logged: the
// rules called here never change an account).
Outcome skip_recipient_role(World& w, const Call& c, Changes* ch) {
  const AccountIx r = c.grant < w.grants.size() ? w.grants[c.grant].grantee : kNone;
  const bool lend = r < w.accounts.size() && !(w.accounts[r].flags & kSlrMarketplace);
  if (lend) w.accounts[r].flags |= kSlrMarketplace;
  Outcome o = standard(c.op, w, c, ch);
  if (lend) w.accounts[r].flags &= uint8_t(~kSlrMarketplace);
  return o;
}

// --- distribution (seed "What is managed entitlements", "Granting
// entitlements to accounts in your organization") ---

// CreateGrant that forgets that a SaaS license cannot be distributed: it
// checks the license as if it were an AMI.
Outcome saas_grantable(World& w, const Call& c, Changes* ch) {
  if (c.license >= w.licenses.size()) return standard(Op::CreateGrant, w, c, ch);
  const ProductIx p = w.licenses[c.license].product;
  const ProductType real = w.products[p];
  w.products[p] = ProductType::AMI;
  Outcome o = standard(Op::CreateGrant, w, c, ch);
  w.products[p] = real;
  return o;
}
// CreateGrant that passes the CreateGrant operation on to the recipient
// (consumption rights only).
Outcome grant_with_create_grant(World& w, const Call& c, Changes* ch) {
  Call plain = c;
  plain.allowed_ops = uint8_t(c.allowed_ops & ~kCreateGrantOp);
  Outcome o = standard(Op::CreateGrant, w, plain, ch);
  if (o.ok() && (c.allowed_ops & kCreateGrantOp)) mut::grant(w, ch, o.created).allowed_ops |= kCreateGrantOp;
  return o;
}
// CreateGrant to the organization ID whatever the organization's feature set.
Outcome org_grant_any_feature_set(World& w, const Call& c, Changes* ch) {
  const Organization saved = w.org;
  w.org.feature_set = FeatureSet::ALL;
  w.org.flags |= kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
  Outcome o = standard(Op::CreateGrant, w, c, ch);
  w.org.feature_set = saved.feature_set;
  w.org.flags = saved.flags;
  return o;
}
// CreateGrant that treats a GovCloud account as an ordinary principal (FAQ 1).
Outcome grant_to_govcloud(World& w, const Call& c, Changes* ch) {
  const bool gov = !c.to_org && c.account < w.accounts.size() && (w.accounts[c.account].flags & kGovCloud);
  if (gov) w.accounts[c.account].flags &= uint8_t(~kGovCloud);
  Outcome o = standard(Op::CreateGrant, w, c, ch);
  if (gov) w.accounts[c.account].flags |= kGovCloud;
  return o;
}
// CreateGrant without any check on the license, the caller or the principal.
Outcome grant_anything(World& w, const Call& c, Changes* ch) {
  Grant g;
  g.license = c.license;
  g.grantor = c.caller;
  g.grantee = c.to_org ? kNone : c.account;
  g.flags = c.to_org ? kOrgParent : 0;
  g.allowed_ops = c.allowed_ops ? c.allowed_ops : kConsumptionOps;
  GrantIx ix = mut::add_grant(w, ch, g);
  if (c.to_org) w.org_grants.push_back(ix);
  return success(ix);
}
// CreateGrant to another account without the owner, status or SaaS checks;
// grants to the organization, to oneself and to GovCloud stay standard, so
// random call sequences keep reaching ordinary states.
Outcome grant_unchecked(World& w, const Call& c, Changes* ch) {
  if (c.to_org || c.account == c.caller || (w.accounts[c.account].flags & kGovCloud && c.token == 0))
    return standard(Op::CreateGrant, w, c, ch);
  Grant g;
  g.license = c.license;
  g.grantor = c.caller;
  g.grantee = c.account;
  return success(mut::add_grant(w, ch, g));
}
// Subscribe that records the call's region as the license's home region
// ("Regional availability": the home region is us-east-1).
Outcome subscribe_in_call_region(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::Subscribe, w, c, ch);
  if (o.ok()) mut::license(w, ch, o.created).home_region = c.region;
  return o;
}
// CancelSubscription that deletes the license but leaves its grants as they
// were (seed "Delegated Administrator", transition option 3: cancelling
// deletes the license across all recipients).
Outcome cancel_keeps_grants(World& w, const Call& c, Changes* ch) {
  const License& lic = w.licenses[c.license];
  if (lic.owner != c.caller) return fail(Reason::NotLicenseOwner);
  if (lic.status == LicenseStatus::DELETED) return fail(Reason::LicenseDeleted);
  mut::set_license_status(w, ch, c.license, LicenseStatus::DELETED);
  return success();
}

// --- the organization and its delegated administrator ---

// AcceptHandshake that makes the account a member without giving it its
// children of the organization grants ("Keeping track of grants to accounts
// in your organization").
Outcome joiner_without_child(World& w, const Call& c, Changes* ch) {
  const Account& acc = w.accounts[c.caller];
  if (!(acc.flags & kInvited) || acc.membership != Membership::OUTSIDE) return fail(Reason::NoOpenHandshake);
  Account& m = mut::account(w, ch, c.caller);
  m.flags &= uint8_t(~kInvited);
  m.membership = Membership::MEMBER;
  return success();
}
// LeaveOrganization / RemoveAccountFromOrganization that keep the account's
// organization children as they were (the leaver keeps its entitlements).
Outcome leave_keeps_children(World& w, const Call& c, Changes* ch) {
  AccountIx target = c.caller;
  if (c.op == Op::RemoveAccountFromOrganization) {
    if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
    target = c.account;
  }
  if (target == w.org.management) return fail(Reason::ManagementCannotLeave);
  if (!w.is_member(target)) return fail(Reason::NotMember);
  if (target == w.org.delegated_admin) return fail(Reason::DeregisterAdminFirst);
  mut::account(w, ch, target).membership = Membership::OUTSIDE;
  return success();
}
// DeregisterDelegatedAdministrator that leaves the former administrator's
// organization distributions on ("What happens to my distributed
// entitlements when the delegated administrator account is removed?").
Outcome deregister_keeps_org_grants(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.delegated_admin != c.account || c.account == kNone) return fail(Reason::NotDelegatedAdmin);
  mut::org(w, ch).delegated_admin = kNone;
  return success();
}
// CreateGrantVersion that lets the current delegated administrator act as the
// grantor of a former administrator's grants (a new administrator cannot
// manage a former one's distributions).
Outcome new_admin_manages_former(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (c.caller == w.org.delegated_admin && g.grantor != c.caller && g.grantor != w.org.management &&
      g.grantee != c.caller) {
    Call as_grantor = c;
    as_grantor.caller = g.grantor;
    return standard(Op::CreateGrantVersion, w, as_grantor, ch);
  }
  return standard(Op::CreateGrantVersion, w, c, ch);
}
// DeleteGrant by the management account on anyone's grant, not only its own.
Outcome management_deletes_others(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (c.caller != g.grantor && c.caller == w.org.management && !is_terminal(g.status) && c.version == g.version &&
      !g.is_org_child()) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::DELETED, c.reason);
    return success();
  }
  return standard(Op::DeleteGrant, w, c, ch);
}

// --- frame conditions: a rule that also changes a record it has no business
// touching, or starts a record in the wrong state (issue 17) ---

// AcceptGrant that also accepts every other grant pending for the recipient,
// whatever its product or grantor.
Outcome accept_all_pending(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::AcceptGrant, w, c, ch);
  if (!o.ok()) return o;
  for_each_received(w, c.caller, [&](GrantIx g) {
    if (g != c.grant && w.grants[g].status == GrantStatus::PENDING_ACCEPT)
      mut::set_grant_status(w, ch, g, GrantStatus::DISABLED, kReasonNone);
  });
  return o;
}
// CancelSubscription that also deletes the grants the subscriber received for
// the product (another license's grants).
Outcome cancel_deletes_received(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::CancelSubscription, w, c, ch);
  if (!o.ok()) return o;
  for_each_received_for(w, c.caller, w.licenses[c.license].product, [&](GrantIx g) {
    if (!is_terminal(w.grants[g].status))
      mut::set_grant_status(w, ch, g, GrantStatus::DELETED, kReasonSubscriptionCancelled);
  });
  return o;
}
// Leaving (or removal) that also disables the ACTIVE grants to the account ID,
// not only the organization children.
Outcome leave_disables_account_grants(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(c.op, w, c, ch);
  if (!o.ok()) return o;
  const AccountIx target = c.op == Op::LeaveOrganization ? c.caller : c.account;
  for_each_received(w, target, [&](GrantIx g) {
    if (!w.grants[g].is_org_child() && w.grants[g].status == GrantStatus::ACTIVE)
      mut::set_grant_status(w, ch, g, GrantStatus::DISABLED, kReasonAccountLeftOrganization);
  });
  return o;
}
// LaunchWorkload by a GovCloud account that also counts the workload for its
// commercial account (the account whose licenses entitle it).
Outcome launch_counts_commercial(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::LaunchWorkload, w, c, ch);
  if (!o.ok() || !(w.accounts[c.caller].flags & kGovCloud)) return o;
  const AccountIx commercial = w.accounts[c.caller].govcloud_link;
  const uint8_t n = w.running_at(commercial, c.product);
  if (n < 255) mut::set_running(w, ch, commercial, c.product, uint8_t(n + 1));
  return o;
}
// CreateGrant to an account that is always auto-accepted (DISABLED), outside
// an organization or from an account that is no administrator too.
Outcome grant_always_auto_accepted(World& w, const Call& c, Changes* ch) {
  const size_t before = w.grants.size();
  Outcome o = standard(Op::CreateGrant, w, c, ch);
  // A new record is not logged, so it is changed in place.
  if (o.ok() && !c.to_org && o.created == before &&
      w.grants[o.created].status == GrantStatus::PENDING_ACCEPT)
    w.grants[o.created].status = GrantStatus::DISABLED;
  return o;
}

// --- who may call, and what must hold first (call-preconditions) ---

// DeregisterDelegatedAdministrator by any account, not only the management
// account (seed: "you can remove your delegated administrator account by
// navigating back to the AWS License Manager Console Settings page via your
// Management/Payer account").
Outcome deregister_by_anyone(World& w, const Call& c, Changes* ch) {
  Call as_management = c;
  as_management.caller = w.org.management;
  return standard(Op::DeregisterDelegatedAdministrator, w, as_management, ch);
}
// CreateServiceLinkedRole that creates the master-account role in any account
// (API Specific instructions: "needed only in management account").
Outcome master_role_anywhere(World& w, const Call& c, Changes* ch) {
  if (c.service == Service::LicenseManagerMaster && c.caller != w.org.management &&
      !(w.accounts[c.caller].flags & kSlrLicenseManagerMaster)) {
    mut::account(w, ch, c.caller).flags |= kSlrLicenseManagerMaster;
    return success();
  }
  return standard(Op::CreateServiceLinkedRole, w, c, ch);
}
// 'Link AWS Organizations accounts' in a consolidated-billing organization
// (Pre-requisite Permissions: trusted access, which linking creates, needs all
// features).
Outcome link_without_all_features(World& w, const Call& c, Changes* ch) {
  if (w.org.feature_set != FeatureSet::ALL && c.caller == w.org.management &&
      (w.accounts[c.caller].flags & kSlrLicenseManagerMaster)) {
    uint8_t flags = w.org.flags;
    if (c.enable)
      flags |= kLinkedAccounts | kTrustedLicenseManager;
    else
      flags &= uint8_t(~kLinkedAccounts);
    if (flags != w.org.flags) mut::org(w, ch).flags = flags;
    return success();
  }
  return standard(Op::UpdateServiceSettings, w, c, ch);
}
// LeaveOrganization refused to every member (aws-api-facts: a member leaves;
// only the management account cannot).
Outcome leave_always_refused(World& w, const Call& c, Changes* ch) {
  if (c.op == Op::LeaveOrganization) return fail(Reason::NotMember);
  return standard(c.op, w, c, ch);
}

// --- refusal reasons (aws-api-facts: only the grantor deletes a grant; a
// stale Version is one other than the grant's) ---

// DeleteGrant by someone other than the grantor, refused as a stale version
// although the version given is the grant's.
Outcome delete_refusal_says_stale(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::DeleteGrant, w, c, ch);
  if (!o.ok() && o.error.reason == Reason::OnlyGrantorDeletes) return fail(Reason::StaleVersion);
  return o;
}

// An organization-ID grant in an organization without all features refused
// for the missing trusted access, which cannot exist without all features
// ("Pre-requisite Permissions": the guides' reason is all features).
Outcome org_grant_refusal_says_trusted_access(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::CreateGrant, w, c, ch);
  if (!o.ok() && o.error.reason == Reason::OrgGrantNeedsAllFeatures) return fail(Reason::TrustedAccessRequired);
  return o;
}

PlantedBug plant(std::string name, std::string property, std::vector<Op> ops, RuleFn wrong) {
  PlantedBug b{std::move(name), std::move(property), std::move(ops), Rules::standard()};
  for (Op op : b.ops) b.rules[op] = wrong;
  return b;
}

}  // namespace

const std::vector<PlantedBug>& planted_bugs() {
  using enum Op;
  static const std::vector<PlantedBug> bugs{
      plant("delete-stops-workloads", "workloads-survive-license-actions", {DeleteGrant}, delete_stops_workloads),
      plant("cancel-stops-workloads", "workloads-survive-license-actions", {CancelSubscription},
            cancel_stops_workloads),
      plant("deactivate-stops-workloads", "workloads-survive-license-actions", {CreateGrantVersion},
            deactivate_stops_workloads),
      plant("launch-unchecked", "launch-requires-entitlement", {LaunchWorkload}, launch_unchecked),
      plant("rejected-grant-reacceptable", "terminal-grant-states", {AcceptGrant}, rejected_reacceptable),
      plant("reject-anything", "terminal-grant-states", {RejectGrant}, reject_anything),
      plant("accept-keeps-version", "grant-version-monotonic", {AcceptGrant}, accept_keeps_version),
      plant("rename-in-place", "grant-version-monotonic", {CreateGrantVersion}, rename_in_place),
      plant("accept-then-refuse", "failed-call-changes-nothing", {AcceptGrant}, accept_then_refuse),
      plant("stop-then-fail", "failed-call-changes-nothing", {StopWorkload}, stop_then_fail),
      plant("accept-activate-unchecked", "one-active-license-per-product", {AcceptAndActivateGrant},
            accept_activate_unchecked),
      plant("activate-ignoring-others", "one-active-license-per-product", {CreateGrantVersion},
            activate_ignoring_others),
      plant("skip-recipient-role", "recipient-has-marketplace-role",
            {AcceptGrant, AcceptAndActivateGrant, CreateGrantVersion}, skip_recipient_role),
      plant("saas-license-grantable", "saas-not-distributable", {CreateGrant}, saas_grantable),
      plant("grant-with-create-grant", "consumption-rights-only", {CreateGrant}, grant_with_create_grant),
      plant("org-grant-any-feature-set", "org-grants-need-all-features", {CreateGrant}, org_grant_any_feature_set),
      plant("grant-to-govcloud", "govcloud-mirrors-commercial", {CreateGrant}, grant_to_govcloud),
      plant("grant-anything", "consumption-rights-only", {CreateGrant}, grant_anything),
      plant("grant-unchecked", "delegated-admin-grants-not-transferable", {CreateGrant}, grant_unchecked),
      plant("subscribe-in-call-region", "home-region-only", {Subscribe}, subscribe_in_call_region),
      plant("cancel-keeps-grants", "deleted-license-has-no-active-grant", {CancelSubscription}, cancel_keeps_grants),
      plant("joiner-without-org-child", "org-grant-covers-members", {AcceptHandshake}, joiner_without_child),
      plant("leave-keeps-org-children", "org-grant-covers-members", {LeaveOrganization, RemoveAccountFromOrganization},
            leave_keeps_children),
      plant("deregister-keeps-org-grants", "deregistered-admin-org-grants-disabled",
            {DeregisterDelegatedAdministrator}, deregister_keeps_org_grants),
      plant("new-admin-manages-former-grants", "delegated-admin-grants-not-transferable", {CreateGrantVersion},
            new_admin_manages_former),
      plant("management-deletes-others-grants", "delegated-admin-grants-not-transferable", {DeleteGrant},
            management_deletes_others),
      plant("accept-all-pending", "frame-grant-calls", {AcceptGrant}, accept_all_pending),
      plant("cancel-deletes-received-grants", "frame-license-calls", {CancelSubscription}, cancel_deletes_received),
      plant("leave-disables-account-grants", "frame-organization-calls",
            {LeaveOrganization, RemoveAccountFromOrganization}, leave_disables_account_grants),
      plant("launch-counts-commercial", "frame-workload-calls", {LaunchWorkload}, launch_counts_commercial),
      plant("grant-always-auto-accepted", "birth-states", {CreateGrant}, grant_always_auto_accepted),
      plant("deregister-by-anyone", "call-preconditions", {DeregisterDelegatedAdministrator}, deregister_by_anyone),
      plant("master-role-anywhere", "call-preconditions", {CreateServiceLinkedRole}, master_role_anywhere),
      plant("link-without-all-features", "call-preconditions", {UpdateServiceSettings}, link_without_all_features),
      plant("leave-always-refused", "call-preconditions", {LeaveOrganization}, leave_always_refused),
      plant("delete-refusal-says-stale", "refusal-reasons", {DeleteGrant}, delete_refusal_says_stale),
      plant("org-grant-refusal-says-trusted-access", "refusal-reasons", {CreateGrant},
            org_grant_refusal_says_trusted_access),
  };
  return bugs;
}

const PlantedBug& planted_bug(std::string_view name) {
  for (const PlantedBug& b : planted_bugs())
    if (b.name == name) return b;
  throw std::out_of_range("no planted bug named '" + std::string(name) + "'");
}

std::vector<PlantedBug> planted_bugs(const std::vector<std::string_view>& names) {
  std::vector<PlantedBug> out;
  for (std::string_view n : names) out.push_back(planted_bug(n));
  return out;
}

}  // namespace entmc::planted
