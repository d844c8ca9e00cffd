#include "sim/simulation.h"

#include <chrono>

#include "model/memory_hints.h"
#include "util/cpu_usage.h"
#include "util/stop_request.h"

namespace entmc::sim {
namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Simulation::Simulation(const SimConfig& c, const std::vector<Property>& properties, const Rules& rules)
    : config_(c), rules_(rules), org_(build_initial_org(c)), checker_(properties) {}

void Simulation::setup(bool check, std::vector<Call>* record, uint64_t expected_events) {
  World& w = org_.world;
  // Grants are append-only: reserve what the setup's organization grants and
  // the events will create, so the array is never copied while it is big.
  // Pages never written cost no memory.
  const size_t members = org_.member_end - org_.first_member;
  w.grants.reserve(members * (config_.org_grant_products + 2) + expected_events / 2 + 1024);
  // Licenses too (a subscription is a few percent of events; more only
  // means one copy when the array grows).
  w.licenses.reserve(w.licenses.size() + members / 4 + expected_events / 8 + 1024);
  // Both are read at random (an event's grant, its license, one hop of a
  // received list each): huge pages (memory_hints.h), advised before the
  // pages are written. The per-account arrays were advised when they were
  // reserved (build_initial_org).
  advise_huge_pages(w.grants);
  advise_huge_pages(w.licenses);
  gen_.emplace(config_, org_, org_.names);
  tallies_.emplace(w);  // a recount: the start section's records included
  if (config_.start) {
    // The start section's records (build_initial_org): indexed for the
    // generator's draws as if one call had created them, and every
    // invariant checked on the start state before the first call, as
    // replay checks it before its first step.
    gen_->observe(w, start_records_as_changes(w));
    if (check) violation_ = checker_.full(w, org_.names);
  }
  SetupPlan plan(config_, org_);
  Call call;
  while (!violation_ && plan.next(w, call)) {
    const Outcome o = apply(w, call, &changes_, rules_);
    if (record) record->push_back(call);
    ++setup_calls_;
    tallies_->record(EventKind::Setup, o, false);
    tallies_->observe(w, changes_);
    gen_->observe(w, changes_);
    if (check) violation_ = checker_.after_event(w, call, o, changes_, org_.names);
  }
}

// Each record an event reads is, at a million accounts, a cache miss that
// costs more than the event's work, and several are chains (an index entry
// names a grant, which names a license and accounts). The simulator fetches
// them in a pipeline over the next kLookahead events, one link of each
// chain per event, so that an event finds its records in cache: the first
// draws of each event are known ahead (generator.h, peek), and each stage
// reads what the stage one event earlier requested. Hints only: nothing
// computed depends on them (docs/simulator.md, "prefetching").
void Simulation::prefetch_ahead(const World& w) {
  const size_t np = w.products.size();
  // Both ends of an account's row of a per-(account, product) array: the
  // whole row, one or two lines, where the product is not known yet.
  auto prefetch_row = [np](const auto& v, size_t row) {
    prefetch_line(&v[row]);
    prefetch_line(&v[row + np - 1]);
  };
  // Three events ahead: what its first draws alone fix (no reads of the
  // world's big arrays or of the generator's indexes): the index entry it
  // will draw, or its caller's records. Only what the kind reads: every line
  // fetched costs memory throughput, which bounds this loop, even when
  // nothing waits for it.
  const auto third = gen_->peek(w, 3, false);
  if (third.entry) prefetch_line(third.entry);
  if (third.account < w.accounts.size() && third.product < np) {
    const size_t slot = w.slot(third.account, third.product);
    if (third.kind == EventKind::LaunchWorkload) prefetch_line(&w.running[slot]);
    prefetch_line(&w.accounts[third.account]);
    if (third.kind == EventKind::LeaveOrganization) {  // a leave walks every product's received grants
      prefetch_row(w.active_licenses, slot);           // (its product is 0: the slot starts the row)
      prefetch_row(w.first_received, slot);
    } else {
      prefetch_line(&w.active_licenses[slot]);
      prefetch_line(&w.first_received[slot]);
    }
  }
  // Two events ahead: the entry requested one event ago names the running
  // slot, grant or license; the list head requested then names the newest
  // grant the caller received for the product (the first hop of any walk
  // over them).
  const uint64_t next_event = gen_->events_drawn();  // the number of the event after this one
  const auto second = gen_->peek(w, 2, true);
  if (second.account < w.accounts.size() && second.product < np) {
    const size_t slot = w.slot(second.account, second.product);
    if (second.kind == EventKind::StopWorkload) {  // a stop reads the running count alone
      prefetch_line(&w.running[slot]);
    } else if (second.kind != EventKind::LeaveOrganization) {
      const GrantIx g = w.first_received[slot];
      if (g < w.grants.size())
        prefetch_line(&w.grants[g]);
      else  // nothing received: an entitlement scan goes on to its subscriptions
        prefetch_line(&w.first_owned[slot]);
    }
  }
  if (second.grant < w.grants.size()) prefetch_line(&w.grants[second.grant]);
  if (second.license < w.licenses.size()) prefetch_line(&w.licenses[second.license]);
  if (second.grantee < w.accounts.size()) prefetch_line(&w.accounts[second.grantee]);
  // The next event: one link further from the grant or license requested
  // one event ago. A grant's license, its grantor and grantee, the tallies'
  // count for the license, and the grantee's active-license counts and list
  // heads (whose product is the license's, not read yet: the whole row, one
  // or two lines); a license's owner, its count, its first grant (a
  // cancellation walks them) and the list head of a new grant's recipient.
  // The look two ahead made one event ago is the look at this event: kept,
  // not replayed (the event applied since may have changed the entry it
  // read; then the line requested is the wrong one, as a peek made three
  // events ahead can be: a prefetch, never a change to what runs).
  const auto next = two_ahead_event_ == next_event ? two_ahead_ : gen_->peek(w, 1, true);
  two_ahead_ = second;
  two_ahead_event_ = next_event + 1;
  if (next.account < w.accounts.size() && next.product < np && next.kind != EventKind::StopWorkload &&
      next.kind != EventKind::LeaveOrganization) {
    // The caller's newest grant for the product, requested one event ago:
    // an entitlement scan (the launch check) stops at it when it is ACTIVE
    // and reads its license; otherwise the walk (and the search for an
    // organization child) goes on to the next grant.
    const size_t slot = w.slot(next.account, next.product);
    const GrantIx g = w.first_received[slot];
    if (g < w.grants.size()) {
      const Grant& head = w.grants[g];
      if (head.status == GrantStatus::ACTIVE && head.license < w.licenses.size())
        prefetch_line(&w.licenses[head.license]);
      else if (head.next_received < w.grants.size())
        prefetch_line(&w.grants[head.next_received]);
      else
        prefetch_line(&w.first_owned[slot]);
    }
  }
  if (next.grant < w.grants.size()) {
    const Grant& gr = w.grants[next.grant];
    prefetch_line(&w.licenses[gr.license]);
    tallies_->prefetch_license(gr.license);
    if (gr.grantee < w.accounts.size()) {
      prefetch_line(&w.accounts[gr.grantee]);
      const size_t row = w.slot(gr.grantee, 0);
      prefetch_row(w.active_licenses, row);
      prefetch_row(w.first_received, row);
      prefetch_row(w.first_owned, row);  // its own subscriptions (an activation checks them)
    }
    if (gr.grantor < w.accounts.size()) prefetch_line(&w.accounts[gr.grantor]);
  }
  if (next.license < w.licenses.size()) {
    const License& lic = w.licenses[next.license];
    if (lic.owner < w.accounts.size()) prefetch_line(&w.accounts[lic.owner]);
    tallies_->prefetch_license(next.license);
    if (next.kind != EventKind::CreateGrant && lic.first_grant < w.grants.size())
      prefetch_line(&w.grants[lic.first_grant]);
    if (next.grantee < w.accounts.size() && lic.product < np)
      prefetch_line(&w.first_received[w.slot(next.grantee, lic.product)]);
  }
}

bool Simulation::step(bool check, std::vector<Call>* record) {
  World& w = org_.world;
  EventKind kind;
  bool invalid;
  const Call call = gen_->next(w, kind, invalid);
  prefetch_ahead(w);
  const Outcome o = apply(w, call, &changes_, rules_);
  if (record) record->push_back(call);
  tallies_->record(kind, o, invalid);
  tallies_->observe(w, changes_);
  if (o.ok()) gen_->observe(w, changes_);
  if (check) {
    // Moved only when either holds one: moving an empty optional<Violation>
    // over an empty one, every event, was ~18 instructions.
    std::optional<Violation> v = checker_.after_event(w, call, o, changes_, org_.names);
    if (v || violation_) violation_ = std::move(v);
  }
  return !violation_;
}

RunResult Simulation::run(const RunOptions& opt) {
  RunResult r;
  auto t0 = std::chrono::steady_clock::now();
  setup(opt.check, opt.record, opt.events);
  r.setup_calls = setup_calls_;
  r.setup_seconds = since(t0);

  t0 = std::chrono::steady_clock::now();
  const util::CpuUsage cpu0 = util::cpu_usage();
  const auto& covers = checker_.covers();
  r.cover_reached_at.assign(covers.size(), RunResult::kNotReached);
  auto note_covers = [&](uint64_t done) {
    const auto c0 = std::chrono::steady_clock::now();
    for (size_t k = 0; k < covers.size(); ++k)  // check_state: nullopt on an example
      if (r.cover_reached_at[k] == RunResult::kNotReached && !covers[k]->check_state(org_.world, org_.names))
        r.cover_reached_at[k] = done;
    r.cover_seconds += since(c0);
  };
  auto sample = [&](uint64_t done) {
    const Vitals& v = tallies_->vitals();
    r.samples.push_back({done, since(t0) - r.cover_seconds, v.grants_by_status, v.active_entitlements,
                         v.running_workloads});
    note_covers(done);
  };
  if (opt.sample_every && !violation_) sample(0);
  else note_covers(0);
  uint64_t i = 0;
  for (; i < opt.events && !violation_; ++i) {
    step(opt.check, opt.record);
    const uint64_t done = i + 1;
    if (!violation_ && opt.full_check_every && done % opt.full_check_every == 0) {
      violation_ = checker_.full(org_.world, org_.names);
      r.violation_in_full_check = violation_.has_value();
    }
    if (opt.sample_every && done % opt.sample_every == 0) sample(done);
    if (opt.progress && (done & 0xFFFF) == 0) opt.progress(done, since(t0));
    if ((done & 0xFFF) == 0 && util::stop_requested()) {  // a signal or --time-limit
      r.stopped = true;
      ++i;
      break;
    }
  }
  r.events = i;
  r.seconds = since(t0) - r.cover_seconds;
  const util::CpuUsage cpu = util::cpu_usage() - cpu0;
  r.cpu_seconds = cpu.seconds() - r.cover_seconds;
  r.system_seconds = cpu.system_seconds;
  r.page_faults = cpu.page_faults;
  r.violation = violation_;
  if (opt.sample_every && (r.samples.empty() || r.samples.back().event != i)) sample(i);
  else note_covers(i);
  if (opt.progress) opt.progress(i, r.seconds);
  r.digest = org_.world.digest();
  return r;
}

}  // namespace entmc::sim
