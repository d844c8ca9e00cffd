#include "engine/trace.h"

#include <algorithm>
#include <xxhash.h>

namespace entmc::engine {

uint64_t fingerprint(std::span<const uint8_t> packed) {
  return XXH3_64bits_withSeed(packed.data(), packed.size(), 0x656e746d63ull);
}

std::vector<uint32_t> path_to(const FingerprintSet& set, uint32_t slot,
                              const std::function<uint32_t(uint32_t link)>& link_slot) {
  std::vector<uint32_t> path;
  for (uint32_t s = slot; s != FingerprintSet::kRoot && s != FingerprintSet::kNotFound;
       s = link_slot ? link_slot(set.parent(s)) : set.parent(s)) {
    path.push_back(s);
    if (path.size() > set.size()) break;  // defensive: a cycle would be a bug
  }
  std::reverse(path.begin(), path.end());
  return path;
}

bool replay_path(const World& start, const Bounds& bounds, const Rules& rules, Canonicalizer& canon,
                 const FingerprintSet& set, std::span<const uint32_t> path, Trace& out) {
  out.start = start;
  out.steps.clear();
  World cur = start;
  std::vector<Call> calls;
  std::vector<uint8_t> packed;
  for (size_t i = 1; i < path.size(); ++i) {
    const uint64_t want = set.fingerprint(path[i]);
    calls.clear();
    enumerate_calls(cur, bounds, calls);
    bool found = false;
    for (const Call& c : calls) {
      TraceStep step{c, {}, {}, cur};
      step.outcome = apply(step.after, c, &step.changes, rules);
      canon.canonical(step.after, packed);
      const uint64_t fp = fingerprint(packed);
      if ((fp == 0 ? 1 : fp) != want) continue;
      if (set.exact() && set.find(fp, packed) != path[i]) continue;
      cur = step.after;
      out.steps.push_back(std::move(step));
      found = true;
      break;
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace entmc::engine
