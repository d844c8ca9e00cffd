// The grant lifecycle, in one place:
//
//   CreateGrant --> PENDING_ACCEPT --AcceptGrant--> DISABLED <--CreateGrantVersion--> ACTIVE
//                        |      \--AcceptAndActivateGrant----------------------------^
//                        |                          |
//                        +--RejectGrant--> REJECTED (terminal) <--RejectGrant--+
//   any non-terminal --DeleteGrant--> DELETED (terminal)
//   auto-accepted grants (all-features organization, linking on, from an
//   administrator to a member) start in DISABLED.
//
// Grants to the organization ID (a parent plus per-account children) are in
// org_grants.cpp; activation's one-active-license rule is in activation.cpp.
#include "model/rules.h"

namespace entmc::rules {
namespace {

// A repeated ClientToken returns the first result and creates nothing.
// (aws-api-facts: ClientToken)
bool repeated_token(const World& w, TokenId t) { return t != 0 && t < w.tokens.size() && w.tokens[t].grant != kNone; }

}  // namespace

// Seeds: "Creating Grants to an AWS Account", "Grant Acceptance" (standard
// billing family: PENDING_ACCEPT; all features, from the management account
// with linking on: auto-accepted, DISABLED), "Delegated Administrator" (the
// administrator distributes and auto-accepts like the management account),
// "Terminology" (a granted license has consumption rights only), "What is
// managed entitlements" (SaaS: cannot be distributed).
Outcome create_grant(World& w, const Call& c, Changes* ch) {
  if (repeated_token(w, c.token)) return success(w.tokens[c.token].grant);
  if (!has_marketplace_role(w, c.caller)) return fail(Reason::MissingMarketplaceRole);
  const License& lic = w.licenses[c.license];
  if (lic.owner != c.caller) {
    bool received = false;
    for_each_received_for(w, c.caller, lic.product, [&](GrantIx g) { received |= w.grants[g].license == c.license; });
    return fail(received ? Reason::ConsumptionRightsOnly : Reason::NotLicenseOwner);
  }
  if (lic.status != LicenseStatus::AVAILABLE) return fail(Reason::LicenseNotAvailable);
  if (w.products[lic.product] == ProductType::SAAS) return fail(Reason::SaasNotDistributable);
  if (c.allowed_ops & kCreateGrantOp) return fail(Reason::AllowedOpsCreateGrant);
  if (c.to_org) return create_org_grant(w, c, ch);

  if (c.account == c.caller) return fail(Reason::CannotGrantToSelf);
  if (w.accounts[c.account].flags & kGovCloud) return fail(Reason::GovCloudPrincipal);
  // Auto-acceptance takes the license for the recipient, so it needs the
  // recipient's Marketplace role like AcceptGrant does (Pre-requisite
  // Permissions: "grant or receive"); without it the grant waits in PENDING_ACCEPT.
  const bool auto_accept = w.org.feature_set == FeatureSet::ALL && (w.org.flags & kLinkedAccounts) &&
                           is_org_administrator(w, c.caller) && w.is_member(c.account) &&
                           has_marketplace_role(w, c.account);
  Grant gr;
  gr.license = c.license;
  gr.grantor = c.caller;
  gr.grantee = c.account;
  gr.status = auto_accept ? GrantStatus::DISABLED : GrantStatus::PENDING_ACCEPT;
  gr.name = c.name;
  gr.allowed_ops = c.allowed_ops ? c.allowed_ops : kConsumptionOps;
  GrantIx g = mut::add_grant(w, ch, gr);
  mut::set_token(w, ch, c.token, TokenRecord{g, 1});
  return success(g);
}

namespace {

// Checks shared by the recipient's AcceptGrant, RejectGrant and Accept & Activate.
Reason recipient_check(const World& w, const Call& c) {
  const Grant& gr = w.grants[c.grant];
  if (gr.is_org_parent()) return Reason::OrgParentHasNoRecipient;
  if (gr.grantee != c.caller) return Reason::NotGrantRecipient;
  if (is_terminal(gr.status)) return Reason::GrantTerminal;
  return Reason::None;
}

}  // namespace

// Seed: "Grant Acceptance" (API: AcceptGrant); "Pre-requisite Permissions"
// (the Marketplace role in every account that will "receive licenses").
Outcome accept_grant(World& w, const Call& c, Changes* ch) {
  if (Reason r = recipient_check(w, c); r != Reason::None) return fail(r);
  if (w.grants[c.grant].status != GrantStatus::PENDING_ACCEPT) return fail(Reason::GrantNotPendingAccept);
  if (!has_marketplace_role(w, c.caller)) return fail(Reason::RecipientMissingMarketplaceRole);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
  return success();
}

// Seeds: "Grant Acceptance" (the end user can Reject, from Pending Acceptance
// or, when auto-accepted, from Disabled), "Grant States" (Rejected is terminal).
// An ACTIVE grant is deactivated first (a choice, docs/semantics.md).
Outcome reject_grant(World& w, const Call& c, Changes* ch) {
  if (Reason r = recipient_check(w, c); r != Reason::None) return fail(r);
  if (w.grants[c.grant].status == GrantStatus::ACTIVE) return fail(Reason::GrantActiveCannotReject);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::REJECTED, kReasonNone);
  return success();
}

