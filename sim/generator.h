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

  // Each event draws from its own random stream, derived from the seed and
  // the event's number (event_rng), not from one stream shared by all: how
  // many draws an event makes depends on the world, so with one stream the
  // draws of the event after next were unknown until the next had run. With
  // a stream per event, an event k ahead can be read now: its kind and the
  // first draws that fix its targets, and the simulator requests the records
  // those name a few events before they are read (sim/lookahead.h).
  static Rng event_rng(uint64_t seed, uint64_t event);

  // Where event `k` ahead (1: the next) starts, as far as its first draws
  // fix it, read on a copy of its stream (the stream is the same with or
  // without a look): the caller and product of a launch, a subscription or a
  // leave, and the member and product whose child of an organization grant
  // a third of the activations and deactivations look for; the index entry
  // that the first try of a stop (running_), an account-grant call (accept,
  // reject, activate, deactivate, rename, delete: the pool of the status it
  // wants) or a license call (cancel, deactivate, expire, create a grant:
  // licenses_) reads. Reads no record of the world but the organization
  // grants (a handful): the entries are left to the caller, who requests
  // them first and reads them an event later (sim/lookahead.h). The entry
  // pointers are valid until the generator's next call.
  struct Ahead {
    EventKind kind = EventKind::Setup;
    AccountIx account = kNone;
    ProductIx product = 0;
    const GrantIx* grant_entry = nullptr;
    const LicenseIx* license_entry = nullptr;
    const uint32_t* running_entry = nullptr;  // account * products + product
  };
  Ahead ahead(const World&, uint64_t k) const;

  // The records the first try of event `k` ahead names: ahead() with its
  // entries read.
  struct NextCaller {
    AccountIx account = kNone;
    ProductIx product = 0;
    GrantIx grant = kNone;
    LicenseIx license = kNone;
  };
  NextCaller peek(const World&, uint64_t k = 1) const;

  Rng& rng() { return rng_; }

 private:
  EventKind kind_for(uint64_t draw) const;  // draw: 53 random bits
  Call make(const World&, EventKind);
  void corrupt(const World&, Call&);

  AccountIx any_account(const World& w) { return AccountIx(1 + rng_.below(uint32_t(w.accounts.size() - 1))); }
  AccountIx some_member(const World&);
  LicenseIx live_license(const World&, bool distributable = false);
  GrantIx live_grant(const World&, GrantStatus want);
  GrantIx org_child(const World&, GrantStatus want);
  GrantIx org_parent(const World&);

  // Event e's stream just after its kind was drawn, and that kind, for the
  // events from the next one to kWindow - 1 ahead (slot e % kWindow): the
  // looks ahead and the draw itself start from here instead of seeding the
  // stream again.
  struct Drawn {
    uint64_t event = ~uint64_t(0);
    Rng rng{0};
    EventKind kind = EventKind::Setup;
  };
  static constexpr uint64_t kWindow = 8;
  const Drawn& drawn(uint64_t event) const;

  uint64_t seed_;
  uint64_t event_ = 0;  // the number of the next event to draw
  mutable std::array<Drawn, kWindow> window_{};
  Rng rng_{0};  // the stream of the event being drawn
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
  static int pool_of(GrantStatus);
  static GrantStatus wanted_status(EventKind);
  void list_grant(const World&, GrantIx);
  std::array<std::vector<GrantIx>, kGrantPoolCount> grant_pools_;
  std::vector<uint8_t> grant_listed_;  // per grant: bit p while it is in grant_pools_[p]
  std::vector<uint32_t> running_;     // (account * products + product) slots believed running
  std::vector<uint8_t> running_listed_;
  std::vector<AccountIx> outside_;    // accounts believed outside the organization
  std::vector<AccountIx> invited_;    // accounts believed to hold an open invitation
  std::vector<uint8_t> account_listed_;  // per account: kListedOutside | kListedInvited
  std::vector<uint8_t> org_license_;  // per license: it carries an organization grant
};

}  // namespace entmc::sim
