// Frame conditions of the License Manager grant calls: CreateGrant (to an
// account or to the organization ID), AcceptGrant, RejectGrant, Accept &
// Activate, CreateGrantVersion (activation, deactivation, rename, status
// reason; bulk on an organization grant) and DeleteGrant.
#include <fmt/format.h>

#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/frame.h"

namespace entmc::props {
namespace {

// aws-api-facts ClientToken: a repeated token returns the first result and
// changes nothing.
bool repeated_token(const Before& b, Expected& e, TokenId t) {
  if (t == 0) return false;
  const TokenRecord first = b.token(t);
  if (first.grant == kNone) return false;
  e.created_is = Expected::Created::Exactly;
  e.created = first.grant;
  return true;
}

// Seeds: "Creating Grants to an AWS Account" (a grant from the license owner
// to one account, consumption rights only), "Grant Acceptance" (auto-accepted,
// DISABLED, in an all-features organization with 'Link AWS Organizations
// accounts' on, from the management account or the delegated administrator
// to a member; else PENDING_ACCEPT), "Creating Grants to an AWS Organizations
// ID" (a DISABLED parent and one auto-accepted DISABLED child per member
// account other than the grantor), aws-api-facts ClientToken and Version
// (new grants start at version 1).
void expect_create_grant(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  if (repeated_token(b, e, c.token)) return;
  const Organization& org = b.org();
  Grant gr;
  gr.license = c.license;
  gr.grantor = c.caller;
  gr.version = 1;
  gr.allowed_ops = c.allowed_ops ? c.allowed_ops : kConsumptionOps;
  gr.home_region = kHomeRegion;
  gr.name = c.name;
  gr.status_reason = kReasonNone;
  e.created_is = Expected::Created::NewGrant;
  const GrantIx created = b.transition().outcome.created;  // checked to be a new grant
  if (c.to_org) {
    Grant parent = gr;
    parent.grantee = kNone;
    parent.status = GrantStatus::DISABLED;
    parent.flags = kOrgParent;
    e.new_grants.push_back(parent);
    e.new_org_grants.push_back(created);
    for (AccountIx a = 0; a < b.account_count(); ++a) {
      if (!b.member(a) || a == c.caller) continue;
      Grant child = gr;
      child.grantee = a;
      child.parent = created;
      child.status = GrantStatus::DISABLED;
      e.new_grants.push_back(child);
    }
  } else {
    const bool auto_accept = org.feature_set == FeatureSet::ALL && (org.flags & kLinkedAccounts) &&
                             is_admin(org, c.caller) && b.member(c.account);
    gr.grantee = c.account;
    gr.status = auto_accept ? GrantStatus::DISABLED : GrantStatus::PENDING_ACCEPT;
    e.new_grants.push_back(gr);
  }
  if (c.token != 0) e.token(c.token, TokenRecord{created, 1});
}

// Seeds: "Grant Acceptance" (Accept: PENDING_ACCEPT -> DISABLED; Reject ->
// REJECTED; 'Accept & Activate': accepted and activated, two versions),
// "Grant Activation" and aws-api-facts ActivationOverrideBehavior.
void expect_recipient_call(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  Grant& x = e.grant(c.grant);
  switch (c.op) {
    case Op::AcceptGrant: expect_status(x, GrantStatus::DISABLED, kReasonNone); break;
    case Op::RejectGrant: expect_status(x, GrantStatus::REJECTED, kReasonNone); break;
    default:  // AcceptAndActivateGrant
      expect_status(x, GrantStatus::DISABLED, kReasonNone);
      if (expect_activation(b, e, x, c.grant, c.override_behavior, kReasonNone, b.member(x.grantee)) != kReasonNone)
        e.refused = "the one-active-license rule refuses the activation";
  }
}

// Seeds: "Grant Activation", "Deactivating Grants", "Editing Grant Name",
// "Updating License status reason" (every successful CreateGrantVersion is
// one new version), "Activating entitlements for your organization" (bulk on
// the organization grant: each member's live child is activated, or keeps
// its status with a reason saying why not; deactivation disables the ACTIVE
// children; the parent shows WORKFLOW_COMPLETED).
void expect_grant_version(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  if (repeated_token(b, e, c.token)) return;
  e.created_is = Expected::Created::Exactly;
  e.created = c.grant;
  const Grant before = b.grant(c.grant);
  Grant& x = e.grant(c.grant);
  if (before.is_org_parent()) {
    if (c.has_status) {
      const bool on = c.status == GrantStatus::ACTIVE;
      children_of(b, c.grant, [&](GrantIx ch) {
        const Grant& cb = b.grant(ch);
        if (terminal(cb.status) || !b.member(cb.grantee)) return;  // children of former members stay
        if (on && cb.status != GrantStatus::ACTIVE) {
          Grant& y = e.grant(ch);
          const StringId why = expect_activation(b, e, y, ch, c.override_behavior, c.reason, true);
          if (why != kReasonNone && y.status_reason != why) {
            y.status_reason = why;
            ++y.version;
          }
        } else if (!on && cb.status == GrantStatus::ACTIVE) {
          expect_status(e.grant(ch), GrantStatus::DISABLED, c.reason);
        }
      });
      x.flags = on ? uint8_t(x.flags | kBulkActive) : uint8_t(x.flags & ~kBulkActive);
      expect_status(x, GrantStatus::WORKFLOW_COMPLETED, c.reason);
    }
  } else if (c.has_status) {
    if (c.status == GrantStatus::ACTIVE) {
      if (expect_activation(b, e, x, c.grant, c.override_behavior, c.reason, b.member(before.grantee)) != kReasonNone)
        e.refused = "the one-active-license rule refuses the activation";
    } else {
      expect_status(x, GrantStatus::DISABLED, c.reason);
    }
  }
  if (!c.has_status) {  // a rename or a status reason alone: one new version
    if (c.reason != kReasonNone) x.status_reason = c.reason;
    ++x.version;
  }
  if (c.name != 0) x.name = c.name;
  if (c.token != 0) e.token(c.token, TokenRecord{c.grant, x.version});
}

// Seeds: "Deleting Grants" (DELETED is terminal, one new version),
// "Creating Grants to an AWS Organizations ID" (deleting the organization
// grant deletes its live children and ends its bulk activation).
void expect_delete(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  Grant& x = e.grant(c.grant);
  if (x.is_org_parent()) {
    children_of(b, c.grant, [&](GrantIx ch) {
      if (!terminal(b.grant(ch).status)) expect_status(e.grant(ch), GrantStatus::DELETED, c.reason);
    });
    x.flags &= uint8_t(~kBulkActive);
  }
  expect_status(x, GrantStatus::DELETED, c.reason);
}

void expect(const Before& b, Expected& e) {
  switch (b.transition().call.op) {
    case Op::CreateGrant: expect_create_grant(b, e); break;
    case Op::AcceptGrant:
    case Op::RejectGrant:
    case Op::AcceptAndActivateGrant: expect_recipient_call(b, e); break;
    case Op::CreateGrantVersion: expect_grant_version(b, e); break;
    case Op::DeleteGrant: expect_delete(b, e); break;
    default: break;
  }
}

constexpr uint32_t kOps = op_bit(Op::CreateGrant) | op_bit(Op::AcceptGrant) | op_bit(Op::RejectGrant) |
                          op_bit(Op::AcceptAndActivateGrant) | op_bit(Op::CreateGrantVersion) |
                          op_bit(Op::DeleteGrant);

std::optional<std::string> check(const Transition& t, const Names& n) { return frame_check(t, n, kOps, expect); }

}  // namespace

void expect_grant_call(const Before& b, Expected& e) { expect(b, e); }

Property frame_grant_calls() {
  return {.name = "frame-grant-calls",
          .statement = "A successful grant call changes exactly what the guides say: CreateGrant creates one grant "
                       "(or an organization grant and one child per member but the grantor), Accept/Reject/"
                       "Accept & Activate/CreateGrantVersion/DeleteGrant move the named grant (and, on an "
                       "organization grant, its members' live children; with the override, the recipient's other "
                       "active grants) as one new version each; a repeated client token changes nothing; no other "
                       "record changes.",
          .seed = "Creating Grants to an AWS Account / Organizations ID; Grant Acceptance; Grant Activation; "
                  "Deactivating Grants; Editing Grant Name; Updating License status reason; Deleting Grants; "
                  "Activating entitlements for your organization; aws-api-facts (ClientToken, Version, "
                  "ActivationOverrideBehavior)",
          .kind = PropertyKind::Transition,
          .check_transition = check,
          .holds_on_failed_noop = true,
          .judges_ops = kOps,
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
