// Frame conditions of the organization calls: prerequisites (trusted access,
// service-linked roles, 'Link AWS Organizations accounts', all features),
// membership (invite, join, leave, removal) and the delegated administrator.
// The organization-wide effects are stated per grant: a joiner's children, a
// leaver's children, a former administrator's distributions.
#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/frame.h"

namespace entmc::props {
namespace {

// Seed: "Keeping track of grants to accounts in your organization": a joiner
// receives a child of every organization grant not deleted (but its own); a
// live child kept from an earlier membership is reused; a child of a
// bulk-activated grant is activated, or keeps DISABLED with a reason saying
// why not, one grant after another, oldest organization grant first (a
// choice of the model: docs/semantics.md).
void expect_join(const Before& b, Expected& e, AccountIx a) {
  b.org_parents([&](GrantIx p) {
    const Grant& pb = b.grant(p);
    if (pb.status == GrantStatus::DELETED || pb.grantor == a) return;
    GrantIx kept = kNone;
    b.received_for(a, b.product_of(pb), [&](GrantIx g) {
      if (b.grant(g).parent == p && !terminal(b.grant(g).status) && (kept == kNone || g > kept)) kept = g;
    });
    const bool bulk = pb.flags & kBulkActive;
    auto refuse = [](Grant& y, StringId why) {
      if (why == kReasonNone || y.status_reason == why) return;
      y.status_reason = why;
      ++y.version;
    };
    if (kept != kNone) {
      if (bulk) {
        Grant& y = e.grant(kept);
        refuse(y, expect_activation(b, e, y, kept, ActivationOverride::NONE, kReasonNone, true));
      }
      return;
    }
    Grant child;
    child.license = pb.license;
    child.grantor = pb.grantor;
    child.grantee = a;
    child.parent = p;
    child.version = 1;
    child.status = GrantStatus::DISABLED;
    child.allowed_ops = pb.allowed_ops;
    child.home_region = kHomeRegion;
    child.name = pb.name;
    if (bulk) refuse(child, expect_activation(b, e, child, kNone, ActivationOverride::NONE, kReasonNone, true));
    e.new_grants.push_back(child);
  });
}

void expect(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  switch (c.op) {
    // Pre-requisite Permissions: trusted access for License Manager or for
    // Marketplace License Management; enabling it again changes nothing.
    case Op::EnableAWSServiceAccess:
      if (c.service == Service::LicenseManager) e.org.flags |= kTrustedLicenseManager;
      if (c.service == Service::Marketplace) e.org.flags |= kTrustedMarketplace;
      break;
    // Same section: a service-linked role in the caller's own account.
    case Op::CreateServiceLinkedRole: {
      Account& acc = e.account(c.caller);
      if (c.service == Service::LicenseManager) acc.flags |= kSlrLicenseManager;
      if (c.service == Service::LicenseManagerMaster) acc.flags |= kSlrLicenseManagerMaster;
      if (c.service == Service::Marketplace) acc.flags |= kSlrMarketplace;
      break;
    }
    // AWS Console specific instructions: 'Link AWS Organizations accounts'
    // turns linking on and creates trusted access for License Manager;
    // turning it off turns linking off only.
    case Op::UpdateServiceSettings:
      if (c.enable)
        e.org.flags |= kLinkedAccounts | kTrustedLicenseManager;
      else
        e.org.flags &= uint8_t(~kLinkedAccounts);
      break;
    case Op::EnableAllFeatures: e.org.feature_set = FeatureSet::ALL; break;
    // aws-api-facts InviteAccountToOrganization: a handshake opens.
    case Op::InviteAccountToOrganization: e.account(c.account).flags |= kInvited; break;
    case Op::AcceptHandshake: {
      Account& acc = e.account(c.caller);
      acc.flags &= uint8_t(~kInvited);
      acc.membership = Membership::MEMBER;
      expect_join(b, e, c.caller);
      break;
    }
    // Seed "Keeping track of grants": the account leaves; its ACTIVE
    // organization children become DISABLED (reason: left the organization);
    // grants to the account ID and workloads stay.
    case Op::RemoveAccountFromOrganization:
    case Op::LeaveOrganization: {
      const AccountIx target = c.op == Op::LeaveOrganization ? c.caller : c.account;
      e.account(target).membership = Membership::OUTSIDE;
      b.received(target, [&](GrantIx g) {
        const Grant& gb = b.grant(g);
        if (gb.is_org_child() && gb.status == GrantStatus::ACTIVE)
          expect_status(e.grant(g), GrantStatus::DISABLED, kReasonAccountLeftOrganization);
      });
      break;
    }
    // Seed "Delegated Administrator": one administrator, registered by the
    // management account.
    case Op::RegisterDelegatedAdministrator: e.org.delegated_admin = c.account; break;
    // Same seed, "What happens to my distributed entitlements when the
    // delegated administrator account is removed?": its live organization
    // grants and their ACTIVE children become DISABLED (reason: administrator
    // deregistered) and bulk activation ends; its grants to account IDs stay.
    case Op::DeregisterDelegatedAdministrator:
      e.org.delegated_admin = kNone;
      b.org_parents([&](GrantIx p) {
        const Grant& pb = b.grant(p);
        if (pb.grantor != c.account || terminal(pb.status)) return;
        children_of(b, p, [&](GrantIx ch) {
          if (b.grant(ch).status == GrantStatus::ACTIVE)
            expect_status(e.grant(ch), GrantStatus::DISABLED, kReasonDelegatedAdminDeregistered);
        });
        Grant& x = e.grant(p);
        x.flags &= uint8_t(~kBulkActive);
        expect_status(x, GrantStatus::DISABLED, kReasonDelegatedAdminDeregistered);
      });
      break;
    default: break;
  }
}

constexpr uint32_t kOps = op_bit(Op::EnableAWSServiceAccess) | op_bit(Op::CreateServiceLinkedRole) |
                          op_bit(Op::UpdateServiceSettings) | op_bit(Op::EnableAllFeatures) |
                          op_bit(Op::InviteAccountToOrganization) | op_bit(Op::AcceptHandshake) |
                          op_bit(Op::RemoveAccountFromOrganization) | op_bit(Op::LeaveOrganization) |
                          op_bit(Op::RegisterDelegatedAdministrator) | op_bit(Op::DeregisterDelegatedAdministrator);

std::optional<std::string> check(const Transition& t, const Names& n) { return frame_check(t, n, kOps, expect); }

}  // namespace

void expect_organization_call(const Before& b, Expected& e) { expect(b, e); }

Property frame_organization_calls() {
  return {.name = "frame-organization-calls",
          .statement = "A successful organization call changes exactly what the guides say: a setting, a role or "
                       "an invitation; a join (membership, and per organization grant the joiner's child, "
                       "activated when bulk-activated); a leave (membership, and the leaver's ACTIVE organization "
                       "children DISABLED); the delegated administrator (and on deregistration its organization "
                       "grants and their ACTIVE children DISABLED); nothing else.",
          .seed = "Pre-requisite Permissions; AWS Console specific instructions; Keeping track of grants to "
                  "accounts in your organization; Delegated Administrator for Managed entitlements; aws-api-facts "
                  "(Organizations)",
          .kind = PropertyKind::Transition,
          .check_transition = check,
          .holds_on_failed_noop = true,
          .judges_ops = kOps,
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