// Seed: "Grant Acceptance" ('Accept & Activate'). Atomic: if activation is
// refused, the grant stays PENDING_ACCEPT. Two versions: accepted, activated.
Outcome accept_and_activate_grant(World& w, const Call& c, Changes* ch) {
  if (Reason r = recipient_check(w, c); r != Reason::None) return fail(r);
  if (w.grants[c.grant].status != GrantStatus::PENDING_ACCEPT) return fail(Reason::GrantNotPendingAccept);
  if (Reason r = activation_blocker(w, c.grant, c.override_behavior); r != Reason::None) return fail(r);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
  activate(w, ch, c.grant, c.override_behavior, kReasonNone);
  return success();
}

// Seeds: "Grant Activation" (by the administrator or the recipient, API
// CreateGrantVersion), "Editing Grant Name" (grantor), "Deactivating Grants"
// (recipient or grantor; running workloads are not affected), "Updating License
// status reason" (optional StatusReason), "Activating entitlements for your
// organization" (bulk on the parent; individual children; self-activation),
// "Delegated Administrator" (each account manages only what it subscribed to;
// only the management account and the active administrator manage org-ID
// distributions). Every successful call is one new version.
Outcome create_grant_version(World& w, const Call& c, Changes* ch) {
  if (repeated_token(w, c.token)) return success(w.tokens[c.token].grant);
  const Grant& gr = w.grants[c.grant];
  if (c.version != 0 && c.version != gr.version) return fail(Reason::StaleVersion);
  if (is_terminal(gr.status)) return fail(Reason::GrantTerminal);
  if (!c.has_status && c.name == 0 && c.reason == 0) return fail(Reason::NothingToChange);
  if (c.has_status && c.status != GrantStatus::ACTIVE && c.status != GrantStatus::DISABLED)
    return fail(Reason::InvalidGrantStatus);

  const bool is_grantor = c.caller == gr.grantor;
  const bool is_recipient = gr.grantee != kNone && c.caller == gr.grantee;
  if (c.name != 0 && !is_grantor) return fail(Reason::OnlyGrantorRenames);
  if (!is_grantor && !is_recipient) return fail(Reason::NotGrantorOrRecipient);
  const bool org_distribution = gr.is_org_parent() || gr.is_org_child();
  if (is_grantor && org_distribution && !is_org_administrator(w, c.caller))
    return fail(Reason::NotCurrentOrgAdministrator);

  if (gr.is_org_parent()) {
    if (c.has_status) {
      if (c.status == GrantStatus::ACTIVE && w.licenses[gr.license].status != LicenseStatus::AVAILABLE)
        return fail(Reason::LicenseNotAvailable);
      bulk_set_status(w, ch, c.grant, c.status, c.override_behavior, c.reason);
    }
  } else if (c.has_status) {
    if (gr.status == GrantStatus::PENDING_ACCEPT) return fail(Reason::GrantNotAccepted);
    if (c.status == GrantStatus::ACTIVE) {
      if (Reason r = activation_blocker(w, c.grant, c.override_behavior); r != Reason::None) return fail(r);
      activate(w, ch, c.grant, c.override_behavior, c.reason);
    } else {
      mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, c.reason);
    }
  }
  Grant& g = mut::grant(w, ch, c.grant);
  if (!c.has_status) {  // a rename or a status-reason update is a version of its own
    if (c.reason != 0) g.status_reason = c.reason;
    ++g.version;
  }
  if (c.name != 0) g.name = c.name;
  mut::set_token(w, ch, c.token, TokenRecord{c.grant, g.version});
  return success(c.grant);
}

// Seeds: "Deleting Grants" (grantor; workloads keep running; terminal; the
// grantor can create a new grant), "Grant States". API: DeleteGrant needs the
// current Version. Deleting an organization grant deletes its children; a child
// alone is not deleted (a choice, docs/semantics.md).
Outcome delete_grant(World& w, const Call& c, Changes* ch) {
  const Grant& gr = w.grants[c.grant];
  if (c.caller != gr.grantor) return fail(Reason::OnlyGrantorDeletes);
  if ((gr.is_org_parent() || gr.is_org_child()) && !is_org_administrator(w, c.caller))
    return fail(Reason::NotCurrentOrgAdministrator);
  if (c.version == 0) return fail(Reason::VersionRequired);
  if (c.version != gr.version) return fail(Reason::StaleVersion);
  if (is_terminal(gr.status)) return fail(Reason::GrantTerminal);
  if (gr.is_org_child()) return fail(Reason::DeleteOrgChild);
  if (gr.is_org_parent()) {
    for_each_on_license(w, gr.license, [&](GrantIx child) {
      if (w.grants[child].parent == c.grant && !is_terminal(w.grants[child].status))
        mut::set_grant_status(w, ch, child, GrantStatus::DELETED, c.reason);
    });
    mut::grant(w, ch, c.grant).flags &= uint8_t(~kBulkActive);
  }
  mut::set_grant_status(w, ch, c.grant, GrantStatus::DELETED, c.reason);
  return success();
}

}  // namespace entmc::rules
