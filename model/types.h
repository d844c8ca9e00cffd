// Core value types of the entitlements model: indices, enums and the fixed-size
// records a World is made of. Records are trivially copyable, have no implicit
// padding (so they can be hashed and compared as bytes), and name nothing by
// string: display IDs and names live in the side table (names.h).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace entmc {

using AccountIx = uint32_t;  // index into World::accounts
using LicenseIx = uint32_t;  // index into World::licenses (append-only)
using GrantIx = uint32_t;    // index into World::grants (append-only)
using ProductIx = uint16_t;  // index into World::products
using StringId = uint16_t;   // interned grant name / status reason (0 = empty)
using TokenId = uint16_t;    // interned ClientToken (0 = none given)

inline constexpr uint32_t kNone = 0xFFFFFFFFu;
// The license issuer (AWS Marketplace on behalf of the seller): the caller of
// issuer-side events such as DeactivateLicense and ExpireLicense.
inline constexpr AccountIx kIssuer = 0xFFFFFFFEu;

enum class FeatureSet : uint8_t { ALL, CONSOLIDATED_BILLING };

enum class ProductType : uint8_t { AMI, CONTAINER, ML_MODEL, DATA_EXCHANGE, SAAS };
inline constexpr int kProductTypeCount = 5;

// LicenseStatus from the License Manager API. The model reaches AVAILABLE,
// DEACTIVATED, EXPIRED and DELETED; the others are transient asynchronous
// states of the real service that a synchronous model never rests in.
enum class LicenseStatus : uint8_t {
  AVAILABLE, PENDING_AVAILABLE, DEACTIVATED, SUSPENDED, EXPIRED, PENDING_DELETE, DELETED
};
inline constexpr int kLicenseStatusCount = 7;

// GrantStatus from the License Manager API (same order as the API enum).
enum class GrantStatus : uint8_t {
  PENDING_WORKFLOW, PENDING_ACCEPT, REJECTED, ACTIVE, FAILED_WORKFLOW, DELETED,
  PENDING_DELETE, DISABLED, WORKFLOW_COMPLETED
};
inline constexpr int kGrantStatusCount = 9;

enum class ActivationOverride : uint8_t { NONE, DISTRIBUTED_GRANTS_ONLY, ALL_GRANTS_PERMITTED_BY_ISSUER };

// A fixed table of real region names; see regions in names.cpp.
enum class Region : uint8_t {
  us_east_1, us_east_2, us_west_1, us_west_2, eu_west_1, eu_central_1, ap_southeast_2,
  ap_northeast_1, us_gov_west_1, us_gov_east_1
};
inline constexpr int kRegionCount = 10;
inline constexpr Region kHomeRegion = Region::us_east_1;
constexpr bool is_govcloud(Region r) { return r == Region::us_gov_west_1 || r == Region::us_gov_east_1; }

enum class Membership : uint8_t { OUTSIDE, MEMBER, MANAGEMENT };

// AllowedOperations, as a bit set. A Marketplace grant carries consumption
// rights only, so kCreateGrantOp is never set on a grant (aws-api-facts.md).
enum AllowedOp : uint8_t {
  kCreateGrantOp = 1 << 0, kCheckoutLicenseOp = 1 << 1, kCheckoutBorrowLicenseOp = 1 << 2,
  kCheckInLicenseOp = 1 << 3, kExtendConsumptionLicenseOp = 1 << 4,
  kListPurchasedLicensesOp = 1 << 5, kCreateTokenOp = 1 << 6,
};
inline constexpr uint8_t kConsumptionOps = kCheckoutLicenseOp | kCheckoutBorrowLicenseOp | kCheckInLicenseOp |
                                           kExtendConsumptionLicenseOp | kListPurchasedLicensesOp | kCreateTokenOp;

// Per-account flags.
enum AccountFlag : uint8_t {
  kSlrLicenseManager = 1 << 0,        // AWSServiceRoleForAWSLicenseManagerRole
  kSlrLicenseManagerMaster = 1 << 1,  // AWSServiceRoleForAWSLicenseManagerMasterAccountRole
  kSlrMarketplace = 1 << 2,           // AWSServiceRoleForMarketplaceLicenseManagement
  kInvited = 1 << 3,                  // an InviteAccountToOrganization handshake is open
  kGovCloud = 1 << 4,                 // a GovCloud account (linked to a commercial one)
};

// Organization-wide flags.
enum OrgFlag : uint8_t {
  kTrustedLicenseManager = 1 << 0,  // EnableAWSServiceAccess(license-manager.amazonaws.com)
  kTrustedMarketplace = 1 << 1,     // EnableAWSServiceAccess(license-management.marketplace.amazonaws.com)
  kLinkedAccounts = 1 << 2,         // UpdateServiceSettings EnableIntegration ('Link AWS Organizations accounts')
};

// Grant flags.
enum GrantFlag : uint8_t {
  kOrgParent = 1 << 0,   // a grant to the organization ID (the parent of per-account children)
  kBulkActive = 1 << 1,  // the organization grant was bulk-activated: joiners get ACTIVE children
};

