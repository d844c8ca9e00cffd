#include "engine/state_codec.h"

#include <cstddef>
#include <type_traits>

namespace entmc::engine {

using codec::get;
using codec::put;

namespace {
// The runs of adjacent packed members of each record (the layout in
// state_codec.h): an account's membership and flags, then its GovCloud link;
// a license's product, status, home region and owner; a grant's license,
// grantor, grantee and parent, then (past the two index links, which are not
// packed) version, status, flags, allowed operations, home region, name and
// reason. No padding inside a run, so one copy per run writes the same bytes
// as one copy per member.
constexpr size_t kAccountHead = offsetof(Account, pad);
constexpr size_t kGrantHead = offsetof(Grant, next_received);
constexpr size_t kGrantTail = sizeof(Grant) - offsetof(Grant, version);
static_assert(offsetof(Account, membership) == 0 && offsetof(Account, flags) == 1 && kAccountHead == 2 &&
              kAccountHead + sizeof(AccountIx) == kPackedAccount);
static_assert(offsetof(License, product) == 0 && offsetof(License, status) == 2 && offsetof(License, home_region) == 3 &&
              offsetof(License, owner) == 4 && offsetof(License, first_grant) == kPackedLicense);
static_assert(offsetof(Grant, license) == 0 && offsetof(Grant, grantor) == 4 && offsetof(Grant, grantee) == 8 &&
              offsetof(Grant, parent) == 12 && kGrantHead == 16);
static_assert(offsetof(Grant, version) == 24 && offsetof(Grant, status) == 28 && offsetof(Grant, flags) == 29 &&
              offsetof(Grant, allowed_ops) == 30 && offsetof(Grant, home_region) == 31 && offsetof(Grant, name) == 32 &&
              offsetof(Grant, status_reason) == 34 && sizeof(Grant) == 36 && kGrantHead + kGrantTail == kPackedGrant);
// A record's bytes (all records are trivially copyable, with no padding).
template <typename T>
uint8_t* bytes_of(T& r) {
  static_assert(std::is_trivially_copyable_v<T>);
  return reinterpret_cast<uint8_t*>(&r);
}
template <typename T>
const uint8_t* bytes_of(const T& r) {
  static_assert(std::is_trivially_copyable_v<T>);
  return reinterpret_cast<const uint8_t*>(&r);
}

size_t packed_bytes(const World& w) {
  return kPackedHeader + kPackedOrg + w.accounts.size() * kPackedAccount + w.licenses.size() * kPackedLicense +
         w.grants.size() * kPackedGrant + w.org_grants.size() * 4 + w.running.size() + w.tokens.size() * 8;
}

void write_packed(const World& w, uint8_t* p) {
  put(p, uint16_t(w.licenses.size()));
  put(p, uint16_t(w.grants.size()));
  put(p, uint16_t(w.org_grants.size()));
  put(p, uint16_t(w.tokens.size()));
  std::memcpy(p, &w.org, sizeof w.org);
  p += sizeof w.org;
  // Each record's packed fields lie in runs of adjacent members with no
  // padding between them (the static_asserts above): one copy per run, in
  // the layout's order, gives the bytes of the field-by-field layout in
  // state_codec.h (tests/engine/state_codec_test.cpp writes it field by field
  // and compares).
  for (const Account& a : w.accounts) {
    std::memcpy(p, bytes_of(a), kAccountHead);
    std::memcpy(p + kAccountHead, bytes_of(a) + offsetof(Account, govcloud_link), sizeof(AccountIx));
    p += kPackedAccount;
  }
  for (const License& l : w.licenses) {
    std::memcpy(p, bytes_of(l), kPackedLicense);
    p += kPackedLicense;
  }
  for (const Grant& g : w.grants) {
    std::memcpy(p, bytes_of(g), kGrantHead);
    std::memcpy(p + kGrantHead, bytes_of(g) + offsetof(Grant, version), kGrantTail);
    p += kPackedGrant;
  }
  for (GrantIx g : w.org_grants) put(p, g);
  if (!w.running.empty()) std::memcpy(p, w.running.data(), w.running.size());
  p += w.running.size();
  for (const TokenRecord& t : w.tokens) {
    put(p, t.grant);
    put(p, t.version);
  }
}

}  // namespace

size_t packed_size(const uint8_t* p, size_t accounts, size_t products) {
  uint16_t nl = 0, ng = 0, no = 0, nt = 0;
  std::memcpy(&nl, p, 2);
  std::memcpy(&ng, p + 2, 2);
  std::memcpy(&no, p + 4, 2);
  std::memcpy(&nt, p + 6, 2);
  return kPackedHeader + kPackedOrg + accounts * kPackedAccount + nl * kPackedLicense + ng * kPackedGrant + no * 4u +
         accounts * products + nt * 8u;
}

void pack(const World& w, std::vector<uint8_t>& out) {
  const size_t start = out.size();
  out.resize(start + packed_bytes(w));
  write_packed(w, out.data() + start);
}

// Resizing a buffer zero-fills only what it adds: a reused buffer (the
// explorer packs every successor into the same one) is mostly overwritten as
// it is, where clear() and an append zero-filled the whole state first (a
// third of the encoder's instructions, measured).
void pack_replace(const World& w, std::vector<uint8_t>& out) {
  out.resize(packed_bytes(w));
  write_packed(w, out.data());
}

size_t unpack(const uint8_t* packed, World& w) {
  const uint8_t* p = packed;
  const auto nl = get<uint16_t>(p);
  const auto ng = get<uint16_t>(p);
  const auto no = get<uint16_t>(p);
  const auto nt = get<uint16_t>(p);
  std::memcpy(&w.org, p, sizeof w.org);
  p += sizeof w.org;
  for (Account& a : w.accounts) {
    std::memcpy(bytes_of(a), p, kAccountHead);
    std::memcpy(bytes_of(a) + offsetof(Account, govcloud_link), p + kAccountHead, sizeof(AccountIx));
    p += kPackedAccount;
  }
  w.licenses.resize(nl);
  for (License& l : w.licenses) {
    std::memcpy(bytes_of(l), p, kPackedLicense);
    p += kPackedLicense;
  }
  w.grants.resize(ng);
  for (Grant& g : w.grants) {
    std::memcpy(bytes_of(g), p, kGrantHead);
    std::memcpy(bytes_of(g) + offsetof(Grant, version), p + kGrantHead, kGrantTail);
    p += kPackedGrant;
  }
  w.org_grants.resize(no);
  for (GrantIx& g : w.org_grants) g = get<GrantIx>(p);
  if (!w.running.empty()) std::memcpy(w.running.data(), p, w.running.size());
  p += w.running.size();
  w.tokens.resize(nt);
  for (TokenRecord& t : w.tokens) {
    t.grant = get<GrantIx>(p);
    t.version = get<uint32_t>(p);
  }
  rebuild_indices(w);
  return size_t(p - packed);
}

// The lists are built exactly as the mutation helpers build them
// (model/changes_log.h: add_license, add_grant): each new record is pushed at
// the head of its owner's list, so replaying the creation order reproduces them.
void rebuild_indices(World& w) {
  w.first_received.assign(w.accounts.size() * w.products.size(), kNone);
  w.first_owned.assign(w.accounts.size() * w.products.size(), kNone);
  for (LicenseIx l = 0; l < w.licenses.size(); ++l) {
    License& lic = w.licenses[l];
    lic.first_grant = kNone;
    LicenseIx& head = w.first_owned[w.slot(lic.owner, lic.product)];
    lic.next_owned = head;
    head = l;
  }
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    Grant& gr = w.grants[g];
    gr.next_on_license = w.licenses[gr.license].first_grant;
    w.licenses[gr.license].first_grant = g;
    if (gr.grantee == kNone) {
      gr.next_received = kNone;
    } else {
      GrantIx& head = w.first_received[w.slot(gr.grantee, w.licenses[gr.license].product)];
      gr.next_received = head;
      head = g;
    }
  }
  rebuild_active_licenses(w);  // derived, not packed
}

}  // namespace entmc::engine
