// The first entry per record index of a change log (Changes may log a record
// more than once; the first entry is its before-image), in index order.
// BeforeView and Touched read logs so, and the simulator's tallies.
#pragma once

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "properties/scratch.h"

namespace entmc::props {

// Sorts `v` by index(e), keeping the first entry per index. Most logs hold
// one or two records in order (no sort, so no sort buffer); an
// organization-wide call logs its records in strictly decreasing order (bulk
// activation walks the children newest first): reversed, not sorted.
template <typename T, typename IndexOf>
void keep_first_per_index(std::vector<T>& v, IndexOf index) {
  auto by_ix = [&](const T& a, const T& b) { return index(a) < index(b); };
  if (std::adjacent_find(v.begin(), v.end(), [&](const T& a, const T& b) { return index(a) <= index(b); }) == v.end())
    std::reverse(v.begin(), v.end());
  else if (!std::is_sorted(v.begin(), v.end(), by_ix))
    std::stable_sort(v.begin(), v.end(), by_ix);
  v.erase(std::unique(v.begin(), v.end(), [&](const T& a, const T& b) { return index(a) == index(b); }), v.end());
}

// The first before-image per index of one kind of record, in index order
// (Changes may log a record more than once; the first entry is its
// before-image). It is the change log itself, not a copy, when the log is
// strictly monotone: one or a few records in order, or an organization-wide
// call's million in decreasing order (bulk activation walks the children
// newest first), where a copy per property per call was a 40 MB allocation.
// Otherwise a sorted, deduplicated copy in a recycled buffer.
template <typename Ix, typename Rec>
class FirstImages {
 public:
  using Entry = std::pair<Ix, Rec>;

  void build(const std::vector<Entry>& log) {
    auto rises = [](const Entry& a, const Entry& b) { return a.first >= b.first; };  // not strictly rising
    auto falls = [](const Entry& a, const Entry& b) { return a.first <= b.first; };  // not strictly falling
    descending_ = false;
    if (std::adjacent_find(log.begin(), log.end(), rises) == log.end()) {
      view_ = log;
    } else if (std::adjacent_find(log.begin(), log.end(), falls) == log.end()) {
      view_ = log;
      descending_ = true;
    } else {
      take_buffer(copy_);
      copy_.assign(log.begin(), log.end());
      keep_first_per_index(copy_, [](const Entry& e) { return e.first; });
      view_ = copy_;
    }
  }
  // Gives the copy's buffer back (scratch.h).
  void release() { give_buffer(copy_); }

  const Rec* find(Ix ix) const {
    auto it = descending_ ? std::lower_bound(view_.begin(), view_.end(), ix,
                                             [](const Entry& e, Ix v) { return e.first > v; })
                          : std::lower_bound(view_.begin(), view_.end(), ix,
                                             [](const Entry& e, Ix v) { return e.first < v; });
    return it != view_.end() && it->first == ix ? &it->second : nullptr;
  }
  // f(const Entry&), in increasing index order.
  template <typename F>
  void for_each(F&& f) const {
    if (descending_)
      for (auto it = view_.rbegin(); it != view_.rend(); ++it) f(*it);
    else
      for (const Entry& e : view_) f(e);
  }

 private:
  std::span<const Entry> view_;
  bool descending_ = false;
  std::vector<Entry> copy_;
};

}  // namespace entmc::props
