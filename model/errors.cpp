#include "model/errors.h"

#include <array>

namespace entmc {
namespace {

constexpr std::array<std::string_view, kErrorCodeCount> kCodes{
    "None",
    "ValidationException",
    "InvalidParameterValueException",
    "AccessDeniedException",
    "AuthorizationException",
    "ConflictException",
    "ResourceNotFoundException",
    "ResourceLimitExceededException",
    "ConstraintViolationException",
    "AccountAlreadyRegisteredException",
    "AccountNotRegisteredException",
    "AccountNotFoundException",
    "MasterCannotLeaveOrganizationException",
    "DuplicateAccountException",
    "HandshakeConstraintViolationException",
    "InvalidInputException",
};

struct ReasonRow {
  Reason reason;
  ErrorCode code;
  std::string_view name;
  std::string_view message;
};

using E = ErrorCode;
using R = Reason;
constexpr std::array<ReasonRow, kReasonCount> kReasons{{
    {R::None, E::None, "none", ""},
    {R::GovCloudRegion, E::ValidationException, "govcloud-region",
     "License Manager does not support managed entitlements in GovCloud regions; manage licenses from the linked "
     "commercial account in us-east-1"},
    {R::NotHomeRegion, E::ValidationException, "not-home-region",
     "License resources are managed in their home Region us-east-1"},
    {R::GovCloudAccountLimited, E::AccessDeniedException, "govcloud-account-limited",
     "A GovCloud account is entitled through its linked commercial account; it can only run workloads"},
    {R::WrongPartitionRegion, E::ValidationException, "wrong-partition-region",
     "Workloads run in the account's own partition (GovCloud accounts in GovCloud regions, commercial accounts in "
     "commercial regions)"},
    {R::NotIssuer, E::AccessDeniedException, "not-issuer",
     "Only the license issuer can deactivate or expire a license"},
    {R::MissingLicenseManagerRole, E::AccessDeniedException, "missing-license-manager-role",
     "The caller has no service-linked role AWSServiceRoleForAWSLicenseManagerRole"},
    {R::MissingLicenseManagerMasterRole, E::AccessDeniedException, "missing-license-manager-master-role",
     "The management account has no service-linked role AWSServiceRoleForAWSLicenseManagerMasterAccountRole"},
    {R::MissingMarketplaceRole, E::AccessDeniedException, "missing-marketplace-role",
     "The account has no service-linked role AWSServiceRoleForMarketplaceLicenseManagement and no trusted access "
     "for AWS Marketplace covers it"},
    {R::RecipientMissingMarketplaceRole, E::AccessDeniedException, "recipient-missing-marketplace-role",
     "The grant's recipient has no service-linked role AWSServiceRoleForMarketplaceLicenseManagement and no trusted "
     "access for AWS Marketplace covers it: it cannot accept or activate a granted license"},
    {R::NotManagementAccount, E::AccessDeniedException, "not-management-account",
     "Only the management account of the organization can do this"},
    {R::NeedsAllFeatures, E::ConstraintViolationException, "needs-all-features",
     "This requires an organization with all features enabled"},
    {R::AlreadyAllFeatures, E::HandshakeConstraintViolationException, "already-all-features",
     "The organization already has all features enabled"},
    {R::RoleAlreadyExists, E::InvalidInputException, "role-already-exists",
     "The service-linked role already exists in this account"},
    {R::MasterRoleOnlyInManagement, E::InvalidInputException, "master-role-only-in-management",
     "AWSServiceRoleForAWSLicenseManagerMasterAccountRole is created in the management account only"},
    {R::TrustedAccessRequired, E::AccessDeniedException, "trusted-access-required",
     "Trusted access for AWS License Manager and AWS Marketplace must be enabled in the organization"},
    {R::LinkingRequired, E::AccessDeniedException, "linking-required",
     "'Link AWS Organizations accounts' (UpdateServiceSettings EnableIntegration) must be turned on"},
    {R::UnknownLicense, E::ResourceNotFoundException, "unknown-license", "No such license"},
    {R::UnknownProduct, E::ResourceNotFoundException, "unknown-product", "No such product"},
    {R::NotLicenseOwner, E::AccessDeniedException, "not-license-owner",
     "Only the account that subscribed to the license can manage it"},
    {R::ConsumptionRightsOnly, E::AccessDeniedException, "consumption-rights-only",
     "This grant has only consumption rights and cannot grant access to other AWS IAM identities"},
    {R::LicenseNotAvailable, E::ValidationException, "license-not-available",
     "The license is not AVAILABLE (deactivated, expired or deleted)"},
    {R::LicenseDeleted, E::ValidationException, "license-deleted",
     "The license is DELETED: its subscription was already cancelled"},
    {R::SaasNotDistributable, E::ValidationException, "saas-not-distributable",
     "SaaS licenses are created but cannot be distributed"},
    {R::OneActiveLicensePerProduct, E::ConflictException, "one-active-license-per-product",
     "Request failed. This account already has an active license for the same product from another subscription. "
     "Each account may only have one license active per product-account combination. You may need to cancel the "
     "subscription or deactivate the active license, then try again."},
    {R::UnknownGrant, E::ResourceNotFoundException, "unknown-grant", "No such grant"},
    {R::UnknownAccount, E::AccountNotFoundException, "unknown-account", "No such account"},
    {R::CannotGrantToSelf, E::ValidationException, "cannot-grant-to-self",
     "A license cannot be granted to the account that owns it"},
    {R::GovCloudPrincipal, E::ValidationException, "govcloud-principal",
     "Grant to the linked commercial account; the GovCloud account is entitled through it"},
    {R::OrgGrantNeedsAllFeatures, E::ValidationException, "org-grant-needs-all-features",
     "Grants to an organization ID need an organization with all features enabled"},
    {R::OrgGrantNeedsAdministrator, E::AccessDeniedException, "org-grant-needs-administrator",
     "Only the management account or the registered delegated administrator can distribute to the organization ID"},
    {R::NotGrantRecipient, E::AccessDeniedException, "not-grant-recipient",
     "Only the grant recipient can accept or reject a grant"},
    {R::NotGrantorOrRecipient, E::AccessDeniedException, "not-grantor-or-recipient",
     "Only the grantor or the grant recipient can activate or deactivate a grant"},
    {R::OnlyGrantorRenames, E::AccessDeniedException, "only-grantor-renames", "Only the grantor can rename a grant"},
    {R::OnlyGrantorDeletes, E::AccessDeniedException, "only-grantor-deletes", "Only the grantor can delete a grant"},
    {R::GrantTerminal, E::ValidationException, "grant-terminal",
     "The grant is REJECTED or DELETED, a terminal state; create a new grant instead"},
    {R::GrantNotPendingAccept, E::ValidationException, "grant-not-pending-accept",
     "Only a grant in PENDING_ACCEPT can be accepted"},
    {R::GrantNotAccepted, E::ValidationException, "grant-not-accepted",
     "The grant must be accepted before it can be activated or deactivated"},
    {R::GrantActiveCannotReject, E::ValidationException, "grant-active-cannot-reject",
     "An ACTIVE grant must be deactivated before it can be rejected"},
    {R::StaleVersion, E::ConflictException, "stale-version",
     "The version given is not the grant's current version"},
    {R::VersionRequired, E::ValidationException, "version-required", "DeleteGrant needs the grant's current Version"},
    {R::NothingToChange, E::ValidationException, "nothing-to-change",
     "CreateGrantVersion needs a Status, a GrantName or a StatusReason"},
    {R::InvalidGrantStatus, E::ValidationException, "invalid-grant-status",
     "CreateGrantVersion sets Status to ACTIVE or DISABLED only"},
    {R::OrgParentHasNoRecipient, E::AccessDeniedException, "org-parent-has-no-recipient",
     "An organization grant is accepted by its member accounts' child grants, not as a whole"},
    {R::DeleteOrgChild, E::ValidationException, "delete-org-child",
     "A member account's grant of an organization distribution is deleted with the organization grant"},
    {R::NotOrgMember, E::ValidationException, "not-org-member",
     "The recipient is no longer a member of the organization"},
    {R::OrgDistributionDisabled, E::ValidationException, "org-distribution-disabled",
     "The organization distribution's grantor is no longer the management account or the delegated administrator"},
    {R::NotCurrentOrgAdministrator, E::AccessDeniedException, "not-current-org-administrator",
     "Only the management account and the active delegated administrator can manage distributions to the "
     "organization ID"},
    {R::AllowedOpsCreateGrant, E::ValidationException, "allowed-ops-create-grant",
     "A Marketplace grant carries consumption rights only: AllowedOperations cannot include CreateGrant"},
    {R::AlreadyMember, E::DuplicateAccountException, "already-member",
     "The account is already a member of the organization"},
    {R::AlreadyInvited, E::DuplicateAccountException, "already-invited",
     "The account already has an open invitation"},
    {R::NoOpenHandshake, E::HandshakeConstraintViolationException, "no-open-handshake",
     "The account has no open invitation to accept"},
    {R::NotMember, E::AccountNotFoundException, "not-member", "The account is not a member of the organization"},
    {R::ManagementCannotLeave, E::MasterCannotLeaveOrganizationException, "management-cannot-leave",
     "The management account cannot leave the organization"},
    {R::DeregisterAdminFirst, E::ConstraintViolationException, "deregister-admin-first",
     "Deregister the delegated administrator before it leaves the organization"},
    {R::AdminMustBeMember, E::ConstraintViolationException, "admin-must-be-member",
     "The delegated administrator must be a member account other than the management account"},
    {R::AlreadyDelegatedAdmin, E::AccountAlreadyRegisteredException, "already-delegated-admin",
     "The account is already the delegated administrator"},
    {R::OneDelegatedAdmin, E::ConstraintViolationException, "one-delegated-admin",
     "An organization has one delegated administrator for License Manager at a time"},
    {R::NotDelegatedAdmin, E::AccountNotRegisteredException, "not-delegated-admin",
     "The account is not the delegated administrator"},
    {R::NoEntitlement, E::AccessDeniedException, "no-entitlement",
     "The account has no active entitlement for the product (an AVAILABLE subscription or an ACTIVE grant)"},
    {R::NoRunningWorkload, E::ResourceNotFoundException, "no-running-workload",
     "The account runs no workload of this product"},
    {R::WorkloadLimit, E::ResourceLimitExceededException, "workload-limit",
     "Too many running workloads of this product in this account"},
}};

constexpr bool table_in_order() {
  for (size_t i = 0; i < kReasons.size(); ++i)
    if (static_cast<size_t>(kReasons[i].reason) != i) return false;
  return true;
}
static_assert(table_in_order(), "kReasons rows must follow the Reason enum");

}  // namespace

std::string_view to_string(ErrorCode c) { return kCodes[static_cast<size_t>(c)]; }

bool parse(std::string_view s, ErrorCode& out) {
  for (size_t i = 1; i < kCodes.size(); ++i)
    if (kCodes[i] == s) {
      out = static_cast<ErrorCode>(i);
      return true;
    }
  return false;
}

std::string_view reason_name(Reason r) { return kReasons[static_cast<size_t>(r)].name; }
std::string_view reason_message(Reason r) { return kReasons[static_cast<size_t>(r)].message; }
namespace {
constexpr std::array<ErrorCode, kReasonCount> codes_of_reasons() {
  std::array<ErrorCode, kReasonCount> codes{};
  for (size_t i = 0; i < kReasons.size(); ++i) codes[i] = kReasons[i].code;
  return codes;
}
}  // namespace
const std::array<ErrorCode, kReasonCount> detail::kReasonCodes = codes_of_reasons();

}  // namespace entmc
