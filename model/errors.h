// Typed errors. A failed call returns an Error and changes nothing. The code is
// the AWS error code the real API would return; the reason says precisely which
// rule refused the call, and has one fixed message (errors.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "model/types.h"

namespace entmc {

enum class ErrorCode : uint8_t {
  None,
  ValidationException,
  InvalidParameterValueException,
  AccessDeniedException,
  AuthorizationException,
  ConflictException,
  ResourceNotFoundException,
  ResourceLimitExceededException,
  ConstraintViolationException,
  AccountAlreadyRegisteredException,
  AccountNotRegisteredException,
  AccountNotFoundException,
  MasterCannotLeaveOrganizationException,
  DuplicateAccountException,
  HandshakeConstraintViolationException,
  InvalidInputException,
};
inline constexpr int kErrorCodeCount = 16;

enum class Reason : uint8_t {
  None,
  // region and caller
  GovCloudRegion,           // license calls fail in GovCloud regions
  NotHomeRegion,            // License Manager calls are made in the home region us-east-1
  GovCloudAccountLimited,   // a GovCloud account only runs workloads
  WrongPartitionRegion,     // a workload runs in its account's partition
  NotIssuer,                // only the license issuer deactivates or expires a license
  // prerequisites
  MissingLicenseManagerRole,
  MissingLicenseManagerMasterRole,
  MissingMarketplaceRole,
  RecipientMissingMarketplaceRole,  // the grant's recipient has no Marketplace role (own or derived)
  NotManagementAccount,
  NeedsAllFeatures,
  AlreadyAllFeatures,
  RoleAlreadyExists,
  MasterRoleOnlyInManagement,
  TrustedAccessRequired,
  LinkingRequired,
  // licenses
  UnknownLicense,
  UnknownProduct,
  NotLicenseOwner,
  ConsumptionRightsOnly,
  LicenseNotAvailable,
  LicenseDeleted,
  SaasNotDistributable,
  OneActiveLicensePerProduct,
  // grants
  UnknownGrant,
  UnknownAccount,
  CannotGrantToSelf,
  GovCloudPrincipal,
  OrgGrantNeedsAllFeatures,
  OrgGrantNeedsAdministrator,
  NotGrantRecipient,
  NotGrantorOrRecipient,
  OnlyGrantorRenames,
  OnlyGrantorDeletes,
  GrantTerminal,
  GrantNotPendingAccept,
  GrantNotAccepted,
  GrantActiveCannotReject,
  StaleVersion,
  VersionRequired,
  NothingToChange,
  InvalidGrantStatus,
  OrgParentHasNoRecipient,
  DeleteOrgChild,
  NotOrgMember,
  OrgDistributionDisabled,
  NotCurrentOrgAdministrator,
  AllowedOpsCreateGrant,
  // organizations
  AlreadyMember,
  AlreadyInvited,
  NoOpenHandshake,
  NotMember,
  ManagementCannotLeave,
  DeregisterAdminFirst,
  AdminMustBeMember,
  AlreadyDelegatedAdmin,
  OneDelegatedAdmin,
  NotDelegatedAdmin,
  // workloads
  NoEntitlement,
  NoRunningWorkload,
  WorkloadLimit,
};
inline constexpr int kReasonCount = static_cast<int>(Reason::WorkloadLimit) + 1;

struct Error {
  ErrorCode code = ErrorCode::None;
  Reason reason = Reason::None;
  bool operator==(const Error&) const = default;
};

// The result of apply(). On success `created` is the license or grant the call
// created (or, for a repeated ClientToken, returned), kNone otherwise.
struct Outcome {
  Error error;
  uint32_t created = kNone;
  bool ok() const { return error.code == ErrorCode::None; }
};

std::string_view to_string(ErrorCode);
bool parse(std::string_view, ErrorCode&);
std::string_view reason_name(Reason);      // short stable identifier, e.g. "one-active-license-per-product"
std::string_view reason_message(Reason);   // the human sentence
// The AWS error code a reason is reported with; inline (every failed call
// the explorer tries asks), from a table built from kReasons in errors.cpp.
namespace detail {
extern const std::array<ErrorCode, kReasonCount> kReasonCodes;
}
inline ErrorCode code_of(Reason r) { return detail::kReasonCodes[static_cast<size_t>(r)]; }

inline Outcome fail(Reason r) { return Outcome{Error{code_of(r), r}, kNone}; }
inline Outcome success(uint32_t created = kNone) { return Outcome{Error{}, created}; }

}  // namespace entmc
