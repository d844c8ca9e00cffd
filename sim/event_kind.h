// The kinds of events the simulator draws. Each kind is one Call (model/call.h)
// with targets chosen from the live state; several kinds map to the same
// operation (activating and deactivating are both CreateGrantVersion).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace entmc::sim {

enum class EventKind : uint8_t {
  // account level: cheap, the bulk of the traffic
  Subscribe,
  CancelSubscription,
  DeactivateLicense,
  ExpireLicense,
  CreateGrant,
  AcceptGrant,
  RejectGrant,
  AcceptAndActivateGrant,
  ActivateGrant,    // CreateGrantVersion Status=ACTIVE (an account grant or an organization child)
  DeactivateGrant,  // CreateGrantVersion Status=DISABLED
  RenameGrant,      // CreateGrantVersion Name=...
  DeleteGrant,
  InviteAccount,    // InviteAccountToOrganization (the first half of a join)
  AcceptHandshake,  // the invited account joins: it receives the organization's children
  LeaveOrganization,
  RemoveAccount,
  RegisterDelegatedAdmin,
  DeregisterDelegatedAdmin,
  LaunchWorkload,
  StopWorkload,
  // organization level: each touches every member; rare, as in reality
  CreateOrgGrant,
  BulkActivate,
  BulkDeactivate,
  DeleteOrgGrant,
  CancelOrgSubscription,
  // setup calls (not drawn; counted apart)
  Setup,
};
inline constexpr int kEventKindCount = 26;
inline constexpr int kDrawnKindCount = 25;  // every kind but Setup

// The YAML key of each kind (snake_case), used in `mix:` and in the summary.
std::string_view to_string(EventKind);
bool parse(std::string_view, EventKind&);

}  // namespace entmc::sim
