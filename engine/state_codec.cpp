#include "engine/state_codec.h"

namespace entmc::engine {

using codec::get;
using codec::put;

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
  const size_t size = kPackedHeader + kPackedOrg + w.accounts.size() * kPackedAccount +
                      w.licenses.size() * kPackedLicense + w.grants.size() * kPackedGrant + w.org_grants.size() * 4 +
                      w.running.size() + w.tokens.size() * 8;
  out.resize(start + size);
  uint8_t* p = out.data() + start;
  put(p, uint16_t(w.licenses.size()));
  put(p, uint16_t(w.grants.size()));
  put(p, uint16_t(w.org_grants.size()));
  put(p, uint16_t(w.tokens.size()));
  std::memcpy(p, &w.org, sizeof w.org);
  p += sizeof w.org;
  for (const Account& a : w.accounts) {
    put(p, a.membership);
    put(p, a.flags);
    put(p, a.govcloud_link);
  }
  for (const License& l : w.licenses) {
    put(p, l.product);
    put(p, l.status);
    put(p, l.home_region);
    put(p, l.owner);
  }
  for (const Grant& g : w.grants) {
    put(p, g.license);
    put(p, g.grantor);
    put(p, g.grantee);
    put(p, g.parent);
    put(p, g.version);
    put(p, g.status);
    put(p, g.flags);
    put(p, g.allowed_ops);
    put(p, g.home_region);
    put(p, g.name);
    put(p, g.status_reason);
  }
  for (GrantIx g : w.org_grants) put(p, g);
  if (!w.running.empty()) std::memcpy(p, w.running.data(), w.running.size());
  p += w.running.size();
  for (const TokenRecord& t : w.tokens) {
    put(p, t.grant);
    put(p, t.version);
  }
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
    a.membership = get<Membership>(p);
    a.flags = get<uint8_t>(p);
    a.govcloud_link = get<AccountIx>(p);
  }
  w.licenses.resize(nl);
  for (License& l : w.licenses) {
    l.product = get<ProductIx>(p);
    l.status = get<LicenseStatus>(p);
    l.home_region = get<Region>(p);
    l.owner = get<AccountIx>(p);
  }
  w.grants.resize(ng);
  for (Grant& g : w.grants) {
    g.license = get<LicenseIx>(p);
    g.grantor = get<AccountIx>(p);
    g.grantee = get<AccountIx>(p);
    g.parent = get<GrantIx>(p);
    g.version = get<uint32_t>(p);
    g.status = get<GrantStatus>(p);
    g.flags = get<uint8_t>(p);
    g.allowed_ops = get<uint8_t>(p);
    g.home_region = get<Region>(p);
    g.name = get<StringId>(p);
    g.status_reason = get<StringId>(p);
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
