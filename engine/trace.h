// Counterexample traces. The visited set keeps only fingerprints and parent
// links, so a trace is rebuilt as TLC does: walk the parent links from the
// offending state back to the start, then replay forward from the concrete
// start state, at each step taking the first call (in enumeration order) whose
// successor has the next fingerprint. With symmetry reduction the replayed
// states are concrete states equivalent to the stored representatives, so the
// trace is a real run of the model.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "engine/bounds.h"
#include "engine/fingerprint_set.h"
#include "engine/symmetry.h"
#include "model/apply.h"

namespace entmc::engine {

struct TraceStep {
  Call call;
  Outcome outcome;
  Changes changes;  // before-images of what the call changed
  World after;
};

struct Trace {
  World start;
  std::vector<TraceStep> steps;
  const World& last() const { return steps.empty() ? start : steps.back().after; }
};

// The slots from the start state to `slot`, start first. `link_slot` turns a
// parent link into the parent's slot (kRoot for the start state's link); by
// default the links are slots (the disk frontier's links are state numbers).
std::vector<uint32_t> path_to(const FingerprintSet& set, uint32_t slot,
                              const std::function<uint32_t(uint32_t link)>& link_slot = {});

// Replays `path` (slots, start first) from `start`. Returns false if some step
// has no matching successor (a fingerprint collision on the path).
bool replay_path(const World& start, const Bounds& bounds, const Rules& rules, Canonicalizer& canon,
                 const FingerprintSet& set, std::span<const uint32_t> path, Trace& out);

// Replays a path given by fingerprints (start first), as replay_path: the
// trace of --links disk (trace_file.h), which keeps no slots.
bool replay_fingerprints(const World& start, const Bounds& bounds, const Rules& rules, Canonicalizer& canon,
                         std::span<const uint64_t> fps, Trace& out);

// The fingerprint of a packed state.
uint64_t fingerprint(std::span<const uint8_t> packed);

}  // namespace entmc::engine
