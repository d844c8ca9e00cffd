// The call lists of the state shapes a worker has met. enumerate_calls gives
// a state the same calls as any other state of its shape (call_shape: the
// number of licenses and each grant's version, all it reads), and the states
// of a level come in a few hundred shapes, so each shape is enumerated once
// per worker instead of once per run of consecutive states that share it
// (re-enumerating was 7% of a run).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/bounds.h"
#include "model/call.h"
#include "model/world.h"

namespace entmc::engine {

class CallCache {
 public:
  // The calls of w's shape, in enumerate_calls order. Valid until the next
  // call of calls().
  const std::vector<Call>& calls(const World& w, const Bounds& b);

  size_t shapes() const { return entries_.size(); }

 private:
  struct Entry {
    std::vector<uint32_t> key;  // call_shape()
    std::vector<Call> calls;
  };
  // A bound on what the cache holds; past it the cache starts over.
  static constexpr size_t kMaxCalls = size_t(1) << 20;

  const Entry* last_ = nullptr;  // the previous state's shape: compared first
  std::vector<uint32_t> key_;
  std::unordered_multimap<uint64_t, std::unique_ptr<Entry>> entries_;
  size_t stored_calls_ = 0;
};

}  // namespace entmc::engine
