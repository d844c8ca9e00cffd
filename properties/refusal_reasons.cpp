// refusal-reasons: a failed call is refused for a reason that held. Two
// halves, both stated here from the guides and the API facts, reading only the
// state before the call, the call and the reason its outcome names (never the
// model's prechecks, operation table or decision helpers):
//
//   1. The reason's own condition held before the call. Each reason that this
//      file can state from the records says when it may be given (a stale
//      version: a version was given and it is not the grant's; another
//      delegated administrator: one is registered and it is not the account
//      named; consumption rights only: the caller received a grant of the
//      license; ...). Reasons with no condition here are not judged.
//   2. Where the guides and AWS's request handling order the preconditions,
//      the first unmet one is the reason:
//        a. a call naming a record that does not exist (the first unused
//           index included) is refused as a bad request (an unknown account,
//           product, license or grant, or the caller's own identity/partition),
//           before any check of the records' state;
//        b. AWS authorizes before it validates: a management-only call by a
//           member or outside account is refused with NotManagementAccount
//           (after the request-level checks of License Manager calls: the
//           home region and the caller's License Manager role);
//        c. "Trusted Access: Only available for AWS Organizations with
//           'all-features' enabled": a management account's call that needs
//           all features, in an organization without them, is refused with
//           NeedsAllFeatures, not for the trusted access or linking that
//           cannot exist yet; likewise a grant to the organization ID
//           ("Pre-requisite Permissions": distribution by Organization ID
//           needs all features) is refused with OrgGrantNeedsAllFeatures, not
//           for that missing trusted access or linking.
// failed-call-changes-nothing says the state is the same after a failed call,
// so the state read is `before` where the checker has it and `after` otherwise
// (the simulator). No allocation: the explorer runs this on every failed call.
#include <fmt/format.h>

#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/world_facts.h"

