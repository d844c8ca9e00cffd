// Symmetry reduction over interchangeable member accounts.
//
// Two accounts are interchangeable when nothing tells them apart: the same
// membership and flags in the start state, nothing owned, granted, received or
// running there, neither is the management account, the delegated
// administrator or part of a GovCloud link, and the bounds treat them alike
// (both or neither in callers, targets and principals). The rules and the
// properties name no account but the management account, so permuting such
// accounts maps reachable states to reachable states and violations to
// violations (Ip & Dill's scalarsets, as in Murphi).
//
// The canonical form of a state is the least packed encoding (state_codec.h)
// over the permutations of each class. Accounts are first ordered by a
// permutation-invariant signature, so only accounts with equal signatures are
// permuted (at most kMaxCandidates permutations; past that the result is a
// consistent representative, which is sound but may reduce less).
//
// Permuting accounts also permutes the order in which one CreateGrant to the
// organization created its children (one per member, in account order), so
// the canonical form sorts every run of consecutive children of the same
// parent by recipient; the rules never depend on that order.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/bounds.h"
#include "model/world.h"

namespace entmc::engine {

using SymmetryClasses = std::vector<std::vector<AccountIx>>;  // each sorted, size >= 2

SymmetryClasses find_symmetry(const World& start, const Bounds& bounds);

// Packs the canonical form of a state. One instance per thread (it keeps
// scratch buffers, so the hot path does not allocate).
class Canonicalizer {
 public:
  static constexpr size_t kMaxCandidates = 720;

  Canonicalizer() = default;
  explicit Canonicalizer(SymmetryClasses classes);

  // Clears `out` and writes the canonical packed form of `w` into it.
  void canonical(const World& w, std::vector<uint8_t>& out);
  const SymmetryClasses& classes() const { return classes_; }
  bool active() const { return !classes_.empty(); }

 private:
  void pack_permuted(const World& w, std::vector<uint8_t>& out);
  void try_candidates(const World& w, size_t group, std::vector<uint8_t>& best, bool& have_best);

  SymmetryClasses classes_;
  std::vector<int32_t> class_of_;  // per account: class index, or -1
  // scratch
  std::vector<uint64_t> sig_;
  std::vector<AccountIx> perm_, inv_;
  std::vector<GrantIx> gorder_, gnew_;
  std::vector<AccountIx> members_;  // per class, concatenated, sorted by signature
  struct TieGroup {
    uint32_t begin, end;  // positions in members_
  };
  std::vector<TieGroup> ties_;
  std::vector<uint32_t> class_begin_;  // position of each class in members_
  std::vector<uint8_t> tmp_;
  size_t candidates_ = 0;
};

}  // namespace entmc::engine