struct Organization {
  FeatureSet feature_set = FeatureSet::ALL;
  uint8_t flags = 0;
  uint16_t pad = 0;
  AccountIx management = 0;
  AccountIx delegated_admin = kNone;
  bool operator==(const Organization& o) const { return std::memcmp(this, &o, sizeof(*this)) == 0; }  // bytes: no padding (below)
};

struct Account {
  Membership membership = Membership::OUTSIDE;
  uint8_t flags = 0;
  uint16_t pad = 0;
  AccountIx govcloud_link = kNone;  // GovCloud account: its commercial account
  // The licenses it subscribed to and the grants it received are listed per
  // product: World::first_owned and World::first_received.
  bool operator==(const Account& o) const { return std::memcmp(this, &o, sizeof(*this)) == 0; }  // bytes: no padding (below)
};

struct License {
  ProductIx product = 0;
  LicenseStatus status = LicenseStatus::AVAILABLE;
  Region home_region = kHomeRegion;
  AccountIx owner = 0;
  GrantIx first_grant = kNone;   // index: grants on this license (linked list)
  LicenseIx next_owned = kNone;  // index: next license of the same owner and product
  bool operator==(const License& o) const { return std::memcmp(this, &o, sizeof(*this)) == 0; }  // bytes: no padding (below)
};

struct Grant {
  LicenseIx license = 0;
  AccountIx grantor = 0;
  AccountIx grantee = kNone;         // kNone for a grant to the organization ID
  GrantIx parent = kNone;            // the organization grant this child belongs to
  GrantIx next_received = kNone;     // index: next grant with the same grantee and product
  GrantIx next_on_license = kNone;   // index: next grant on the same license
  uint32_t version = 1;
  GrantStatus status = GrantStatus::PENDING_ACCEPT;
  uint8_t flags = 0;
  uint8_t allowed_ops = kConsumptionOps;
  Region home_region = kHomeRegion;
  StringId name = 0;
  StringId status_reason = 0;
  bool operator==(const Grant& o) const { return std::memcmp(this, &o, sizeof(*this)) == 0; }  // bytes: no padding (below)
  // The fields set at creation that no call changes: the license, grantor,
  // grantee, parent, allowed operations, home region and whether it is an
  // organization grant (ChangeKind::kGrantCreated).
  bool same_identity(const Grant& o) const {
    return license == o.license && grantor == o.grantor && grantee == o.grantee && parent == o.parent &&
           allowed_ops == o.allowed_ops && home_region == o.home_region &&
           ((flags ^ o.flags) & kOrgParent) == 0;
  }
  bool is_org_parent() const { return flags & kOrgParent; }
  bool is_org_child() const { return parent != kNone; }
};

// The result a ClientToken was first used for: repeating the token returns it.
struct TokenRecord {
  GrantIx grant = kNone;
  uint32_t version = 0;
  bool operator==(const TokenRecord&) const = default;
};

static_assert(std::has_unique_object_representations_v<Organization>);
static_assert(std::has_unique_object_representations_v<Account>);
static_assert(std::has_unique_object_representations_v<License>);
static_assert(std::has_unique_object_representations_v<Grant>);
static_assert(std::has_unique_object_representations_v<TokenRecord>);
static_assert(sizeof(Grant) == 36 && sizeof(License) == 16 && sizeof(Account) == 8);

constexpr bool is_terminal(GrantStatus s) { return s == GrantStatus::REJECTED || s == GrantStatus::DELETED; }

std::string_view to_string(FeatureSet);
std::string_view to_string(ProductType);
std::string_view to_string(LicenseStatus);
std::string_view to_string(GrantStatus);
std::string_view to_string(ActivationOverride);
std::string_view to_string(Region);
std::string_view to_string(Membership);

// AllowedOperations names (aws-api-facts.md), in bit order: one table for the
// parser, the printer and the writer.
struct AllowedOpName {
  AllowedOp bit;
  std::string_view name;
};
inline constexpr AllowedOpName kAllowedOpNames[] = {
    {kCreateGrantOp, "CreateGrant"},
    {kCheckoutLicenseOp, "CheckoutLicense"},
    {kCheckoutBorrowLicenseOp, "CheckoutBorrowLicense"},
    {kCheckInLicenseOp, "CheckInLicense"},
    {kExtendConsumptionLicenseOp, "ExtendConsumptionLicense"},
    {kListPurchasedLicensesOp, "ListPurchasedLicenses"},
    {kCreateTokenOp, "CreateToken"},
};

// Parsers for the same names; return false when the name is unknown.
bool parse(std::string_view, FeatureSet&);
bool parse(std::string_view, ProductType&);
bool parse(std::string_view, LicenseStatus&);
bool parse(std::string_view, GrantStatus&);
bool parse(std::string_view, ActivationOverride&);
bool parse(std::string_view, Region&);

}  // namespace entmc
