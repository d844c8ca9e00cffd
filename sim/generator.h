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
#include "sim/threshold_table.h"

namespace entmc::sim {

class EventGenerator {
 public:
  EventGenerator(const SimConfig&, const InitialOrg&, Names& names);

  // Draws the next event's call. `invalid` says whether it was deliberately corrupted.
  Call next(const World&, EventKind& kind, bool& invalid);
  // Feeds the indexes with what an applied call changed.
  void observe(const World&, const Changes&);

  // What the event `ahead` events on (1: the next one) will touch first,
  // where the first draws of its kind fix it, replayed from that event's own
  // random source (rng.h) against the indexes as they are now (so the event
  // stream is the same with or without a peek): the caller and product of a
  // launch, a subscription or a leave; the member and product whose child of
  // an organization grant an activation or deactivation looks for; the entry
  // of a lazy index that a stop, an account-grant call (accept, reject,
  // activate, deactivate, rename, delete) or a license call (cancel,
  // deactivate, expire, create a grant) draws first and, with
  // `read_entries`, the running slot, grant or license it names; the
  // recipient a grant to an account names when that first license is live
  // (a guess otherwise: the call draws again). kNone where nothing is fixed.
  // An index may change before the event comes (an entry dropped or added):
  // then the peek can name another entry. The simulator prefetches these
  // records events ahead (Simulation::prefetch_ahead); without
  // `read_entries` the peek reads none of the generator's indexes (an entry
  // is a cache miss at a million accounts), it only names the entry.
  static constexpr unsigned kLookahead = 3;  // the furthest peek the simulator makes
  struct NextCaller {
    EventKind kind = EventKind::Setup;
    AccountIx account = kNone;
    ProductIx product = 0;
    GrantIx grant = kNone;
    LicenseIx license = kNone;
    AccountIx grantee = kNone;
    const uint32_t* entry = nullptr;  // the index entry drawn first
  };
  NextCaller peek(const World&, uint64_t ahead, bool read_entries = true) const;  // ahead: 1..kLookahead
  // The number of events drawn so far: peek(w, a) looks at event number
  // events_drawn() + a - 1.
  uint64_t events_drawn() const { return events_; }

  // How many entries of the index of account grants in status `s` name grant
  // `g` (for tests: a grant leaves an index when it leaves the status).
  size_t listed(GrantStatus s, GrantIx g) const;

  // What the last event's deliberate error was (tests): None (a valid draw),
  // Field (one field made wrong: an unknown ID, the wrong account or region,
  // a stale version), or a call that names only existing records and that
  // the guides refuse (issue 17; wrong_semantics in generator.cpp).
  enum class Wrong : uint8_t { None, Field, SaasGrant, AcceptRejected, OtherAdministrator, OverrideAcrossProducts };
  Wrong last_wrong() const { return wrong_; }

 private:
  EventKind kind_for(uint64_t draw) const;  // draw: 53 random bits
  Call make(const World&, EventKind);
  void corrupt(const World&, Call&, EventKind);
  bool wrong_semantics(const World&, Call&, EventKind);
  bool override_across_products(const World&, Call&);
  Wrong wrong_ = Wrong::None;

  AccountIx any_account(const World& w) { return AccountIx(1 + rng_.below(uint32_t(w.accounts.size() - 1))); }
  AccountIx some_member(const World&);
  LicenseIx live_license(const World&, bool distributable = false);
  GrantIx live_grant(const World&, GrantStatus want);
  GrantIx org_child(const World&, GrantStatus want);
  GrantIx org_parent(const World&);

  // The next kLookahead + 1 events' sources and kinds (their first draw),
  // by event number: computed once, as the event comes into the simulator's
  // lookahead, for the peeks and the event itself.
  struct Upcoming {
    uint64_t seed = 0;
    EventKind kind = EventKind::Setup;
  };
  Upcoming upcoming_of(uint64_t event) const;
  const Upcoming& upcoming(uint64_t event) const { return upcoming_[event % upcoming_.size()]; }
  uint64_t stream_start_;
  uint64_t events_ = 0;  // events drawn so far
  std::array<Upcoming, kLookahead + 1> upcoming_;
  Rng rng_{0};           // the current event's source
  AccountIx management_;
  AccountIx first_member_;
  AccountIx member_end_;
  uint32_t invalid_threshold_;                       // chance(invalid_threshold_) = invalid share
  ThresholdTable<kDrawnKindCount - 1> kind_table_;  // the kinds' cumulative weights over 2^53
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
  std::vector<GrantIx> rejected_;     // account grants that were REJECTED (terminal: never stale)
  std::vector<uint32_t> running_;     // (account * products + product) slots believed running
  std::vector<AccountIx> outside_;    // accounts believed outside the organization
  std::vector<AccountIx> invited_;    // accounts believed to hold an open invitation
  std::vector<uint8_t> account_listed_;  // per account: kListedOutside | kListedInvited
  std::vector<uint8_t> org_license_;  // per license: it carries an organization grant
};

}  // namespace entmc::sim
