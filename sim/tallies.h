// What the simulator counts as it goes: outcomes per event kind and error
// code, and the state's vital signs (grants per status, active entitlements
// per product, running workloads), kept up to date from each event's Changes
// rather than by rescanning the world. recount() computes the same from
// scratch; tests compare the two.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/errors.h"
#include "model/memory_hints.h"
#include "model/world.h"
#include "properties/first_images.h"
#include "sim/event_kind.h"

namespace entmc::sim {

// The state's vital signs. An entitlement is an AVAILABLE license held by its
// subscriber, or an ACTIVE grant on an AVAILABLE license held by its
// recipient; with one active license per product and account (an invariant the
// simulator checks), that is the number of entitled (account, product) pairs.
struct Vitals {
  std::array<int64_t, kGrantStatusCount> grants_by_status{};
  int64_t active_entitlements = 0;
  std::vector<int64_t> entitled_by_product;
  int64_t running_workloads = 0;
  bool operator==(const Vitals&) const = default;
};

Vitals recount(const World&);

class Tallies {
 public:
  explicit Tallies(const World& initial);

  void record(EventKind kind, const Outcome& o, bool invalid) {
    ++outcomes_[size_t(kind)][size_t(o.error.code)];
    ++reasons_[size_t(kind)][size_t(o.error.reason)];
    invalid_ += invalid;
  }
  // Updates the vitals with what one applied call changed. O(size of changes).
  void observe(const World& after, const Changes&);

  // Requests the per-license count a coming event's license will read (the
  // simulator's prefetch of the next event's records; a hint only).
  void prefetch_license(LicenseIx l) const {
    if (l < active_on_license_.size()) prefetch_line(&active_on_license_[l]);
  }

  const Vitals& vitals() const { return vitals_; }
  uint64_t outcome(EventKind k, ErrorCode e) const { return outcomes_[size_t(k)][size_t(e)]; }
  uint64_t reason_count(EventKind k, Reason r) const { return reasons_[size_t(k)][size_t(r)]; }
  uint64_t invalid_drawn() const { return invalid_; }

 private:
  int64_t contribution(LicenseIx l, LicenseStatus s) const {
    return s == LicenseStatus::AVAILABLE ? 1 + int64_t(active_on_license_[l]) : 0;
  }
  void add_license_contribution(const World&, LicenseIx, LicenseStatus, int64_t sign);
  // A grant went from status `before` to `now`'s: the status histogram and its
  // license's ACTIVE count (not the license's contribution).
  void move_grant(GrantStatus before, const Grant& now);

  std::array<std::array<uint64_t, kErrorCodeCount>, kEventKindCount> outcomes_{};
  std::array<std::array<uint64_t, kReasonCount>, kEventKindCount> reasons_{};
  uint64_t invalid_ = 0;
  Vitals vitals_;
  std::vector<uint32_t> active_on_license_;  // ACTIVE grants per license
  std::vector<LicenseIx> touched_;           // scratch: licenses touched by one call
  props::FirstImages<GrantIx, Grant> firsts_;  // scratch: each changed grant's before-image
};

}  // namespace entmc::sim
