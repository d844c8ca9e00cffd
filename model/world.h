// The World: one state of the managed-entitlements model, a plain value made
// of flat arrays of fixed-size records (types.h). Cheap to copy, compare and
// hash for the explorer; indexed (linked lists per account, per (account,
// product) and per license) so the simulator's calls cost what they touch, not
// the size of the organization.
// The index fields are a deterministic function of the creation order of the
// records, so they never distinguish states that are otherwise equal.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/types.h"

namespace entmc {

// Status reasons the model itself writes. They are interned strings with fixed
// ids; Names (names.h) starts with exactly these.
enum SystemReason : StringId {
  kReasonNone = 0,
  kReasonSubscriptionCancelled = 1,
  kReasonAccountLeftOrganization = 2,
  kReasonDelegatedAdminDeregistered = 3,
  kReasonReplacedByOverride = 4,
  kReasonActivationFailedActiveLicense = 5,
  kReasonActivationFailedLicenseUnavailable = 6,
  kFirstUserString = 7,
};

// Equal vectors of records without padding: equal sizes and equal bytes.
template <typename T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  static_assert(std::has_unique_object_representations_v<T>, "compared as bytes: no padding allowed");
  if (a.size() != b.size()) return false;
  // Inline, eight bytes at a time: these arrays are tens to hundreds of bytes,
  // where a memcmp call per array cost more than the comparison.
  const auto* p = reinterpret_cast<const unsigned char*>(a.data());
  const auto* q = reinterpret_cast<const unsigned char*>(b.data());
  const size_t n = a.size() * sizeof(T);
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, p + i, 8);
    std::memcpy(&y, q + i, 8);
    diff |= x ^ y;
  }
  for (; i < n; ++i) diff |= uint64_t(p[i] ^ q[i]);
  return diff == 0;
}

struct World {
  Organization org;
  std::vector<ProductType> products;  // fixed by the scenario
  std::vector<Account> accounts;
  std::vector<License> licenses;
  std::vector<Grant> grants;
  std::vector<GrantIx> org_grants;  // index: every grant to the organization ID, in creation order
  std::vector<uint8_t> running;     // running workloads per (account, product): [a * products.size() + p]
  std::vector<TokenRecord> tokens;  // per ClientToken id (0 unused)

  // Derived, not part of the state: the number of licenses active for each
  // (account, product), [a * products.size() + p]: the account's own AVAILABLE
  // subscriptions plus its ACTIVE grants on AVAILABLE licenses. Kept up to date
  // by the mutation helpers (changes_log.h) so that the one-active-license rule
  // and entitlement cost O(1) instead of a walk over every grant the account
  // ever received. A function of the fields above, so operator== and digest()
  // leave it out; rebuild_active_licenses() recomputes it from scratch (the
  // explorer's decoder does), active_licenses_consistent() compares.
  std::vector<uint16_t> active_licenses;

  // Index, not part of the state: the newest grant received by each (account,
  // product), [a * products.size() + p], the head of a list linked through
  // Grant::next_received, newest first. Per product, not per account, because
  // every question the rules and invariants ask of received grants names a
  // product (entitled? another active license? the child of this
  // organization grant?), and at a million accounts each hop of a list is a
  // cache miss: an account's whole list held its five organization children
  // and its own grants, where the list of one product holds one or two.
  // Built by add_grant (changes_log.h) in creation order, so, like
  // next_received, a deterministic function of the grants; operator== and
  // digest() leave it out (the grants' next_received links are compared).
  std::vector<GrantIx> first_received;

  // Index, not part of the state, likewise: the newest license each
  // (account, product) subscribed to, [a * products.size() + p], the head of
  // a list linked through License::next_owned. Per product for the same
  // reason: the rules and invariants that walk an account's subscriptions
  // (its own AVAILABLE subscription blocks an activation; the entitlement
  // and one-active-license scans) each ask about one product, and an account
  // that subscribed to every product many times made each of those walks
  // ten times longer than its answer needed. Built by add_license.
  std::vector<LicenseIx> first_owned;

  // The state: every field but the derived one. Compared as bytes: the
  // records have no padding (types.h), and the explorer compares every failed
  // call's world with its source, where a field-by-field compare was a tenth
  // of its time.
  bool operator==(const World& o) const {
    return org == o.org && same_bytes(products, o.products) && same_bytes(accounts, o.accounts) &&
           same_bytes(licenses, o.licenses) && same_bytes(grants, o.grants) && same_bytes(org_grants, o.org_grants) &&
           same_bytes(running, o.running) && same_bytes(tokens, o.tokens);
  }

  // Member-wise, no moves through a temporary (the explorer swaps worlds per successor).
  void swap(World& o) noexcept {
    std::swap(org, o.org);
    products.swap(o.products);
    accounts.swap(o.accounts);
    licenses.swap(o.licenses);
    grants.swap(o.grants);
    org_grants.swap(o.org_grants);
    running.swap(o.running);
    tokens.swap(o.tokens);
    active_licenses.swap(o.active_licenses);
    first_received.swap(o.first_received);
    first_owned.swap(o.first_owned);
  }

