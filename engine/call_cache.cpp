#include "engine/call_cache.h"

#include <xxhash.h>

namespace entmc::engine {

const std::vector<Call>& CallCache::calls(const World& w, const Bounds& b) {
  call_shape(w, key_);
  if (last_ && last_->key == key_) return last_->calls;
  const uint64_t h = XXH3_64bits(key_.data(), key_.size() * sizeof(uint32_t));
  auto [begin, end] = entries_.equal_range(h);
  for (auto it = begin; it != end; ++it)
    if (it->second->key == key_) {
      last_ = it->second.get();
      return last_->calls;
    }
  if (stored_calls_ > kMaxCalls) {
    entries_.clear();
    stored_calls_ = 0;
  }
  auto e = std::make_unique<Entry>();
  e->key = key_;
  enumerate_calls(w, b, e->calls);
  stored_calls_ += e->calls.size();
  last_ = e.get();
  entries_.emplace(h, std::move(e));
  return last_->calls;
}

}  // namespace entmc::engine
