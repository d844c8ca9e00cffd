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

namespace {
// The replay both kinds of path share: step i goes to the first call (in
// enumeration order) whose successor has fingerprint want(i) and that
// accept(i, fp, packed) takes.
template <typename Want, typename Accept>
bool replay(const World& start, const Bounds& bounds, const Rules& rules, Canonicalizer& canon, size_t steps,
            Want&& want, Accept&& accept, Trace& out) {
  out.start = start;
  out.steps.clear();
  World cur = start;
  std::vector<Call> calls;
  std::vector<uint8_t> packed;
  for (size_t i = 1; i <= steps; ++i) {
    const uint64_t wanted = want(i);
    calls.clear();
    enumerate_calls(cur, bounds, calls);
    bool found = false;
    for (const Call& c : calls) {
      TraceStep step{c, {}, {}, cur};
      step.outcome = apply(step.after, c, &step.changes, rules);
      canon.canonical(step.after, packed);
      const uint64_t fp = fingerprint(packed);
      if ((fp == 0 ? 1 : fp) != wanted || !accept(i, fp, packed)) continue;
      cur = step.after;
      out.steps.push_back(std::move(step));
      found = true;
      break;
    }
    if (!found) return false;
  }
  return true;
}
}  // namespace

bool replay_path(const World& start, const Bounds& bounds, const Rules& rules, Canonicalizer& canon,
                 const FingerprintSet& set, std::span<const uint32_t> path, Trace& out) {
  return replay(
      start, bounds, rules, canon, path.empty() ? 0 : path.size() - 1, [&](size_t i) { return set.fingerprint(path[i]); },
      [&](size_t i, uint64_t fp, const std::vector<uint8_t>& packed) {
        return !set.exact() || set.find(fp, packed) == path[i];
      },
      out);
}

bool replay_fingerprints(const World& start, const Bounds& bounds, const Rules& rules, Canonicalizer& canon,
                         std::span<const uint64_t> fps, Trace& out) {
  return replay(
      start, bounds, rules, canon, fps.empty() ? 0 : fps.size() - 1,
      [&](size_t i) { return fps[i] == 0 ? uint64_t(1) : fps[i]; },
      [](size_t, uint64_t, const std::vector<uint8_t>&) { return true; }, out);
}

}  // namespace entmc::engine
