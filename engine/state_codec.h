// The packed state encoding: a World's variable part written as a compact byte
// string for the BFS queue, for fingerprinting and for --exact storage.
//
// What is left out is what a run never changes (the products) and what is a
// function of the rest: the index fields (World::first_received, first_owned,
// first_grant, next_*) are a deterministic function of the records' creation
// order (model/world.h), so unpack() rebuilds them. A small world of 4
// accounts, 2 licenses and 4 grants packs into about 200 bytes instead of the
// ~400 bytes its vectors hold.
//
// Layout (little-endian, no padding):
//   u16 licenses, u16 grants, u16 org_grants, u16 tokens
//   Organization (12 bytes, raw)
//   per account  : membership u8, flags u8, govcloud_link u32
//   per license  : product u16, status u8, home_region u8, owner u32
//   per grant    : license, grantor, grantee, parent, version (u32 each),
//                  status, flags, allowed_ops, home_region (u8 each), name u16, reason u16
//   per org grant: u32
//   running      : accounts * products bytes
//   per token    : grant u32, version u32
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "model/world.h"

namespace entmc::engine {

inline constexpr size_t kPackedHeader = 8;
inline constexpr size_t kPackedOrg = sizeof(Organization);
inline constexpr size_t kPackedAccount = 6;
inline constexpr size_t kPackedLicense = 8;
inline constexpr size_t kPackedGrant = 28;

// The byte length of a packed state, read from its header.
size_t packed_size(const uint8_t* packed, size_t accounts, size_t products);

// Appends the packed form of `w` to `out`.
void pack(const World& w, std::vector<uint8_t>& out);
// Replaces `out` with the packed form of `w` (the same bytes as clear() then
// pack(), without zero-filling the part of `out` that is overwritten).
void pack_replace(const World& w, std::vector<uint8_t>& out);

// Overwrites `w` (whose products are already those of the run) with the packed
// state; reuses w's vectors' capacity, so a warm World unpacks without
// allocating. Rebuilds the index fields. Returns the bytes consumed.
size_t unpack(const uint8_t* packed, World& w);

// Recomputes every index field of `w` from the records' order (world.h).
// Also rebuilds World::first_received, World::first_owned and the derived World::active_licenses.
void rebuild_indices(World& w);

// Little helpers shared with the symmetry canonicaliser.
namespace codec {
template <typename T>
inline void put(uint8_t*& p, T v) {
  std::memcpy(p, &v, sizeof v);
  p += sizeof v;
}
template <typename T>
inline T get(const uint8_t*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}
}  // namespace codec

}  // namespace entmc::engine
