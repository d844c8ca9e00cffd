// Draws the simulator's events: one Call per event, with targets chosen from
// the live state most of the time (existing licenses, grants, members, running
// workloads) and a configured share made deliberately invalid. Drawing is O(1)
// and allocation-free: the generator keeps its own small lazy indexes (entries
// that went stale are dropped when drawn), fed from each event's Changes.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/apply.h"
#include "model/world.h"
#include "sim/config.h"
#include "sim/event_kind.h"
#include "sim/organization.h"
#include "sim/rng.h"

namespace entmc::sim {

class EventGenerator {
 public:
  EventGenerator(const SimConfig&, const InitialOrg&, Names& names);

  // Draws the next event's call. `invalid` says whether it was deliberately corrupted.
  Call next(const World&, EventKind& kind, bool& invalid);
  // Feeds the indexes with what an applied call changed.
  void observe(const World&, const Changes&);

  // What the next event will touch first, where the first draws of its kind
  // fix it, computed on a copy of the random source (so the event stream is
  // the same with or without it): the caller and product of a launch, a
  // subscription or a leave; the running slot a stop tries first; the member
  // and product whose child of an organization grant an activation or
  // deactivation looks for; the grant an account-grant call (accept, reject,
  // activate, deactivate, rename, delete) tries first; the license a license
  // call (cancel, deactivate, expire, create a grant) tries first; the
  // recipient a grant to an account names when that first license is live
  // (a guess otherwise: the call draws again). kNone where nothing is fixed.
  // The simulator prefetches those records while the current event runs.
  struct NextCaller {
    EventKind kind = EventKind::Setup;  // the next event's kind (always drawn first)
    AccountIx account = kNone;
    ProductIx product = 0;
    GrantIx grant = kNone;
    LicenseIx license = kNone;
    AccountIx grantee = kNone;
  };
  NextCaller peek_next_caller(const World&) const;

  Rng& rng() { return rng_; }

  // How many entries of the index of account grants in status `s` name grant
  // `g` (for tests: a grant leaves an index when it leaves the status).
  size_t listed(GrantStatus s, GrantIx g) const;

 private:
  EventKind draw_kind();
  EventKind kind_for(uint64_t draw) const;  // draw: 53 random bits
  Call make(const World&, EventKind);
  void corrupt(const World&, Call&);

  AccountIx any_account(const World& w) { return AccountIx(1 + rng_.below(uint32_t(w.accounts.size() - 1))); }
  AccountIx some_member(const World&);
  LicenseIx live_license(const World&, bool distributable = false);
  GrantIx live_grant(const World&, GrantStatus want);
  GrantIx org_child(const World&, GrantStatus want);
  GrantIx org_parent(const World&);

  Rng rng_;
  AccountIx management_;
  AccountIx first_member_;
  AccountIx member_end_;
  uint32_t invalid_threshold_;                       // chance(invalid_threshold_) = invalid share
  std::array<uint64_t, kDrawnKindCount> cumulative_{};  // kind thresholds over 2^53
  std::array<StringId, 4> grant_names_{};

  // Lazy indexes (an entry may be stale; drawing drops stale ones).
  std::vector<LicenseIx> licenses_;   // account-level licenses believed AVAILABLE
  // Account grants by the status an event wants of them (PENDING_ACCEPT to
  // accept or reject, ACTIVE to deactivate or rename, DISABLED to activate or
  // delete), believed in that status: a draw hits on its first try (with one
  // index of every live grant, an accept tried four grants, four cache misses,
  // and usually found none: pending grants are a few percent).
  enum GrantPool : uint8_t { kPendingPool, kActivePool, kDisabledPool, kGrantPoolCount };
  // The entry the current event drew its target from (a grant pool, the
  // license index or the running index): once the event succeeded, observe()
  // drops it if the event took its record out of that index (an accepted
  // grant is no longer pending, a stopped slot no longer running), rather
  // than leaving it to be drawn, and missed, by a later event: at a million
  // accounts each such miss is two cache misses, and they were about half
  // of the draws.
  enum : uint8_t { kLicenseIndex = kGrantPoolCount, kRunningIndex, kNoIndex };
  struct Drawn {
    uint8_t index = kNoIndex;
    uint32_t position = 0;
    uint32_t entry = 0;
  };
  // Is `entry` of that index still what the index promises (a grant in the
  // pool's status, an AVAILABLE account-level license, a running slot)? The
  // draws and drop_drawn_if_stale ask the same question.
  bool live(const World&, uint8_t index, uint32_t entry) const;
  std::vector<uint32_t>& entries(uint8_t index);
  void drop_drawn_if_stale(const World&);
  Drawn drawn_;
  static int pool_of(GrantStatus);
  static GrantStatus wanted_status(EventKind);
  void list_grant(const World&, GrantIx);
  std::array<std::vector<GrantIx>, kGrantPoolCount> grant_pools_;
  std::vector<uint32_t> running_;     // (account * products + product) slots believed running
  std::vector<AccountIx> outside_;    // accounts believed outside the organization
  std::vector<AccountIx> invited_;    // accounts believed to hold an open invitation
  std::vector<uint8_t> account_listed_;  // per account: kListedOutside | kListedInvited
  std::vector<uint8_t> org_license_;  // per license: it carries an organization grant
};

}  // namespace entmc::sim
