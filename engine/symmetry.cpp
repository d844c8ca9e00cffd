#include "engine/symmetry.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>

#include "engine/state_codec.h"

namespace entmc::engine {

using codec::put;

namespace {

bool contains(const std::vector<AccountIx>& v, AccountIx a) { return std::find(v.begin(), v.end(), a) != v.end(); }

constexpr uint64_t mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

SymmetryClasses find_symmetry(const World& w, const Bounds& b) {
  const size_t n = w.accounts.size();
  std::vector<bool> excluded(n, false);
  if (w.org.management < n) excluded[w.org.management] = true;
  if (w.org.delegated_admin < n) excluded[w.org.delegated_admin] = true;
  for (AccountIx a = 0; a < n; ++a) {
    const Account& acc = w.accounts[a];
    if (acc.flags & kGovCloud) excluded[a] = true;
    if (acc.govcloud_link < n) excluded[acc.govcloud_link] = true;
    for (size_t p = 0; p < w.products.size(); ++p)
      if (w.running_at(a, ProductIx(p))) excluded[a] = true;
  }
  for (const License& l : w.licenses)
    if (l.owner < n) excluded[l.owner] = true;
  for (const Grant& g : w.grants) {
    if (g.grantor < n) excluded[g.grantor] = true;
    if (g.grantee < n) excluded[g.grantee] = true;
  }
  using Key = std::tuple<Membership, uint8_t, bool, bool, bool>;
  std::map<Key, std::vector<AccountIx>> groups;
  for (AccountIx a = 0; a < n; ++a) {
    if (excluded[a]) continue;
    const Account& acc = w.accounts[a];
    groups[Key{acc.membership, acc.flags, contains(b.callers, a), contains(b.targets, a), contains(b.principals, a)}]
        .push_back(a);
  }
  SymmetryClasses classes;
  for (auto& [key, members] : groups)
    if (members.size() >= 2) classes.push_back(members);
  std::sort(classes.begin(), classes.end());
  return classes;
}

Canonicalizer::Canonicalizer(SymmetryClasses classes) : classes_(std::move(classes)) {
  AccountIx max = 0;
  for (const auto& c : classes_)
    for (AccountIx a : c) max = std::max(max, a);
  class_of_.assign(classes_.empty() ? 0 : max + 1, -1);
  for (size_t k = 0; k < classes_.size(); ++k)
    for (AccountIx a : classes_[k]) class_of_[a] = int32_t(k);
}

void Canonicalizer::canonical(const World& w, std::vector<uint8_t>& out) {
  if (classes_.empty()) {
    pack_replace(w, out);
    return;
  }
  out.clear();
  const size_t n = w.accounts.size();
  // 1. Permutation-invariant signatures: what an account owns, receives,
  //    grants and runs, naming other accounts only by their class.
  auto role = [&](AccountIx a) -> uint64_t {
    if (a < class_of_.size() && class_of_[a] >= 0) return (1ull << 40) | uint64_t(class_of_[a]);
    return uint64_t(a) + 7;
  };
  auto in_class = [&](AccountIx a) { return a < class_of_.size() && class_of_[a] >= 0; };
  sig_.assign(n, 0);
  for (AccountIx a = 0; a < class_of_.size(); ++a) {
    if (class_of_[a] < 0) continue;
    const Account& acc = w.accounts[a];
    uint64_t s = mix(uint64_t(acc.membership) << 8 | acc.flags);
    s = mix(s ^ (w.org.delegated_admin == a ? 0x51 : 0x17));
    for (size_t p = 0; p < w.products.size(); ++p) s = mix(s ^ (uint64_t(w.running_at(a, ProductIx(p))) << 16 | p));
    sig_[a] = s;
  }
  for (const License& l : w.licenses)
    if (in_class(l.owner)) sig_[l.owner] += mix(0x1000 | uint64_t(l.product) << 16 | uint64_t(l.status) << 32);
  for (const Grant& g : w.grants) {
    const uint64_t body = uint64_t(g.status) | uint64_t(g.flags) << 8 | uint64_t(g.version) << 16 |
                          uint64_t(w.licenses[g.license].product) << 40 | uint64_t(g.parent != kNone) << 56;
    if (in_class(g.grantee)) sig_[g.grantee] += mix(mix(body ^ 0x2000) ^ role(g.grantor));
    if (in_class(g.grantor)) sig_[g.grantor] += mix(mix(body ^ 0x3000) ^ role(g.grantee));
  }
  // 2. Members of each class sorted by signature; equal signatures tie.
  members_.clear();
  ties_.clear();
  class_begin_.clear();
  for (const auto& c : classes_) {
    class_begin_.push_back(uint32_t(members_.size()));
    const auto begin = members_.size();
    members_.insert(members_.end(), c.begin(), c.end());
    std::sort(members_.begin() + long(begin), members_.end(), [&](AccountIx x, AccountIx y) {
      return sig_[x] != sig_[y] ? sig_[x] < sig_[y] : x < y;
    });
    for (size_t i = begin; i < members_.size();) {
      size_t j = i + 1;
      while (j < members_.size() && sig_[members_[j]] == sig_[members_[i]]) ++j;
      if (j - i > 1) ties_.push_back({uint32_t(i), uint32_t(j)});
      i = j;
    }
  }
  perm_.resize(n);
  inv_.resize(n);
  for (AccountIx a = 0; a < n; ++a) perm_[a] = a;
  // 3. The least encoding over the permutations of tied accounts.
  candidates_ = 0;
  bool have_best = false;
  try_candidates(w, 0, out, have_best);
}

void Canonicalizer::try_candidates(const World& w, size_t group, std::vector<uint8_t>& best, bool& have_best) {
  if (group == ties_.size()) {
    if (have_best && candidates_ >= kMaxCandidates) return;
    ++candidates_;
    for (size_t k = 0; k < classes_.size(); ++k)
      for (size_t i = 0; i < classes_[k].size(); ++i) perm_[members_[class_begin_[k] + i]] = classes_[k][i];
    if (!have_best) {
      pack_permuted(w, best);
      have_best = true;
      return;
    }
    tmp_.clear();
    pack_permuted(w, tmp_);
    if (tmp_ < best) best.swap(tmp_);
    return;
  }
  auto first = members_.begin() + ties_[group].begin;
  auto last = members_.begin() + ties_[group].end;
  // members within a tie are sorted by index, the first permutation
  do {
    try_candidates(w, group + 1, best, have_best);
  } while (std::next_permutation(first, last));
}

void Canonicalizer::pack_permuted(const World& w, std::vector<uint8_t>& out) {
  const size_t n = w.accounts.size();
  auto m = [&](AccountIx a) { return a < n ? perm_[a] : a; };
  for (AccountIx a = 0; a < n; ++a) inv_[perm_[a]] = a;
  // Grant order: runs of consecutive children of one parent, sorted by recipient.
  const size_t ng = w.grants.size();
  gorder_.resize(ng);
  gnew_.resize(ng);
  for (GrantIx g = 0; g < ng; ++g) gorder_[g] = g;
  for (size_t i = 0; i < ng;) {
    size_t j = i + 1;
    if (w.grants[i].parent != kNone)
      while (j < ng && w.grants[j].parent == w.grants[i].parent) ++j;
    if (j - i > 1)
      std::stable_sort(gorder_.begin() + long(i), gorder_.begin() + long(j),
                       [&](GrantIx x, GrantIx y) { return m(w.grants[x].grantee) < m(w.grants[y].grantee); });
    i = j;
  }
  for (GrantIx g = 0; g < ng; ++g) gnew_[gorder_[g]] = g;
  auto mg = [&](GrantIx g) { return g < ng ? gnew_[g] : g; };

  const size_t start = out.size();
  const size_t size = kPackedHeader + kPackedOrg + n * kPackedAccount + w.licenses.size() * kPackedLicense +
                      ng * kPackedGrant + w.org_grants.size() * 4 + w.running.size() + w.tokens.size() * 8;
  out.resize(start + size);
  uint8_t* p = out.data() + start;
  put(p, uint16_t(w.licenses.size()));
  put(p, uint16_t(ng));
  put(p, uint16_t(w.org_grants.size()));
  put(p, uint16_t(w.tokens.size()));
  Organization org = w.org;
  org.management = m(org.management);
  org.delegated_admin = m(org.delegated_admin);
  std::memcpy(p, &org, sizeof org);
  p += sizeof org;
  for (AccountIx na = 0; na < n; ++na) {
    const Account& a = w.accounts[inv_[na]];
    put(p, a.membership);
    put(p, a.flags);
    put(p, m(a.govcloud_link));
  }
  for (const License& l : w.licenses) {
    put(p, l.product);
    put(p, l.status);
    put(p, l.home_region);
    put(p, m(l.owner));
  }
  for (GrantIx ng_ix = 0; ng_ix < ng; ++ng_ix) {
    const Grant& g = w.grants[gorder_[ng_ix]];
    put(p, g.license);
    put(p, m(g.grantor));
    put(p, m(g.grantee));
    put(p, mg(g.parent));
    put(p, g.version);
    put(p, g.status);
    put(p, g.flags);
    put(p, g.allowed_ops);
    put(p, g.home_region);
    put(p, g.name);
    put(p, g.status_reason);
  }
  for (GrantIx g : w.org_grants) put(p, mg(g));
  const size_t np = w.products.size();
  for (AccountIx na = 0; na < n; ++na) {
    if (np) std::memcpy(p, w.running.data() + size_t(inv_[na]) * np, np);
    p += np;
  }
  for (const TokenRecord& t : w.tokens) {
    put(p, mg(t.grant));
    put(p, t.version);
  }
}

}  // namespace entmc::engine
