// A call is one operation by one account in one region: the model's only
// input. Calls are named after the real AWS operations (aws-api-facts.md).
// A Call is a flat, fixed-size record rather than a variant of per-operation
// structs: the explorer enumerates millions of them and the simulator streams
// millions, so it must be cheap to build, copy and hash. Which fields an
// operation reads is listed once, in kOpSpecs (call.cpp), which the scenario
// parser and printer use too.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/types.h"

namespace entmc {

enum class Op : uint8_t {
  // AWS Marketplace
  Subscribe,           // an account subscribes to a product: a license it owns
  CancelSubscription,  // the subscriber cancels: the license is DELETED everywhere
  DeactivateLicense,   // issuer-side: the license issuer deactivates the license
  ExpireLicense,       // issuer-side: the license reaches the end of its term
  // AWS License Manager
  CreateGrant,
  AcceptGrant,
  RejectGrant,
  AcceptAndActivateGrant,  // the console's 'Accept & Activate' (AcceptGrant then activation, atomically)
  CreateGrantVersion,
  DeleteGrant,
  UpdateServiceSettings,
  // AWS Organizations / IAM
  EnableAWSServiceAccess,
  CreateServiceLinkedRole,
  EnableAllFeatures,
  InviteAccountToOrganization,
  AcceptHandshake,
  RemoveAccountFromOrganization,
  LeaveOrganization,
  RegisterDelegatedAdministrator,
  DeregisterDelegatedAdministrator,
  // Workloads (EC2 instances, containers, ... running the product)
  LaunchWorkload,
  StopWorkload,
};
inline constexpr int kOpCount = 22;

// ServicePrincipal of EnableAWSServiceAccess and the role of CreateServiceLinkedRole.
enum class Service : uint8_t {
  NONE,
  LicenseManager,        // license-manager.amazonaws.com / AWSServiceRoleForAWSLicenseManagerRole
  LicenseManagerMaster,  // AWSServiceRoleForAWSLicenseManagerMasterAccountRole (management account only)
  Marketplace,           // license-management.marketplace.amazonaws.com / AWSServiceRoleForMarketplaceLicenseManagement
};

// Parameter bits: which fields of Call an operation takes.
enum Param : uint32_t {
  kPCaller = 1 << 0,
  kPRegion = 1 << 1,
  kPProduct = 1 << 2,
  kPLicense = 1 << 3,
  kPGrant = 1 << 4,
  kPAccount = 1 << 5,    // AccountId / target account
  kPPrincipal = 1 << 6,  // CreateGrant: an account or the organization
  kPName = 1 << 7,
  kPStatus = 1 << 8,
  kPReason = 1 << 9,
  kPVersion = 1 << 10,  // DeleteGrant Version (required) / CreateGrantVersion SourceVersion
  kPOverride = 1 << 11,
  kPToken = 1 << 12,
  kPService = 1 << 13,
  kPEnable = 1 << 14,
  kPAllowedOps = 1 << 15,
};

struct OpSpec {
  Op op;
  std::string_view name;
  uint32_t params;    // accepted
  uint32_t required;  // required (beyond caller)
  bool license_manager_call;  // a License Manager call: home region only, needs the LM service-linked role
};

// The table behind spec(), one row per Op in enum order (call.cpp). spec() is
// inline: precheck reads it for every call the explorer tries.
namespace detail {
extern const std::array<OpSpec, kOpCount> kOpSpecTable;
}
inline const OpSpec& spec(Op op) { return detail::kOpSpecTable[static_cast<size_t>(op)]; }
std::string_view to_string(Op);
bool parse(std::string_view, Op&);
std::string_view to_string(Service);
bool parse_service(std::string_view, Service&);  // service principal or role name

struct Call {
  Op op = Op::Subscribe;
  Region region = kHomeRegion;
  GrantStatus status = GrantStatus::PENDING_WORKFLOW;  // CreateGrantVersion Status; meaningful when has_status
  ActivationOverride override_behavior = ActivationOverride::NONE;
  AccountIx caller = 0;
  AccountIx account = kNone;  // target account (Organizations ops) or account principal (CreateGrant)
  LicenseIx license = kNone;
  GrantIx grant = kNone;
  uint32_t version = 0;  // 0 = not given
  ProductIx product = 0;
  StringId name = 0;    // 0 = not given
  StringId reason = 0;  // 0 = not given
  TokenId token = 0;    // 0 = not given (never repeats)
  Service service = Service::NONE;
  uint8_t allowed_ops = 0;  // 0 = default (consumption operations)
  bool to_org = false;      // CreateGrant principal is the organization ID
  bool enable = true;       // UpdateServiceSettings EnableIntegration
  bool has_status = false;
  uint8_t pad[3] = {0, 0, 0};
  bool operator==(const Call&) const = default;
};

static_assert(std::has_unique_object_representations_v<Call>);

}  // namespace entmc
