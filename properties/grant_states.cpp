// The grant record over time: terminal states stay put, versions only grow.
#include <fmt/format.h>

#include "properties/before_view.h"
#include "properties/catalog.h"
#include "properties/describe.h"

namespace entmc::props {
namespace {

std::optional<std::string> terminal_unchanged(const Transition& t, const Names& n) {
  std::optional<std::string> out;
  BeforeView(t).for_each_changed_grant([&](GrantIx g, const Grant* before, const Grant& after) {
    if (out || !before || !is_terminal(before->status)) return;
    out = fmt::format("{} was {} before {} and changed: now {} (version {} -> {})", grant_name(n, t.after, g),
                      to_string(before->status), to_string(t.call.op), to_string(after.status), before->version,
                      after.version);
  });
  return out;
}

// The index-link fields are not part of a grant's version: appending another
// grant never changes them for existing grants, but they are not the grant.
bool same_content(Grant a, Grant b) {
  a.next_received = b.next_received;
  a.next_on_license = b.next_on_license;
  return a == b;
}

std::optional<std::string> version_monotonic(const Transition& t, const Names& n) {
  BeforeView view(t);
  if (t.after.grants.size() < view.grant_count())
    return fmt::format("{} removed grant records ({} -> {})", to_string(t.call.op), view.grant_count(),
                       t.after.grants.size());
  std::optional<std::string> out;
  view.for_each_changed_grant([&](GrantIx g, const Grant* before, const Grant& after) {
    if (out) return;
    if (!before) {
      // A joiner's child of a bulk-activated organization grant is created
      // and then activated (or refused, with a reason) in the same call:
      // version 2, and visibly not in its creation state.
      const bool changed_at_birth = after.status == GrantStatus::ACTIVE || after.status_reason != kReasonNone;
      if (after.version != 1 && !(after.version == 2 && changed_at_birth))
        out = fmt::format("{} was created by {} at version {}, not 1", grant_name(n, t.after, g),
                          to_string(t.call.op), after.version);
    } else if (after.version < before->version) {
      out = fmt::format("{}: version decreased {} -> {} in {}", grant_name(n, t.after, g), before->version,
                        after.version, to_string(t.call.op));
    } else if (after.version == before->version && !same_content(*before, after)) {
      out = fmt::format("{} changed in {} (status {} -> {}) but kept version {}", grant_name(n, t.after, g),
                        to_string(t.call.op), to_string(before->status), to_string(after.status), after.version);
    }
  });
  return out;
}

}  // namespace

Property terminal_grant_states() {
  return {.name = "terminal-grant-states",
          .statement = "A grant that was REJECTED or DELETED before a call is unchanged after it.",
          .seed = "Grant States (Rejected, Deleted are terminal); Deleting Grants",
          .kind = PropertyKind::Transition,
          .check_transition = terminal_unchanged,
          .holds_on_failed_noop = true,
          .breaks_on = kGrantChange};
}

Property grant_version_monotonic() {
  return {.name = "grant-version-monotonic",
          .statement = "No grant's version decreases; a grant whose record changed has a greater version; new "
                       "grants start at version 1 (2 when the same call also activated them).",
          .seed = "Grant Activation / Editing Grant Name (CreateGrantVersion); aws-api-facts Version, SourceVersion",
          .kind = PropertyKind::Transition,
          .check_transition = version_monotonic,
          .holds_on_failed_noop = true,
          .breaks_on = kGrantChange};
}

}  // namespace entmc::props
