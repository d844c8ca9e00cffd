#include "model/types.h"

#include <array>

namespace entmc {
namespace {

template <typename E, size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E e) {
  auto i = static_cast<size_t>(e);
  return i < N ? names[i] : std::string_view("?");
}

template <typename E, size_t N>
bool parse_from(const std::array<std::string_view, N>& names, std::string_view s, E& out) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) {
      out = static_cast<E>(i);
      return true;
    }
  return false;
}

constexpr std::array<std::string_view, 2> kFeatureSets{"ALL", "CONSOLIDATED_BILLING"};
constexpr std::array<std::string_view, 5> kProductTypes{"AMI", "CONTAINER", "ML_MODEL", "DATA_EXCHANGE", "SAAS"};
constexpr std::array<std::string_view, 7> kLicenseStatuses{
    "AVAILABLE", "PENDING_AVAILABLE", "DEACTIVATED", "SUSPENDED", "EXPIRED", "PENDING_DELETE", "DELETED"};
constexpr std::array<std::string_view, 9> kGrantStatuses{
    "PENDING_WORKFLOW", "PENDING_ACCEPT", "REJECTED",       "ACTIVE",           "FAILED_WORKFLOW",
    "DELETED",          "PENDING_DELETE", "DISABLED",       "WORKFLOW_COMPLETED"};
constexpr std::array<std::string_view, 3> kOverrides{"NONE", "DISTRIBUTED_GRANTS_ONLY", "ALL_GRANTS_PERMITTED_BY_ISSUER"};
constexpr std::array<std::string_view, 10> kRegions{
    "us-east-1",      "us-east-2",      "us-west-1",     "us-west-2",     "eu-west-1",
    "eu-central-1",   "ap-southeast-2", "ap-northeast-1", "us-gov-west-1", "us-gov-east-1"};
constexpr std::array<std::string_view, 3> kMemberships{"OUTSIDE", "MEMBER", "MANAGEMENT"};

}  // namespace

std::string_view to_string(FeatureSet e) { return name_of(kFeatureSets, e); }
std::string_view to_string(ProductType e) { return name_of(kProductTypes, e); }
std::string_view to_string(LicenseStatus e) { return name_of(kLicenseStatuses, e); }
std::string_view to_string(GrantStatus e) { return name_of(kGrantStatuses, e); }
std::string_view to_string(ActivationOverride e) { return name_of(kOverrides, e); }
std::string_view to_string(Region e) { return name_of(kRegions, e); }
std::string_view to_string(Membership e) { return name_of(kMemberships, e); }

bool parse(std::string_view s, FeatureSet& e) { return parse_from(kFeatureSets, s, e); }
bool parse(std::string_view s, ProductType& e) { return parse_from(kProductTypes, s, e); }
bool parse(std::string_view s, LicenseStatus& e) { return parse_from(kLicenseStatuses, s, e); }
bool parse(std::string_view s, GrantStatus& e) { return parse_from(kGrantStatuses, s, e); }
bool parse(std::string_view s, ActivationOverride& e) { return parse_from(kOverrides, s, e); }
bool parse(std::string_view s, Region& e) { return parse_from(kRegions, s, e); }

}  // namespace entmc
