#include "properties/touched.h"

#include "properties/first_images.h"
#include "properties/property.h"

namespace entmc::props {
namespace {

template <typename Rec>
void collect(std::vector<Touched::Entry<Rec>>& out, const std::vector<std::pair<uint32_t, Rec>>& log,
             uint32_t created_from, size_t size_after) {
  out.reserve(log.size() + (size_after > created_from ? size_after - created_from : 0));
  for (const auto& [ix, rec] : log) out.push_back({ix, &rec});
  if (log.size() > 1)  // most calls log one record of a kind, or none
    keep_first_per_index(out, [](const Touched::Entry<Rec>& e) { return e.ix; });
  for (size_t i = created_from; i < size_after; ++i) out.push_back({uint32_t(i), nullptr});
}

}  // namespace

namespace {

struct Slot {
  Touched touched;
  const World* after = nullptr;  // what `touched` describes, inside a scope
  const Changes* changes = nullptr;
  int scopes = 0;
};

Slot& slot() {
  thread_local Slot s;
  return s;
}

// Keeps small buffers, frees an organization-wide event's.
template <typename T>
void reset(std::vector<T>& v) {
  if (v.capacity() > (size_t(1) << 12)) std::vector<T>().swap(v);
  v.clear();
}

// Reads the call's change log into the slot. Out of line, so that the path
// every local check but the first of an event takes (the record is already
// read) saves no registers and sets up no frame.
[[gnu::noinline]] const Touched& read_into(Slot& s, const World& after, const Changes& ch) {
  Touched& t = s.touched;
  reset(t.grants);
  reset(t.licenses);
  reset(t.accounts);
  collect(t.grants, ch.grants, ch.grants_before, after.grants.size());
  collect(t.licenses, ch.licenses, ch.licenses_before, after.licenses.size());
  collect(t.accounts, ch.accounts, uint32_t(after.accounts.size()), after.accounts.size());
  t.org_changed = ch.org_changed;
  t.org_before = ch.org_changed ? &ch.org_before : nullptr;
  s.after = s.scopes > 0 ? &after : nullptr;
  s.changes = s.scopes > 0 ? &ch : nullptr;
  return t;
}

}  // namespace

const Touched& Touched::of(const World& after, const Changes& ch) {
  Slot& s = slot();
  if (s.scopes > 0 && s.after == &after && s.changes == &ch) [[likely]]
    return s.touched;
  return read_into(s, after, ch);
}

}  // namespace entmc::props

namespace entmc {

LocalCheckScope::LocalCheckScope() { ++props::slot().scopes; }

LocalCheckScope::~LocalCheckScope() {
  props::Slot& s = props::slot();
  if (--s.scopes == 0) {
    s.after = nullptr;
    s.changes = nullptr;
  }
}

}  // namespace entmc