  size_t product_count() const { return products.size(); }
  // The index of (account, product) in running, active_licenses, first_received and first_owned.
  size_t slot(AccountIx a, ProductIx p) const { return size_t(a) * products.size() + p; }
  uint8_t running_at(AccountIx a, ProductIx p) const { return running[slot(a, p)]; }
  GrantIx first_received_at(AccountIx a, ProductIx p) const { return first_received[slot(a, p)]; }
  LicenseIx first_owned_at(AccountIx a, ProductIx p) const { return first_owned[slot(a, p)]; }
  bool valid_account(AccountIx a) const { return a < accounts.size(); }
  bool is_member(AccountIx a) const { return a < accounts.size() && accounts[a].membership != Membership::OUTSIDE; }

  // Stable 64-bit fingerprint of the whole state (fixed-seed XXH3, equal on
  // every run and machine).
  uint64_t digest() const;
};

// The kinds of record a call can change, as bits: what a property may read
// (Property::breaks_on) and what a change log holds (Changes::kinds).
enum ChangeKind : uint8_t {
  kOrgChange = 1 << 0,
  kAccountChange = 1 << 1,
  kLicenseChange = 1 << 2,  // a license changed or created
  // A grant created. A grant whose identity changed (Grant::same_identity;
  // never in the model) counts as created too, so that a property reading
  // only identities may leave out kGrantStatusChange.
  kGrantCreated = 1 << 3,
  kWorkloadChange = 1 << 4,
  kTokenChange = 1 << 5,
  // An existing grant changed, its identity kept: its status, version, name,
  // reason or bulk-activation flag. Most grant calls change nothing else.
  kGrantStatusChange = 1 << 6,
  kGrantChange = kGrantCreated | kGrantStatusChange,  // any change to the grants
  kEveryChange = (1 << 7) - 1,
};

// What one call changed: before-images of every record it modified, plus the
// sizes before it appended. Replay prints diffs from it, transition invariants
// read it, and the simulator checks invariants on exactly these records.
struct WorkloadChange {
  AccountIx account;
  ProductIx product;
  uint8_t before;
};

struct Changes {
  uint32_t licenses_before = 0;  // licenses at index >= this were created by the call
  uint32_t grants_before = 0;    // grants at index >= this were created by the call
  bool org_changed = false;
  Organization org_before;
  std::vector<std::pair<GrantIx, Grant>> grants;  // first entry per index is the before-image
  std::vector<std::pair<LicenseIx, License>> licenses;
  std::vector<std::pair<AccountIx, Account>> accounts;
  std::vector<WorkloadChange> workloads;
  std::vector<std::pair<TokenId, TokenRecord>> tokens;

  void swap(Changes& o) noexcept {
    std::swap(licenses_before, o.licenses_before);
    std::swap(grants_before, o.grants_before);
    std::swap(org_changed, o.org_changed);
    std::swap(org_before, o.org_before);
    grants.swap(o.grants);
    licenses.swap(o.licenses);
    accounts.swap(o.accounts);
    workloads.swap(o.workloads);
    tokens.swap(o.tokens);
  }

  void begin(const World& w) {
    licenses_before = uint32_t(w.licenses.size());
    grants_before = uint32_t(w.grants.size());
    org_changed = false;
    grants.clear();
    licenses.clear();
    accounts.clear();
    workloads.clear();
    tokens.clear();
  }
  bool empty(const World& w) const {
    return !org_changed && accounts.empty() && !licenses_changed(w) && !grants_changed(w) && workloads.empty() &&
           tokens.empty();
  }
  // Did the call change or create a license / a grant?
  bool licenses_changed(const World& w) const { return !licenses.empty() || w.licenses.size() != licenses_before; }
  bool grants_changed(const World& w) const { return !grants.empty() || w.grants.size() != grants_before; }
  // The kinds of record (ChangeKind bits) the call changed or created.
  uint8_t kinds(const World& w) const {
    return uint8_t((org_changed ? kOrgChange : 0) | (accounts.empty() ? 0 : kAccountChange) |
                   (licenses_changed(w) ? kLicenseChange : 0) | grant_kinds(w) |
                   (workloads.empty() ? 0 : kWorkloadChange) | (tokens.empty() ? 0 : kTokenChange));
  }
  // kGrantCreated and kGrantStatusChange: read from the grants themselves, so
  // that a rule which changed an identity (a bug) is still seen as one.
  uint8_t grant_kinds(const World& w) const {
    uint8_t k = w.grants.size() != grants_before ? kGrantCreated : 0;
    for (const auto& [g, before] : grants) {
      if (!before.same_identity(w.grants[g])) return kGrantChange;
      k |= kGrantStatusChange;
    }
    return k;
  }
};

// Builds a world with `products`, no accounts and an organization whose
// management account is added by the caller (see add_account).
World make_world(FeatureSet fs, std::vector<ProductType> products, size_t token_count);
AccountIx add_account(World& w, Membership m, uint8_t flags = 0, AccountIx govcloud_link = kNone);

// World::active_licenses from scratch (every license and grant once).
void rebuild_active_licenses(World& w);
// Does World::active_licenses equal a from-scratch recount? For tests and the
// simulator's full checks.
bool active_licenses_consistent(const World& w);
// Do World::first_received and every grant's next_received equal the lists
// that linking the grants in creation order builds? For tests.
bool received_index_consistent(const World& w);
// Do World::first_owned and every license's next_owned equal the lists that
// linking the licenses in creation order builds? For tests.
bool owned_index_consistent(const World& w);

}  // namespace entmc
