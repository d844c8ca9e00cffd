#include "sim/simulation.h"

#include <chrono>
#include <ctime>

#include "model/memory_hints.h"

namespace entmc::sim {
namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
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
  tallies_.emplace(w);
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

bool Simulation::step(bool check, std::vector<Call>* record) {
  World& w = org_.world;
  EventKind kind;
  bool invalid;
  const Call call = gen_->next(w, kind, invalid);
  // The next event's caller, where its first draws fix it: its records are
  // fetched while this event runs (each is a cache miss at a million
  // accounts). A hint only: nothing below depends on it.
  const auto next = gen_->peek_next_caller(w);
  const bool hint = next.account < w.accounts.size() && next.product < w.products.size();
  // Only what the kind reads: each record on another page costs a page walk
  // even when nothing waits for it (docs/simulator.md).
  const bool stop = next.kind == EventKind::StopWorkload, leave = next.kind == EventKind::LeaveOrganization;
  if (hint) {
    const size_t np = w.products.size(), slot = w.slot(next.account, next.product);
    if (next.kind == EventKind::LaunchWorkload || stop) prefetch_line(&w.running[slot]);
    if (!stop) {  // a stop reads the running count alone
      prefetch_line(&w.accounts[next.account]);
      prefetch_line(&w.active_licenses[slot]);
      prefetch_line(&w.first_received[slot]);
    }
    if (leave) {  // a leave walks every product's received grants: the rows' other ends
      prefetch_line(&w.active_licenses[slot + np - 1]);
      prefetch_line(&w.first_received[slot + np - 1]);
    }
  }
  if (next.grant < w.grants.size()) prefetch_line(&w.grants[next.grant]);
  if (next.license < w.licenses.size()) prefetch_line(&w.licenses[next.license]);
  if (next.grantee < w.accounts.size()) prefetch_line(&w.accounts[next.grantee]);
  const Outcome o = apply(w, call, &changes_, rules_);
  if (record) record->push_back(call);
  tallies_->record(kind, o, invalid);
  tallies_->observe(w, changes_);
  if (o.ok()) gen_->observe(w, changes_);
  if (check) violation_ = checker_.after_event(w, call, o, changes_, org_.names);
  // By now those records have arrived; one link further: the newest grant
  // the account received for the product (the first hop of any walk over
  // those grants); the accounts and the license a grant names (the caller is
  // its grantee or its grantor) and the tallies' count for that license; a
  // license's owner, its count, and the list head of a new grant's recipient
  // for the license's product (where the grant will be linked).
  if (hint && !stop && !leave) {
    const GrantIx g = w.first_received_at(next.account, next.product);
    if (g < w.grants.size()) prefetch_line(&w.grants[g]);
  }
  if (next.grant < w.grants.size()) {
    const Grant& gr = w.grants[next.grant];
    prefetch_line(&w.licenses[gr.license]);
    tallies_->prefetch_license(gr.license);
    if (gr.grantee < w.accounts.size()) {
      prefetch_line(&w.accounts[gr.grantee]);
      // The recipient's active-license counts and received-list heads, whose
      // product is the license's (not here yet): the whole row of each, one
      // or two lines.
      const size_t row = w.slot(gr.grantee, 0), last = row + w.products.size() - 1;
      prefetch_line(&w.active_licenses[row]);
      prefetch_line(&w.active_licenses[last]);
      prefetch_line(&w.first_received[row]);
      prefetch_line(&w.first_received[last]);
    }
    if (gr.grantor < w.accounts.size()) prefetch_line(&w.accounts[gr.grantor]);
  }
  if (next.license < w.licenses.size()) {
    const License& lic = w.licenses[next.license];
    if (lic.owner < w.accounts.size()) prefetch_line(&w.accounts[lic.owner]);
    tallies_->prefetch_license(next.license);
    if (next.grantee < w.accounts.size() && lic.product < w.products.size())
      prefetch_line(&w.first_received[w.slot(next.grantee, lic.product)]);
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
  const double cpu0 = cpu_now();
  auto sample = [&](uint64_t done) {
    const Vitals& v = tallies_->vitals();
    r.samples.push_back({done, since(t0), v.grants_by_status, v.active_entitlements, v.running_workloads});
  };
  if (opt.sample_every && !violation_) sample(0);
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
  }
  r.events = i;
  r.seconds = since(t0);
  r.cpu_seconds = cpu_now() - cpu0;
  r.violation = violation_;
  if (opt.sample_every && (r.samples.empty() || r.samples.back().event != i)) sample(i);
  if (opt.progress) opt.progress(i, r.seconds);
  r.digest = org_.world.digest();
  return r;
}

}  // namespace entmc::sim
