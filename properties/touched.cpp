#include "properties/touched.h"

#include <algorithm>

namespace entmc::props {
namespace {

template <typename Rec>
void collect(std::vector<Touched::Entry<Rec>>& out, const std::vector<std::pair<uint32_t, Rec>>& log,
             uint32_t created_from, size_t size_after) {
  out.reserve(log.size() + (size_after > created_from ? size_after - created_from : 0));
  for (const auto& [ix, rec] : log) out.push_back({ix, &rec});
  // Changes may log a record more than once; the first entry is its before-image.
  // Most calls log one or two records in index order: no sort (whose
  // temporary buffer is an allocation) then.
  auto by_ix = [](const auto& a, const auto& b) { return a.ix < b.ix; };
  if (!std::is_sorted(out.begin(), out.end(), by_ix)) std::stable_sort(out.begin(), out.end(), by_ix);
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.ix == b.ix; }),
            out.end());
  for (size_t i = created_from; i < size_after; ++i) out.push_back({uint32_t(i), nullptr});
}

}  // namespace

Touched Touched::of(const World& after, const Changes& ch) {
  Touched t;
  collect(t.grants, ch.grants, ch.grants_before, after.grants.size());
  collect(t.licenses, ch.licenses, ch.licenses_before, after.licenses.size());
  collect(t.accounts, ch.accounts, uint32_t(after.accounts.size()), after.accounts.size());
  t.org_changed = ch.org_changed;
  if (ch.org_changed) t.org_before = &ch.org_before;
  return t;
}

void sort_unique(std::vector<uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace entmc::props
