#include "model/call.h"

#include <array>

namespace entmc {
namespace {

constexpr uint32_t C = kPCaller, R = kPRegion;
// One row per operation: which parameters it accepts, which it requires, and
// whether it is a License Manager call (home region only, LM role needed).
constexpr std::array<OpSpec, kOpCount> kOpSpecs{{
    {Op::Subscribe, "Subscribe", C | R | kPProduct, kPProduct, false},
    {Op::CancelSubscription, "CancelSubscription", C | R | kPLicense, kPLicense, false},
    {Op::DeactivateLicense, "DeactivateLicense", C | R | kPLicense, kPLicense, false},
    {Op::ExpireLicense, "ExpireLicense", C | R | kPLicense, kPLicense, false},
    {Op::CreateGrant, "CreateGrant",
     C | R | kPLicense | kPPrincipal | kPName | kPToken | kPAllowedOps, kPLicense | kPPrincipal, true},
    {Op::AcceptGrant, "AcceptGrant", C | R | kPGrant, kPGrant, true},
    {Op::RejectGrant, "RejectGrant", C | R | kPGrant, kPGrant, true},
    {Op::AcceptAndActivateGrant, "AcceptAndActivateGrant", C | R | kPGrant | kPOverride, kPGrant, true},
    {Op::CreateGrantVersion, "CreateGrantVersion",
     C | R | kPGrant | kPName | kPStatus | kPReason | kPVersion | kPOverride | kPToken, kPGrant, true},
    {Op::DeleteGrant, "DeleteGrant", C | R | kPGrant | kPVersion | kPReason, kPGrant | kPVersion, true},
    {Op::UpdateServiceSettings, "UpdateServiceSettings", C | R | kPEnable, 0, true},
    {Op::EnableAWSServiceAccess, "EnableAWSServiceAccess", C | R | kPService, kPService, false},
    {Op::CreateServiceLinkedRole, "CreateServiceLinkedRole", C | R | kPService, kPService, false},
    {Op::EnableAllFeatures, "EnableAllFeatures", C | R, 0, false},
    {Op::InviteAccountToOrganization, "InviteAccountToOrganization", C | R | kPAccount, kPAccount, false},
    {Op::AcceptHandshake, "AcceptHandshake", C | R, 0, false},
    {Op::RemoveAccountFromOrganization, "RemoveAccountFromOrganization", C | R | kPAccount, kPAccount, false},
    {Op::LeaveOrganization, "LeaveOrganization", C | R, 0, false},
    {Op::RegisterDelegatedAdministrator, "RegisterDelegatedAdministrator", C | R | kPAccount, kPAccount, false},
    {Op::DeregisterDelegatedAdministrator, "DeregisterDelegatedAdministrator", C | R | kPAccount, kPAccount,
     false},
    {Op::LaunchWorkload, "LaunchWorkload", C | R | kPProduct, kPProduct, false},
    {Op::StopWorkload, "StopWorkload", C | R | kPProduct, kPProduct, false},
}};

constexpr std::array<std::string_view, 4> kServices{"NONE", "license-manager.amazonaws.com",
                                                    "AWSServiceRoleForAWSLicenseManagerMasterAccountRole",
                                                    "license-management.marketplace.amazonaws.com"};

}  // namespace

constexpr bool specs_in_order() {
  for (size_t i = 0; i < kOpSpecs.size(); ++i)
    if (static_cast<size_t>(kOpSpecs[i].op) != i) return false;
  return true;
}
static_assert(specs_in_order(), "kOpSpecs rows must follow the Op enum: spec() indexes by Op");
const std::array<OpSpec, kOpCount> detail::kOpSpecTable = kOpSpecs;
std::string_view to_string(Op op) { return spec(op).name; }

bool parse(std::string_view s, Op& out) {
  for (const auto& sp : kOpSpecs)
    if (sp.name == s) {
      out = sp.op;
      return true;
    }
  return false;
}

std::string_view to_string(Service s) { return kServices[static_cast<size_t>(s)]; }

bool parse_service(std::string_view s, Service& out) {
  if (s == "license-manager.amazonaws.com" || s == "AWSServiceRoleForAWSLicenseManagerRole") {
    out = Service::LicenseManager;
  } else if (s == "AWSServiceRoleForAWSLicenseManagerMasterAccountRole") {
    out = Service::LicenseManagerMaster;
  } else if (s == "license-management.marketplace.amazonaws.com" ||
             s == "AWSServiceRoleForMarketplaceLicenseManagement") {
    out = Service::Marketplace;
  } else {
    return false;
  }
  return true;
}

}  // namespace entmc