namespace entmc::props {
namespace {

bool valid(const World& w, AccountIx a) { return a < w.accounts.size(); }

// aws-api-facts: the calls only the organization's management account makes.
bool management_only(Op op) {
  switch (op) {
    case Op::UpdateServiceSettings:
    case Op::EnableAWSServiceAccess:
    case Op::EnableAllFeatures:
    case Op::InviteAccountToOrganization:
    case Op::RemoveAccountFromOrganization:
    case Op::RegisterDelegatedAdministrator:
    case Op::DeregisterDelegatedAdministrator: return true;
    default: return false;
  }
}

// "Trusted Access: Only available for AWS Organizations with 'all-features'
// enabled"; AWS Console specific instructions ('Link AWS Organization
// accounts' in an all-features organization); Delegated Administrator
// (all-features organizations only).
bool needs_all_features(Op op) {
  return op == Op::UpdateServiceSettings || op == Op::EnableAWSServiceAccess ||
         op == Op::RegisterDelegatedAdministrator;
}

// The request-level reasons: who calls, from where, naming what. A bad request
// is refused with one of these before any record's state is read.
bool request_reason(Reason r) {
  switch (r) {
    case Reason::NotIssuer:
    case Reason::UnknownAccount:
    case Reason::GovCloudAccountLimited:
    case Reason::GovCloudRegion:
    case Reason::UnknownProduct:
    case Reason::UnknownLicense:
    case Reason::UnknownGrant: return true;
    default: return false;
  }
}

// Does the call name a record that does not exist? The records each call
// names, from the API facts: a product (Subscribe, the workload calls), a
// license (CancelSubscription, the issuer's events, CreateGrant), a grant (the
// grant calls), an account (CreateGrant to an account, the organization calls
// that name a target).
const char* missing_record(const World& w, const Call& c) {
  switch (c.op) {
    case Op::Subscribe:
    case Op::LaunchWorkload:
    case Op::StopWorkload: return c.product >= w.products.size() ? "product" : nullptr;
    case Op::CancelSubscription:
    case Op::DeactivateLicense:
    case Op::ExpireLicense: return c.license >= w.licenses.size() ? "license" : nullptr;
    case Op::CreateGrant:
      if (c.license >= w.licenses.size()) return "license";
      return !c.to_org && !valid(w, c.account) ? "principal" : nullptr;
    case Op::AcceptGrant:
    case Op::RejectGrant:
    case Op::AcceptAndActivateGrant:
    case Op::CreateGrantVersion:
    case Op::DeleteGrant: return c.grant >= w.grants.size() ? "grant" : nullptr;
    case Op::InviteAccountToOrganization:
    case Op::RemoveAccountFromOrganization:
    case Op::RegisterDelegatedAdministrator:
    case Op::DeregisterDelegatedAdministrator: return !valid(w, c.account) ? "target account" : nullptr;
    default: return nullptr;
  }
}

// Half 1: did the reason's condition hold? nullptr when it did (or the reason
// is not judged here), else what contradicts it.
const char* contradicted(const World& w, const Call& c, Reason r) {
  const Organization& org = w.org;
  // Read by the reasons that need them only (most failed calls need one).
  auto caller_ok = [&] { return valid(w, c.caller); };
  auto grant_ok = [&] { return c.grant < w.grants.size(); };
  auto license_ok = [&] { return c.license < w.licenses.size(); };
  auto account_ok = [&] { return valid(w, c.account); };
  switch (r) {
    case Reason::UnknownProduct: return c.product < w.products.size() ? "the product exists" : nullptr;
    case Reason::UnknownLicense: return license_ok() ? "the license exists" : nullptr;
    case Reason::UnknownGrant: return grant_ok() ? "the grant exists" : nullptr;
    case Reason::UnknownAccount: return caller_ok() && account_ok() ? "the caller and the account named exist" : nullptr;
    case Reason::NotIssuer: return c.caller == kIssuer ? "the issuer made the call" : nullptr;
    case Reason::GovCloudRegion: return !is_govcloud(c.region) ? "the call was made in a commercial region" : nullptr;
    case Reason::GovCloudAccountLimited:
      return !(caller_ok() && (w.accounts[c.caller].flags & kGovCloud)) &&
                     !(account_ok() && (w.accounts[c.account].flags & kGovCloud))
                 ? "neither the caller nor the account named is a GovCloud account"
                 : nullptr;
    case Reason::NotHomeRegion: return c.region == kHomeRegion ? "the call was made in us-east-1" : nullptr;
    case Reason::MissingLicenseManagerRole:
      return caller_ok() && (w.accounts[c.caller].flags & kSlrLicenseManager) ? "the caller has the License Manager role"
                                                                            : nullptr;
    // The master-account role is the management account's only (API Specific
    // instructions): its absence is a reason for the management account's call.
    case Reason::MissingLicenseManagerMasterRole:
      if (c.caller != org.management) return "the caller is not the management account";
      return (w.accounts[c.caller].flags & kSlrLicenseManagerMaster) ? "the management account has the master-account role"
                                                                     : nullptr;
    case Reason::NotManagementAccount: return c.caller == org.management ? "the caller is the management account" : nullptr;
    case Reason::NeedsAllFeatures:
      return org.feature_set == FeatureSet::ALL ? "the organization has all features" : nullptr;
    case Reason::AlreadyAllFeatures:
      return org.feature_set != FeatureSet::ALL ? "the organization lacks all features" : nullptr;
    case Reason::TrustedAccessRequired:
      return (org.flags & kTrustedLicenseManager) && (org.flags & kTrustedMarketplace)
                 ? "trusted access is on for both services"
                 : nullptr;
    case Reason::LinkingRequired: return (org.flags & kLinkedAccounts) ? "'Link AWS Organizations accounts' is on" : nullptr;
    // Terminology: a granted license has consumption rights only; a grant of
    // it by the recipient of a grant of the license is refused for that,
    // anyone else's for not owning it.
    case Reason::NotLicenseOwner:
    case Reason::ConsumptionRightsOnly: {
      if (!license_ok() || !caller_ok()) return nullptr;
      const License& lic = w.licenses[c.license];
      if (lic.owner == c.caller) return "the caller owns the license";
      if (c.op != Op::CreateGrant) return nullptr;  // CancelSubscription: the subscriber's call, nothing more
      bool received = false;
      for_each_received_for(w, c.caller, lic.product, [&](GrantIx g) { return received = w.grants[g].license == c.license; });
      if (r == Reason::ConsumptionRightsOnly && !received) return "the caller received no grant of the license";
      if (r == Reason::NotLicenseOwner && received) return "the caller received a grant of the license";
      return nullptr;
    }
    case Reason::SaasNotDistributable:
      return license_ok() && w.products[w.licenses[c.license].product] != ProductType::SAAS ? "the product is not SaaS"
                                                                                       : nullptr;
    case Reason::CannotGrantToSelf: return c.account != c.caller ? "the principal is not the caller" : nullptr;
    case Reason::GovCloudPrincipal:
      return account_ok() && !(w.accounts[c.account].flags & kGovCloud) ? "the principal is a commercial account" : nullptr;
    // aws-api-facts: DeleteGrant's Version is required; a given Version or
    // SourceVersion other than the grant's is stale.
    case Reason::VersionRequired: return c.version != 0 ? "a version was given" : nullptr;
    case Reason::StaleVersion:
      if (c.version == 0) return "no version was given";
      return grant_ok() && c.version == w.grants[c.grant].version ? "the version given is the grant's" : nullptr;
    case Reason::OnlyGrantorDeletes:
    case Reason::OnlyGrantorRenames:
      return grant_ok() && w.grants[c.grant].grantor == c.caller ? "the caller is the grantor" : nullptr;
    case Reason::NotGrantRecipient:
      return grant_ok() && w.grants[c.grant].grantee == c.caller ? "the caller is the grant's recipient" : nullptr;
    case Reason::DeleteOrgChild:
      return grant_ok() && w.grants[c.grant].parent == kNone ? "the grant is not an organization child" : nullptr;
    case Reason::OrgParentHasNoRecipient:
      return grant_ok() && w.grants[c.grant].grantee != kNone ? "the grant has a recipient" : nullptr;
    case Reason::AlreadyMember:
      return account_ok() && w.accounts[c.account].membership == Membership::OUTSIDE ? "the account is outside" : nullptr;
    case Reason::AlreadyInvited:
      return account_ok() && !(w.accounts[c.account].flags & kInvited) ? "the account has no invitation" : nullptr;
    case Reason::AdminMustBeMember:
      return account_ok() && w.accounts[c.account].membership == Membership::MEMBER ? "the account is a member" : nullptr;
    // Delegated Administrator: one per organization (aws-api-facts:
    // AccountAlreadyRegisteredException for the registered one itself).
    case Reason::AlreadyDelegatedAdmin:
      return org.delegated_admin != c.account ? "the account named is not the delegated administrator" : nullptr;
    case Reason::OneDelegatedAdmin:
      if (org.delegated_admin == kNone) return "no delegated administrator is registered";
      return org.delegated_admin == c.account ? "the account named is the delegated administrator itself" : nullptr;
    case Reason::NotDelegatedAdmin:
      return c.account != kNone && org.delegated_admin == c.account ? "the account named is the delegated administrator"
                                                                    : nullptr;
    case Reason::ManagementCannotLeave: {
      const AccountIx target = c.op == Op::LeaveOrganization ? c.caller : c.account;
      return target != org.management ? "the account leaving is not the management account" : nullptr;
    }
    case Reason::DeregisterAdminFirst: {
      const AccountIx target = c.op == Op::LeaveOrganization ? c.caller : c.account;
      return target == kNone || target != org.delegated_admin ? "the account leaving is not the delegated administrator"
                                                              : nullptr;
    }
    // FAQ 1: a GovCloud account runs in GovCloud regions, the others in commercial ones.
    case Reason::WrongPartitionRegion:
      return caller_ok() && ((w.accounts[c.caller].flags & kGovCloud) != 0) == is_govcloud(c.region)
                 ? "the region is in the caller's partition"
                 : nullptr;
    case Reason::WorkloadLimit:
      return caller_ok() && c.product < w.products.size() && w.running_at(c.caller, c.product) != 255
                 ? "the workload counter is not full"
                 : nullptr;
    default: return nullptr;
  }
}

// A violation in words, out of line: most calls have none, and formatting
// inline made every call of judge save and restore the registers it needs.
[[gnu::noinline, gnu::cold]] std::string told(const Call& c, const Names& n, Reason r, std::string_view why) {
  return fmt::format("{} by {} was refused ({}), but {}", to_string(c.op), account_name(n, c.caller), reason_name(r),
                     why);
}
[[gnu::noinline, gnu::cold]] std::string told_missing(const Call& c, const Names& n, Reason r, const char* what) {
  return told(c, n, r, fmt::format("its {} does not exist (a bad request is refused as one)", what));
}

std::optional<std::string> judge(const Transition& t, const Names& n) {
  if (t.outcome.ok()) return std::nullopt;
  const World& w = t.before ? *t.before : t.after;
  const Call& c = t.call;
  const Reason r = t.outcome.error.reason;
  if (const char* why = contradicted(w, c, r)) return told(c, n, r, why);
  // 2a: a record that does not exist (a request-level reason is one).
  const bool request = request_reason(r);
  if (request) return std::nullopt;
  if (const char* what = missing_record(w, c)) return told_missing(c, n, r, what);
  if (r == Reason::NotHomeRegion || r == Reason::MissingLicenseManagerRole) return std::nullopt;
  // 2b: authorization first.
  if (management_only(c.op) && c.caller != w.org.management && r != Reason::NotManagementAccount)
    return told(c, n, r, "the caller is not the management account, which is refused first");
  // 2c: all features before what needs them.
  if (needs_all_features(c.op) && c.caller == w.org.management && w.org.feature_set != FeatureSet::ALL &&
      r != Reason::NeedsAllFeatures)
    return told(c, n, r, "the organization lacks all features, which is refused first");
  if (c.op == Op::CreateGrant && c.to_org && w.org.feature_set != FeatureSet::ALL &&
      (r == Reason::TrustedAccessRequired || r == Reason::LinkingRequired))
    return told(c, n, r, "the organization lacks all features, without which trusted access and linking cannot exist");
  return std::nullopt;
}

}  // namespace

Property refusal_reasons() {
  return {.name = "refusal-reasons",
          .statement = "A failed call is refused for a reason whose condition held before it, and for the first "
                       "unmet precondition where the guides order them (unknown records, then the management "
                       "account, then all features, for organization-ID grants too).",
          .seed = "aws-api-facts (errors, Version, AccountAlreadyRegistered); Terminology; Pre-requisite Permissions; "
                  "Delegated Administrator for Managed entitlements; FAQ 1",
          .kind = PropertyKind::Transition,
          .check_transition = judge,
          .holds_on_failed_noop = false,
          .breaks_on = kEveryChange | kJudgesCall,
          .judges_outcome = kFailed};
}

}  // namespace entmc::props
