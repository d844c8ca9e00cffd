#include "model/apply.h"

#include "model/rules.h"

namespace entmc {

const Rules& Rules::standard() {
  static const Rules rules = [] {
    Rules r;
    r[Op::Subscribe] = rules::subscribe;
    r[Op::CancelSubscription] = rules::cancel_subscription;
    r[Op::DeactivateLicense] = rules::issuer_license_event;
    r[Op::ExpireLicense] = rules::issuer_license_event;
    r[Op::CreateGrant] = rules::create_grant;
    r[Op::AcceptGrant] = rules::accept_grant;
    r[Op::RejectGrant] = rules::reject_grant;
    r[Op::AcceptAndActivateGrant] = rules::accept_and_activate_grant;
    r[Op::CreateGrantVersion] = rules::create_grant_version;
    r[Op::DeleteGrant] = rules::delete_grant;
    r[Op::UpdateServiceSettings] = rules::update_service_settings;
    r[Op::EnableAWSServiceAccess] = rules::enable_service_access;
    r[Op::CreateServiceLinkedRole] = rules::create_service_linked_role;
    r[Op::EnableAllFeatures] = rules::enable_all_features;
    r[Op::InviteAccountToOrganization] = rules::invite_account;
    r[Op::AcceptHandshake] = rules::accept_handshake;
    r[Op::RemoveAccountFromOrganization] = rules::remove_account;
    r[Op::LeaveOrganization] = rules::remove_account;
    r[Op::RegisterDelegatedAdministrator] = rules::register_delegated_admin;
    r[Op::DeregisterDelegatedAdministrator] = rules::deregister_delegated_admin;
    r[Op::LaunchWorkload] = rules::launch_workload;
    r[Op::StopWorkload] = rules::stop_workload;
    return r;
  }();
  return rules;
}

Reason precheck(const World& w, const Call& c) {
  const OpSpec& sp = spec(c.op);
  const bool issuer_op = c.op == Op::DeactivateLicense || c.op == Op::ExpireLicense;
  if (issuer_op != (c.caller == kIssuer)) return issuer_op ? Reason::NotIssuer : Reason::UnknownAccount;
  if (!issuer_op && !w.valid_account(c.caller)) return Reason::UnknownAccount;
  const bool workload_op = c.op == Op::LaunchWorkload || c.op == Op::StopWorkload;
  // Seed FAQ 1: a GovCloud account is entitled through its commercial account;
  // "LM Console does not yet support managed entitlements in govcloud regions".
  if (!issuer_op && !workload_op) {
    if (w.accounts[c.caller].flags & kGovCloud) return Reason::GovCloudAccountLimited;
    if (is_govcloud(c.region)) return Reason::GovCloudRegion;
  }
  if ((sp.params & kPProduct) && c.product >= w.products.size()) return Reason::UnknownProduct;
  if ((sp.params & kPLicense) && c.license >= w.licenses.size()) return Reason::UnknownLicense;
  if ((sp.params & kPGrant) && c.grant >= w.grants.size()) return Reason::UnknownGrant;
  if ((sp.params & kPAccount) && !w.valid_account(c.account)) return Reason::UnknownAccount;
  if ((sp.params & kPPrincipal) && !c.to_org && !w.valid_account(c.account)) return Reason::UnknownAccount;
  // Seed "License Home Region": license resources are created and managed in
  // us-east-1. Seed "Pre-requisite Permissions": License Manager cannot be
  // used without its service-linked role.
  if (sp.license_manager_call) {
    if (c.region != kHomeRegion) return Reason::NotHomeRegion;
    if (!(w.accounts[c.caller].flags & kSlrLicenseManager)) return Reason::MissingLicenseManagerRole;
  }
  return Reason::None;
}

Outcome apply(World& w, const Call& c, Changes* changes, const Rules& rules) {
  if (changes) changes->begin(w);
  if (Reason r = precheck(w, c); r != Reason::None) return fail(r);
  return rules[c.op](w, c, changes);
}

}  // namespace entmc
