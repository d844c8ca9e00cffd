// The simulation loop: deterministic, its incremental counters agree with a
// recount, and its events mostly succeed and exercise every kind.
#include <gtest/gtest.h>

#include <map>

#include "sim/generator.h"
#include "sim/simulation.h"

namespace entmc::sim {
namespace {

SimConfig small() {
  SimConfig c = load_config(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/small.yaml");
  return c;
}

RunResult run(const SimConfig& c, uint64_t events, std::vector<Call>* record = nullptr) {
  static const std::vector<Property> none;
  Simulation s(c, none);
  RunOptions opt;
  opt.events = events;
  opt.record = record;
  return s.run(opt);
}

TEST(SimRun, SameFileAndSeedGiveTheSameDigest) {
  SimConfig c = small();
  const RunResult a = run(c, 5000), b = run(c, 5000);
  EXPECT_EQ(a.digest, b.digest);
  c.seed = 2;
  EXPECT_NE(run(c, 5000).digest, a.digest);
}

// The simulator prefetches what the next events touch first, from peeks at
// their own random sources: the peek names exactly the caller (and product)
// of the next launch, subscription or leave, names valid records for a stop,
// an account-grant call or a license call (the first ones those try), and
// nothing for other kinds. Peeks two and three events ahead, made before the
// events in between ran, name the same kind and the same fixed caller, and
// most of the time the same index entry: each event draws from its own
// source, and an index's positions do not move when its size does.
TEST(SimRun, ThePeekAtTheNextEventNamesWhatItTouches) {
  const SimConfig c = small();
  InitialOrg o = build_initial_org(c);
  EventGenerator gen(c, o, o.names);
  Changes ch;
  int named = 0, hinted = 0, licensed = 0, granted = 0;
  int far_entries = 0, far_same_entry = 0;
  std::map<int, std::vector<EventGenerator::NextCaller>> early;  // event -> peeks made 3 and 2 events before
  for (int i = 0; i < 5000; ++i) {
    for (unsigned ahead = 3; ahead >= 2; --ahead) early[i + int(ahead) - 1].push_back(gen.peek(o.world, ahead));
    const EventGenerator::NextCaller peek = gen.peek(o.world, 1);
    for (const EventGenerator::NextCaller& e : early[i]) {
      EXPECT_EQ(e.kind, peek.kind) << i;
      if (peek.entry == nullptr && peek.account != kNone && e.account != kNone) {  // fixed by the draws alone
        EXPECT_EQ(e.account, peek.account) << i;
        EXPECT_EQ(e.product, peek.product) << i;
      }
      if (peek.entry != nullptr && e.entry != nullptr) {
        ++far_entries;
        far_same_entry += e.entry == peek.entry;
      }
    }
    early.erase(i);
    EventKind kind;
    bool invalid;
    const Call call = gen.next(o.world, kind, invalid);
    EXPECT_EQ(peek.kind, kind) << i;
    const bool fixed = kind == EventKind::LaunchWorkload || kind == EventKind::Subscribe ||
                       kind == EventKind::LeaveOrganization;
    const bool tried_first = kind == EventKind::StopWorkload || kind == EventKind::AcceptGrant ||
                             kind == EventKind::RejectGrant || kind == EventKind::AcceptAndActivateGrant ||
                             kind == EventKind::ActivateGrant || kind == EventKind::DeactivateGrant ||
                             kind == EventKind::RenameGrant || kind == EventKind::DeleteGrant;
    if (fixed) {
      if (!invalid) {  // a corrupted call may have another caller
        EXPECT_EQ(peek.account, call.caller) << i;
        if (kind != EventKind::LeaveOrganization) {
          EXPECT_EQ(peek.product, call.product) << i;
        }
        ++named;
      }
    } else if (tried_first) {
      EXPECT_TRUE(peek.account == kNone || peek.account < o.world.accounts.size()) << i;
      EXPECT_TRUE(peek.grant == kNone || peek.grant < o.world.grants.size()) << i;
      hinted += peek.account != kNone || peek.grant != kNone;
    } else if (kind == EventKind::CancelSubscription || kind == EventKind::DeactivateLicense ||
               kind == EventKind::ExpireLicense || kind == EventKind::CreateGrant) {
      EXPECT_TRUE(peek.license == kNone || peek.license < o.world.licenses.size()) << i;
      // The first license tried is the one the call names unless it was stale.
      licensed += !invalid && peek.license == call.license;
      // A grant to an account whose first license was live goes to the
      // recipient drawn next (the management account instead of the grantor itself).
      if (kind == EventKind::CreateGrant && !invalid && peek.license == call.license) {
        EXPECT_TRUE(call.account == peek.grantee || (peek.grantee == call.caller && call.account == o.management))
            << i;
        ++granted;
      }
    } else {
      EXPECT_EQ(peek.account, kNone) << i;
      EXPECT_EQ(peek.grant, kNone) << i;
      EXPECT_EQ(peek.license, kNone) << i;
      EXPECT_EQ(peek.grantee, kNone) << i;
    }
    if (apply(o.world, call, &ch).ok()) gen.observe(o.world, ch);
  }
  EXPECT_GT(named, 1000);
  EXPECT_GT(hinted, 500);
  EXPECT_GT(far_entries, 1000);
  EXPECT_GT(far_same_entry, far_entries * 9 / 10);
  EXPECT_GT(licensed, 200);
  EXPECT_GT(granted, 100);
}

// The generator keeps account grants in one index per status an event wants
// (pending to accept or reject, disabled to delete): an uncorrupted accept,
// reject or delete names a grant in that status, or an unknown grant when
// there is none; never a grant that would fail on its status. A successful
// call that takes that grant out of the status takes it out of the status's
// index too (one entry: a grant listed twice keeps the other until a draw
// drops it).
TEST(SimRun, GrantCallsNameAGrantInTheStatusTheyWantAndTakeItOutOfItsIndex) {
  const SimConfig c = small();
  InitialOrg o = build_initial_org(c);
  EventGenerator gen(c, o, o.names);
  Changes ch;
  int hits = 0, dropped = 0;
  for (int i = 0; i < 5000; ++i) {
    EventKind kind;
    bool invalid;
    const Call call = gen.next(o.world, kind, invalid);
    const bool pending = kind == EventKind::AcceptGrant || kind == EventKind::RejectGrant ||
                         kind == EventKind::AcceptAndActivateGrant;
    const bool drawn = (pending || kind == EventKind::DeleteGrant) && !invalid && call.grant < o.world.grants.size();
    const GrantStatus want = pending ? GrantStatus::PENDING_ACCEPT : GrantStatus::DISABLED;
    const size_t listed = drawn ? gen.listed(want, call.grant) : 0;
    if (drawn) {
      EXPECT_EQ(o.world.grants[call.grant].status, want) << i;
      EXPECT_GE(listed, 1u) << i;
      ++hits;
    }
    if (!apply(o.world, call, &ch).ok()) continue;
    gen.observe(o.world, ch);
    if (drawn && o.world.grants[call.grant].status != want) {
      EXPECT_EQ(gen.listed(want, call.grant), listed - 1) << i;
      ++dropped;
    }
  }
  EXPECT_GT(hits, 200);
  EXPECT_GT(dropped, 200);
}

TEST(SimRun, RecordedCallsReplayToTheSameDigest) {
  SimConfig c = small();
  std::vector<Call> calls;
  const RunResult r = run(c, 5000, &calls);
  InitialOrg o = build_initial_org(c);
  for (const Call& call : calls) apply(o.world, call);
  EXPECT_EQ(o.world.digest(), r.digest);
}

TEST(SimRun, IncrementalVitalsAgreeWithARecount) {
  SimConfig c = small();
  static const std::vector<Property> none;
  Simulation s(c, none);
  RunOptions opt;
  opt.events = 1;
  s.run(opt);  // setup + 1 event
  EXPECT_EQ(s.tallies().vitals(), recount(s.world()));
  for (uint64_t n : {100u, 1000u, 7000u, 20000u}) {
    Simulation t(c, none);
    RunOptions o2;
    o2.events = n;
    t.run(o2);
    EXPECT_EQ(t.tallies().vitals(), recount(t.world())) << "after " << n << " events";
  }
}

TEST(SimRun, EventsAreMostlyMeaningful) {
  SimConfig c = small();
  static const std::vector<Property> none;
  Simulation s(c, none);
  RunOptions opt;
  opt.events = 20000;
  s.run(opt);
  uint64_t ok = 0, all = 0;
  for (int k = 0; k < kDrawnKindCount; ++k) {
    const auto kind = static_cast<EventKind>(k);
    uint64_t kind_ok = s.tallies().outcome(kind, ErrorCode::None), kind_all = 0;
    for (int e = 0; e < kErrorCodeCount; ++e) kind_all += s.tallies().outcome(kind, static_cast<ErrorCode>(e));
    ok += kind_ok;
    all += kind_all;
    if (c.mix[size_t(k)] >= 2) {
      EXPECT_GT(kind_ok, 0u) << to_string(kind) << " never succeeded";
    }
  }
  EXPECT_EQ(all, 20000u);
  EXPECT_GT(double(ok) / double(all), 0.5) << "most drawn events should succeed";
}

}  // namespace
}  // namespace entmc::sim

namespace entmc::sim {
namespace {

// The shipped small organization keeps every invariant, checked incrementally
// after every event and in full every 1000 events.
TEST(SimRun, SmallOrganizationKeepsEveryInvariant) {
  SimConfig c = small();
  Simulation s(c, all_properties());
  RunOptions opt;
  opt.events = c.events;
  opt.full_check_every = 1000;
  const RunResult r = s.run(opt);
  EXPECT_FALSE(r.violation) << r.violation->property << " at event " << r.events << ": " << r.violation->detail;
  EXPECT_EQ(r.events, c.events);
  // The model's derived per-(account, product) counters, kept up to date
  // through 20,000 events (organization grants, bulk activations, joins and
  // leaves included), equal a recount.
  EXPECT_TRUE(active_licenses_consistent(s.world()));
  EXPECT_TRUE(received_index_consistent(s.world()));
  EXPECT_TRUE(owned_index_consistent(s.world()));
}

}  // namespace
}  // namespace entmc::sim
