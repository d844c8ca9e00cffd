#include "sim/event_kind.h"

namespace entmc::sim {
namespace {

constexpr std::array<std::string_view, kEventKindCount> kNames = {
    "subscribe",         "cancel_subscription",   "deactivate_license",   "expire_license",
    "create_grant",      "accept_grant",          "reject_grant",         "accept_and_activate_grant",
    "activate_grant",    "deactivate_grant",      "rename_grant",         "delete_grant",
    "invite_account",    "accept_handshake",      "leave_organization",   "remove_account",
    "register_delegated_admin", "deregister_delegated_admin", "launch_workload", "stop_workload",
    "create_org_grant",  "bulk_activate",         "bulk_deactivate",      "delete_org_grant",
    "cancel_org_subscription", "setup",
};

}  // namespace

std::string_view to_string(EventKind k) { return kNames[static_cast<size_t>(k)]; }

bool parse(std::string_view s, EventKind& out) {
  for (int i = 0; i < kDrawnKindCount; ++i)
    if (kNames[size_t(i)] == s) {
      out = static_cast<EventKind>(i);
      return true;
    }
  return false;
}

}  // namespace entmc::sim
