// Bounds: the finite domains the explorer draws calls from, and the caps that
// keep the state space finite. In every state the explorer tries every call in
// these domains (enumerate_calls), failing calls included, in a fixed order.
// The scenario's `bounds:` section fills this struct (bounds_yaml.h); its
// format is documented in docs/explorer.md.
#pragma once

#include <cstdint>
#include <vector>

#include "model/call.h"
#include "model/world.h"

namespace entmc::engine {

// Which Version / SourceVersion a grant call passes.
enum class VersionChoice : uint8_t {
  Current,  // the grant's current version
  Stale,    // the version before it (skipped for a version-1 grant)
  Omitted,  // no version (0)
};

struct Bounds {
  std::vector<Op> operations;           // tried in this order
  std::vector<AccountIx> callers;       // accounts that call (issuer events are called by the issuer)
  std::vector<AccountIx> targets;       // AccountId of the Organizations operations
  std::vector<AccountIx> principals;    // account principals of CreateGrant
  bool principal_organization = true;   // CreateGrant to the organization ID
  std::vector<Region> regions = {kHomeRegion};
  std::vector<ProductIx> products;      // Subscribe, LaunchWorkload, StopWorkload
  std::vector<GrantStatus> statuses = {GrantStatus::ACTIVE, GrantStatus::DISABLED};  // CreateGrantVersion
  bool version_without_status = false;  // also CreateGrantVersion with no Status (renames, reasons)
  std::vector<ActivationOverride> overrides = {ActivationOverride::NONE};
  std::vector<StringId> reasons = {0};  // StatusReason (0 = none)
  std::vector<StringId> names = {0};    // grant Name (0 = none)
  std::vector<TokenId> tokens = {0};    // ClientToken (0 = none)
  std::vector<VersionChoice> versions = {VersionChoice::Current};
  std::vector<Service> access_services = {Service::LicenseManager, Service::Marketplace};
  std::vector<Service> roles = {Service::LicenseManager, Service::LicenseManagerMaster, Service::Marketplace};
  std::vector<bool> integration = {true, false};  // UpdateServiceSettings EnableIntegration
  std::vector<uint8_t> allowed_ops = {0};         // 0 = default (consumption operations)

  // Caps (state constraints, as TLC's CONSTRAINT): a state beyond a cap is
  // stored and checked but not expanded. 0 = no cap.
  uint32_t max_licenses = 0;
  uint32_t max_grants = 0;        // every grant, organization children included
  uint32_t max_running = 0;       // running workloads per account and product
  uint32_t max_grant_version = 0;
  uint32_t max_depth = 0;         // states at this depth are not expanded

  // Every operation, every account as caller, target and principal, every product.
  static Bounds everything(const World&);
};

// Appends to `out` every call of the bounds' domains in state `w`, in a fixed
// order (operations, then callers, then the operation's parameters).
void enumerate_calls(const World& w, const Bounds& b, std::vector<Call>& out);

// What of a state enumerate_calls reads, as a key: how many licenses it has,
// then each grant's version (so also how many grants; the rest of a call
// comes from the bounds). Two states of one shape have the same calls, so
// the explorer keeps the call list of each shape it meets (call_cache.h;
// bounds_test checks that equal shapes give equal lists over every reachable
// state of a model).
inline void call_shape(const World& w, std::vector<uint32_t>& key) {
  key.clear();
  key.push_back(uint32_t(w.licenses.size()));
  for (const Grant& g : w.grants) key.push_back(g.version);
}

// True when `w` is beyond one of the caps (it is checked, not expanded).
bool beyond_caps(const World& w, const Bounds& b);

}  // namespace entmc::engine
