// call-preconditions: who may make each call and what must hold before it
// succeeds, stated here from the guides and the API facts (never from the
// model's operation table, its prechecks or its decision helpers): a call
// that succeeds with a precondition unmet is a violation, and, for the calls
// whose preconditions below are the whole story, so is a call that fails with
// every precondition met (for an activation: and the activation rule of
// frame.h allowing it). The frame conditions say what a successful call does;
// this says whether it may succeed at all.
#include <fmt/format.h>

#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/frame.h"
#include "properties/world_facts.h"

namespace entmc::props {
namespace {

// aws-api-facts: the AWS License Manager calls carry an allowed-operations
// list in which CreateGrant is a grantor's right, never a recipient's
// (Terminology: a granted license has consumption rights only).
bool allows_create_grant(uint8_t allowed_ops) { return (allowed_ops & kCreateGrantOp) != 0; }

// Terminology (Entitlement), FAQ 1 (a GovCloud account is entitled through its
// commercial account), FAQ 2 (a subscription counts): before the call.
template <typename B>  // Before, or WholeBefore (frame.h)
bool entitled_before(const B& b, AccountIx a, ProductIx p) {
  if (!b.valid_account(a)) return false;
  const AccountIx e = (b.account(a).flags & kGovCloud) ? b.account(a).govcloud_link : a;
  if (!b.valid_account(e)) return false;
  if (own_available_subscription(b, e, p)) return true;
  bool yes = false;  // the walk stops at the first (world_facts.h, visit_stops)
  b.received_for(e, p, [&](GrantIx g) {
    const Grant& gr = b.grant(g);
    return yes = gr.status == GrantStatus::ACTIVE && b.license(gr.license).status == LicenseStatus::AVAILABLE;
  });
  return yes;
}

// The first precondition of call `c` that did not hold before it, or "" when
// all held. `complete` is cleared where meeting them all does not decide the
// outcome alone (an activation, which the one-active-license rule may still
// refuse: activation_allowed decides, with the frame conditions' rule).
// The reasons are string literals: a failed call (most of the explorer's) is
// judged without allocating.
template <typename B>  // Before, or WholeBefore where the checker has the whole previous World
const char* unmet(const B& b, const Call& c, bool& complete) {
  const Organization& org = b.org();
  const bool mgmt = c.caller == org.management;
  const bool all_features = org.feature_set == FeatureSet::ALL;
  const auto products = b.after().products.size();
  const bool issuer_op = c.op == Op::DeactivateLicense || c.op == Op::ExpireLicense;
  const bool workload_op = c.op == Op::LaunchWorkload || c.op == Op::StopWorkload;

  // Seed 001 "License Status": only the license issuer (AWS Marketplace, on
  // behalf of the seller) deactivates or expires a license; no account does.
  if (issuer_op != (c.caller == kIssuer)) return issuer_op ? "the caller is not the issuer" : "the issuer made it";
  if (!issuer_op && !b.valid_account(c.caller)) return "the caller is no account";
  // FAQ 1: a GovCloud account only runs software (its entitlement is its
  // commercial account's); "LM Console does not yet support managed
  // entitlements in govcloud regions".
  if (!issuer_op && !workload_op) {
    if (b.account(c.caller).flags & kGovCloud) return "the caller is a GovCloud account";
    if (is_govcloud(c.region)) return "it was made in a GovCloud region";
  }
  // The records the call names exist.
  switch (c.op) {
    case Op::Subscribe:
    case Op::LaunchWorkload:
    case Op::StopWorkload:
      if (c.product >= products) return "its product does not exist";
      break;
    case Op::CancelSubscription:
    case Op::DeactivateLicense:
    case Op::ExpireLicense:
      if (c.license >= b.license_count()) return "its license does not exist";
      break;
    case Op::CreateGrant:
      if (c.license >= b.license_count()) return "its license does not exist";
      if (!c.to_org && !b.valid_account(c.account)) return "its principal is no account";
      break;
    case Op::AcceptGrant:
    case Op::RejectGrant:
    case Op::AcceptAndActivateGrant:
    case Op::CreateGrantVersion:
    case Op::DeleteGrant:
      if (c.grant >= b.grant_count()) return "its grant does not exist";
      break;
    case Op::InviteAccountToOrganization:
    case Op::RemoveAccountFromOrganization:
    case Op::RegisterDelegatedAdministrator:
    case Op::DeregisterDelegatedAdministrator:
      if (!b.valid_account(c.account)) return "its target is no account";
      break;
    default: break;
  }
  // Seed "License Home Region" (license resources live in us-east-1) and
  // "Pre-requisite Permissions" ("You will not be able to use the AWS License
  // Manager service without first enabling the AWS License Manager SLR").
  if (is_license_manager_call(c.op)) {
    if (c.region != kHomeRegion) return "a License Manager call outside us-east-1";
    if (!(b.account(c.caller).flags & kSlrLicenseManager)) return "the caller has no License Manager role";
  }
  // aws-api-facts (ClientToken): a retried token returns the first result
  // (read by the two calls that take a token only).
  auto retried = [&] { return c.token != 0 && b.token(c.token).grant != kNone; };

  switch (c.op) {
    // Terminology, User Definitions (the subscriber); Updating License status
    // reason (one license active per product-account combination: a second
    // own subscription is refused).
    case Op::Subscribe:
      return own_available_subscription(b, c.caller, c.product)
                 ? "the caller already holds an AVAILABLE subscription to the product"
                 : "";
    // Delegated Administrator (transition, option 3): the subscriber cancels its subscription.
    case Op::CancelSubscription:
      if (b.license(c.license).owner != c.caller) return "the caller does not own the license";
      if (b.license(c.license).status == LicenseStatus::DELETED) return "the license is already DELETED";
      return "";
    // Seed 001 "License Status": an AVAILABLE license is deactivated or expires.
    case Op::DeactivateLicense:
    case Op::ExpireLicense:
      return b.license(c.license).status != LicenseStatus::AVAILABLE ? "the license is not AVAILABLE" : "";

    // Creating Grants to an AWS Account / to an AWS Organizations ID;
    // Pre-requisite Permissions (the Marketplace role in every account that
    // grants; org-ID distribution needs all features, trusted access for both
    // services and 'Link AWS Organizations accounts'); Delegated Administrator
    // (the management account and the registered administrator distribute to
    // the organization); Terminology (consumption rights only: a recipient
    // cannot grant); What is managed entitlements (SaaS cannot be distributed).
    case Op::CreateGrant: {
      if (retried()) return "";
      if (!b.marketplace_role(c.caller, b.member(c.caller))) return "the grantor has no Marketplace role";
      const License& lic = b.license(c.license);
      if (lic.owner != c.caller) return "the grantor does not own the license";
      if (lic.status != LicenseStatus::AVAILABLE) return "the license is not AVAILABLE";
      if (b.after().products[lic.product] == ProductType::SAAS) return "the product is SaaS";
      if (allows_create_grant(c.allowed_ops)) return "the grant would allow CreateGrant";
      if (c.to_org) {
        if (!all_features) return "an organization grant without all features";
        if (!is_admin(org, c.caller)) return "an organization grant by neither the management account nor the delegated administrator";
        if ((org.flags & kTrustedLicenseManager) == 0 || (org.flags & kTrustedMarketplace) == 0)
          return "an organization grant without trusted access for both services";
        if ((org.flags & kLinkedAccounts) == 0) return "an organization grant without 'Link AWS Organizations accounts'";
        return "";
      }
      if (c.account == c.caller) return "a grant to the grantor itself";
      if (b.account(c.account).flags & kGovCloud) return "a grant to a GovCloud account";
      return "";
    }
    // Grant Acceptance: the recipient accepts a pending grant (and needs the
    // Marketplace role to receive licenses: Pre-requisite Permissions); it
    // rejects a pending or auto-accepted (DISABLED) one; Accept & Activate
    // starts from PENDING_ACCEPT. An organization grant has no recipient.
    case Op::AcceptGrant:
    case Op::RejectGrant:
    case Op::AcceptAndActivateGrant: {
      const Grant& gr = b.grant(c.grant);
      if (gr.is_org_parent()) return "an organization grant has no recipient";
      if (gr.grantee != c.caller) return "the caller is not the grant's recipient";
      if (c.op == Op::RejectGrant)
        return gr.status != GrantStatus::PENDING_ACCEPT && gr.status != GrantStatus::DISABLED
                   ? "only a PENDING_ACCEPT or DISABLED grant is rejected"
                   : "";
      if (gr.status != GrantStatus::PENDING_ACCEPT) return "the grant is not PENDING_ACCEPT";
      if (c.op == Op::AcceptGrant && !b.marketplace_role(c.caller, b.member(c.caller)))
        return "the recipient has no Marketplace role";
      if (c.op == Op::AcceptAndActivateGrant) complete = false;  // the activation may still be refused
      return "";
    }
    // Grant Activation (the administrator or the recipient), Editing Grant
    // Name (the grantor), Deactivating Grants (recipient or grantor), Updating
    // License status reason, Delegated Administrator ("Only the
    // Management/Payer account and active Delegated Administrator account can
    // manage license distribution via Org ID"); aws-api-facts (SourceVersion:
    // a stale version is refused); Grant States (terminal).
    case Op::CreateGrantVersion: {
      if (retried()) return "";
      const Grant& gr = b.grant(c.grant);
      if (c.version != 0 && c.version != gr.version) return "a stale version";
      if (terminal(gr.status)) return "the grant is terminal";
      if (!c.has_status && c.name == 0 && c.reason == 0) return "nothing to change";
      if (c.has_status && c.status != GrantStatus::ACTIVE && c.status != GrantStatus::DISABLED)
        return "a status other than ACTIVE or DISABLED";
      const bool grantor = c.caller == gr.grantor;
      const bool recipient = gr.grantee != kNone && c.caller == gr.grantee;
      if (c.name != 0 && !grantor) return "a rename by someone other than the grantor";
      if (!grantor && !recipient) return "the caller is neither the grantor nor the recipient";
      if (grantor && (gr.is_org_parent() || gr.parent != kNone) && !is_admin(org, c.caller))
        return "an organization distribution managed by a former administrator";
      if (c.has_status && !gr.is_org_parent() && gr.status == GrantStatus::PENDING_ACCEPT)
        return "a status change of a grant not yet accepted";
      if (c.has_status && c.status == GrantStatus::ACTIVE) {
        if (gr.is_org_parent()) {
          if (b.license(gr.license).status != LicenseStatus::AVAILABLE) return "bulk activation on a license not AVAILABLE";
        } else {
          complete = false;  // the activation may still be refused
        }
      }
      return "";
    }
    // Deleting Grants (the grantor; the current Version, aws-api-facts);
    // Delegated Administrator (org-ID distributions: current administrators
    // only); an organization child is deleted with its parent only (a choice,
    // docs/semantics.md).
    case Op::DeleteGrant: {
      const Grant& gr = b.grant(c.grant);
      if (c.caller != gr.grantor) return "the caller is not the grantor";
      if ((gr.is_org_parent() || gr.parent != kNone) && !is_admin(org, c.caller))
        return "an organization distribution deleted by a former administrator";
      if (c.version == 0) return "no version given";
      if (c.version != gr.version) return "a stale version";
      if (terminal(gr.status)) return "the grant is terminal";
      if (gr.parent != kNone) return "an organization child deleted on its own";
      return "";
    }

    // AWS Console specific instructions: 'Link AWS Organization accounts' is
    // the management account's, in an all-features organization, with the
    // master-account role (needed only in the management account).
    case Op::UpdateServiceSettings:
      if (!mgmt) return "the caller is not the management account";
      if (!all_features) return "the organization lacks all features";
      if (!(b.account(c.caller).flags & kSlrLicenseManagerMaster)) return "the management account has no master-account role";
      return "";
    // API Specific instructions: the management account enables trusted
    // access, for License Manager or Marketplace License Management;
    // "Trusted Access: Only available for AWS Organizations with 'all-features' enabled."
    case Op::EnableAWSServiceAccess:
      if (!mgmt) return "the caller is not the management account";
      if (!all_features) return "the organization lacks all features";
      if (c.service != Service::LicenseManager && c.service != Service::Marketplace) return "no trusted-access service";
      return "";
    // API Specific instructions: the License Manager role in all accounts, the
    // master-account role in the management account only, the Marketplace
    // role; IAM refuses a role that exists.
    case Op::CreateServiceLinkedRole: {
      uint8_t bit = 0;
      if (c.service == Service::LicenseManager) bit = kSlrLicenseManager;
      if (c.service == Service::LicenseManagerMaster) bit = kSlrLicenseManagerMaster;
      if (c.service == Service::Marketplace) bit = kSlrMarketplace;
      if (bit == 0) return "no service-linked role named";
      if (bit == kSlrLicenseManagerMaster && !mgmt) return "the master-account role outside the management account";
      if (b.account(c.caller).flags & bit) return "the role exists";
      return "";
    }
    // aws-api-facts: EnableAllFeatures, by the management account, once.
    case Op::EnableAllFeatures:
      if (!mgmt) return "the caller is not the management account";
      if (all_features) return "all features are already enabled";
      return "";
    // aws-api-facts: the management account invites an outside account (not a
    // GovCloud one: FAQ 1); the invited account accepts the handshake.
    case Op::InviteAccountToOrganization: {
      if (!mgmt) return "the caller is not the management account";
      const Account& t = b.account(c.account);
      if (t.flags & kGovCloud) return "a GovCloud account invited";
      if (t.membership != Membership::OUTSIDE) return "the account is already in the organization";
      if (t.flags & kInvited) return "the account is already invited";
      return "";
    }
    case Op::AcceptHandshake: {
      const Account& a = b.account(c.caller);
      if (!(a.flags & kInvited) || a.membership != Membership::OUTSIDE) return "no open invitation";
      return "";
    }
    // aws-api-facts: RemoveAccountFromOrganization (by the management account)
    // and LeaveOrganization (the member itself); MasterCannotLeaveOrganization;
    // the registered delegated administrator is deregistered first (a choice,
    // docs/semantics.md).
    case Op::RemoveAccountFromOrganization:
    case Op::LeaveOrganization: {
      AccountIx target = c.caller;
      if (c.op == Op::RemoveAccountFromOrganization) {
        if (!mgmt) return "the caller is not the management account";
        target = c.account;
      }
      if (target == org.management) return "the management account cannot leave";
      if (!b.member(target)) return "the account is not a member";
      if (target == org.delegated_admin) return "the delegated administrator leaves before it is deregistered";
      return "";
    }
    // Delegated Administrator for Managed entitlements: registered by the
    // management account ("log [in to] your Management/Payer account"), in an
    // all-features organization, one per organization, a member account; trusted
    // access for License Manager first (as for every delegated administrator in
    // AWS Organizations); aws-api-facts: AccountAlreadyRegisteredException.
    case Op::RegisterDelegatedAdministrator:
      if (!mgmt) return "the caller is not the management account";
      if (!all_features) return "the organization lacks all features";
      if (!(org.flags & kTrustedLicenseManager)) return "no trusted access for License Manager";
      if (b.account(c.account).membership != Membership::MEMBER) return "the administrator is not a member account";
      if (org.delegated_admin == c.account) return "the account is already the delegated administrator";
      if (org.delegated_admin != kNone) return "another delegated administrator is registered";
      return "";
    // "Once I've selected a delegated administrator account, can I
    // unselect/remove it?": from the Management/Payer account; aws-api-facts:
    // AccountNotRegisteredException.
    case Op::DeregisterDelegatedAdministrator:
      if (!mgmt) return "the caller is not the management account";
      if (org.delegated_admin == kNone || org.delegated_admin != c.account) return "the account is not the delegated administrator";
      return "";

    // Grant Activation (activation is required to spin up workloads); FAQ 1
    // (GovCloud accounts run in GovCloud regions, others in commercial ones).
    case Op::LaunchWorkload: {
      const bool gov = (b.account(c.caller).flags & kGovCloud) != 0;
      if (gov != is_govcloud(c.region)) return "a workload outside the account's partition";
      // A launch without the entitlement is launch-requires-entitlement's to
      // judge (one finding per slip); here it only means the call may fail.
      if (!entitled_before(b, c.caller, c.product)) {
        complete = false;
        return "";
      }
      if (b.running(c.caller, c.product) == 255) return "the workload counter is full";
      return "";
    }
    case Op::StopWorkload:
      return b.running(c.caller, c.product) == 0 ? "no workload of the product runs" : "";
  }
  return "";
}

// For an activation (Accept & Activate, or CreateGrantVersion to ACTIVE on a
// grant to an account) whose other preconditions held: does the activation rule
// (frame.h's expect_activation: the license AVAILABLE, an organization child's
// membership and administrator, the Marketplace role, one active license per
// product unless the override replaces grants) let it through?
[[gnu::noinline]] bool activation_allowed(const Before& b, const Call& c) {
  Expected e(b);
  Grant& x = e.grant(c.grant);
  if (c.op == Op::AcceptAndActivateGrant) expect_status(x, GrantStatus::DISABLED, kReasonNone);
  StringId reason = c.reason;
  if (c.op == Op::AcceptAndActivateGrant) reason = kReasonNone;
  return expect_activation(b, e, x, c.grant, c.override_behavior, reason, b.member(x.grantee)) == kReasonNone;
}

// The violations in words, out of line: most calls have none, and formatting
// inline made every call of judge save and restore the registers it needs.
[[gnu::noinline, gnu::cold]] std::string succeeded_unmet(const Transition& t, const Names& n, const char* why) {
  return fmt::format("{} by {} succeeded, but {}", to_string(t.call.op), account_name(n, t.call.caller), why);
}
[[gnu::noinline, gnu::cold]] std::string failed_met(const Transition& t, const Names& n, bool complete) {
  return fmt::format("{} by {} failed ({}) though every precondition held{}", to_string(t.call.op),
                     account_name(n, t.call.caller), reason_name(t.outcome.error.reason),
                     complete ? "" : " and the activation rule allows it");
}

template <typename B>  // Before, or WholeBefore; inlined into each of the two entries below
[[gnu::always_inline]] inline std::optional<std::string> judge_with(const B& b, const Transition& t, const Names& n) {
  bool complete = true;
  const char* const why = unmet(b, t.call, complete);
  const bool met = why[0] == '\0';
  if (t.outcome.ok() && !met) return succeeded_unmet(t, n, why);
  const bool activation = t.call.op == Op::AcceptAndActivateGrant || t.call.op == Op::CreateGrantVersion;
  if (!t.outcome.ok() && met && (complete || (activation && activation_allowed(Before(t), t.call))))
    return failed_met(t, n, complete);
  return std::nullopt;
}

// The simulator's path reads a Before over the change log (a call out of
// judge cost it 28 instructions per event at 100 k members, for 1 per call
// saved in the explorer), the others the whole previous World.
std::optional<std::string> judge(const Transition& t, const Names& n) {
  if (!t.before) return judge_with(Before(t), t, n);
  return judge_with(WholeBefore(*t.before, t.after), t, n);
}

}  // namespace

Property call_preconditions() {
  return {.name = "call-preconditions",
          .statement = "A call succeeds only when its caller may make it and its preconditions hold; when they "
                       "all hold (and it activates nothing) it succeeds.",
          .seed = "Pre-requisite Permissions; Creating Grants; Grant Acceptance; Grant Activation; Deleting Grants; "
                  "Delegated Administrator for Managed entitlements; License Status; FAQ 1; aws-api-facts",
          .kind = PropertyKind::Transition,
          .check_transition = judge,
          .holds_on_failed_noop = false,
          // Its claims are the widest on purpose: every operation has a
          // precondition a successful call can break (a violation on
          // success) and, its preconditions all met, a call that must not
          // fail (a violation on failure), whatever the call changed. No
          // operation or outcome can be ruled out, so narrowed checks skip it
          // on no call; what keeps it cheap is that a failed call is judged
          // without allocating (unmet returns a literal).
          .breaks_on = kEveryChange | kJudgesCall,
          .judges_ops = kEveryOp,
          .judges_outcome = kEitherOutcome};
}

}  // namespace entmc::props
