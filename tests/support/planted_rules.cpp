#include "planted_rules.h"

#include "model/changes_log.h"
#include "model/entitlement.h"

namespace entmc::planted {
namespace {

RuleFn standard(Op op) { return Rules::standard()[op]; }

// DeleteGrant that also stops the recipient's workloads of the product
// (seed "Deleting Grants": workloads keep running).
Outcome delete_stops_workloads(World& w, const Call& c, Changes* ch) {
  Outcome o = standard(Op::DeleteGrant)(w, c, ch);
  if (!o.ok()) return o;
  const Grant& g = w.grants[c.grant];
  const ProductIx p = product_of_grant(w, c.grant);
  if (g.grantee != kNone && w.running_at(g.grantee, p) > 0) mut::set_running(w, ch, g.grantee, p, 0);
  return o;
}

// AcceptGrant that re-opens a REJECTED grant (seed "Grant States": REJECTED
// is terminal).
Outcome rejected_reacceptable(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (g.status == GrantStatus::REJECTED && g.grantee == c.caller) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
    return success();
  }
  return standard(Op::AcceptGrant)(w, c, ch);
}

// CreateGrantVersion that lets the current delegated administrator act as the
// grantor of a former administrator's grants (seed "Delegated Administrator":
// a new administrator cannot manage a former one's distributions).
Outcome new_admin_manages_former(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (c.caller == w.org.delegated_admin && g.grantor != c.caller && g.grantor != w.org.management &&
      g.grantee != c.caller) {
    Call as_grantor = c;
    as_grantor.caller = g.grantor;
    return standard(Op::CreateGrantVersion)(w, as_grantor, ch);
  }
  return standard(Op::CreateGrantVersion)(w, c, ch);
}

// AcceptHandshake that makes the account a member without giving it its
// children of the organization grants (seed "Keeping track of grants to
// accounts in your organization").
Outcome joiner_without_child(World& w, const Call& c, Changes* ch) {
  const Account& acc = w.accounts[c.caller];
  if (!(acc.flags & kInvited) || acc.membership != Membership::OUTSIDE) return fail(Reason::NoOpenHandshake);
  Account& m = mut::account(w, ch, c.caller);
  m.flags &= uint8_t(~kInvited);
  m.membership = Membership::MEMBER;
  return success();
}

// CreateGrant that forgets that a SaaS license cannot be distributed (seed
// "What is managed entitlements"): it checks the license as if it were an AMI.
Outcome saas_grantable(World& w, const Call& c, Changes* ch) {
  if (c.license >= w.licenses.size()) return standard(Op::CreateGrant)(w, c, ch);
  const ProductIx p = w.licenses[c.license].product;
  const ProductType real = w.products[p];
  w.products[p] = ProductType::AMI;
  Outcome o = standard(Op::CreateGrant)(w, c, ch);
  w.products[p] = real;
  return o;
}

// CancelSubscription that deletes the license but leaves its grants as they
// were (seed "Delegated Administrator", transition option 3: cancelling
// deletes the license across all recipients).
Outcome cancel_keeps_grants(World& w, const Call& c, Changes* ch) {
  const License& lic = w.licenses[c.license];
  if (lic.owner != c.caller) return fail(Reason::NotLicenseOwner);
  if (lic.status == LicenseStatus::DELETED) return fail(Reason::LicenseDeleted);
  mut::license(w, ch, c.license).status = LicenseStatus::DELETED;
  return success();
}

// DeregisterDelegatedAdministrator that leaves the former administrator's
// organization distributions on (seed "What happens to my distributed
// entitlements when the delegated administrator account is removed?").
Outcome deregister_keeps_org_grants(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.delegated_admin != c.account || c.account == kNone) return fail(Reason::NotDelegatedAdmin);
  mut::org(w, ch).delegated_admin = kNone;
  return success();
}

PlantedBug plant(std::string name, std::string property, Op op, RuleFn wrong) {
  PlantedBug b{std::move(name), std::move(property), Rules::standard()};
  b.rules[op] = wrong;
  return b;
}

}  // namespace

const std::vector<PlantedBug>& planted_bugs() {
  static const std::vector<PlantedBug> bugs{
      plant("delete-stops-workloads", "workloads-survive-license-actions", Op::DeleteGrant, delete_stops_workloads),
      plant("rejected-grant-reacceptable", "terminal-grant-states", Op::AcceptGrant, rejected_reacceptable),
      plant("new-admin-manages-former-grants", "delegated-admin-grants-not-transferable", Op::CreateGrantVersion,
            new_admin_manages_former),
      plant("joiner-without-org-child", "org-grant-covers-members", Op::AcceptHandshake, joiner_without_child),
      plant("saas-license-grantable", "saas-not-distributable", Op::CreateGrant, saas_grantable),
      plant("cancel-keeps-grants", "deleted-license-has-no-active-grant", Op::CancelSubscription,
            cancel_keeps_grants),
      plant("deregister-keeps-org-grants", "deregistered-admin-org-grants-disabled",
            Op::DeregisterDelegatedAdministrator, deregister_keeps_org_grants),
  };
  return bugs;
}

}  // namespace entmc::planted
