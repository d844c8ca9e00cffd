#include "sim/generator.h"

#include <algorithm>
#include <cmath>

#include "model/entitlement.h"
#include "model/memory_hints.h"

namespace entmc::sim {
namespace {

constexpr uint8_t kListedOutside = 1;
constexpr uint8_t kListedInvited = 2;
constexpr int kTries = 4;  // draws from a lazy index before giving up on a meaningful target

// Removes v[i] by moving the last element into its place.
template <typename T>
void swap_remove(std::vector<T>& v, size_t i) {
  v[i] = v.back();
  v.pop_back();
}

}  // namespace

EventGenerator::EventGenerator(const SimConfig& c, const InitialOrg& o, Names& names)
    : stream_start_(stream_start(c.seed)),
      management_(o.management),
      first_member_(o.first_member),
      member_end_(o.member_end) {
  invalid_threshold_ = uint32_t(std::min(c.invalid_share, 1.0) * 4294967295.0);
  double total = 0;
  for (double w : c.mix) total += w;
  // The kind drawn is the number of thresholds (cumulative weights over
  // 2^53) at or below the draw; the last kind's, 2^53, is above every draw
  // (it absorbs rounding at the top) and is left out.
  double cum = 0;
  std::array<uint64_t, kDrawnKindCount - 1> thresholds{};
  for (size_t k = 0; k < thresholds.size(); ++k) {
    cum += c.mix[k];
    // A weight 1e-9 of the total still gets ~9e6 values.
    thresholds[k] = c.mix[k] > 0 ? uint64_t(std::ldexp(cum / total, 53)) : 0;
    if (k > 0 && c.mix[k] == 0) thresholds[k] = thresholds[k - 1];
  }
  kind_table_ = ThresholdTable<kDrawnKindCount - 1>(thresholds);
  for (size_t i = 0; i < grant_names_.size(); ++i)
    grant_names_[i] = names.intern_string(std::string("sim-grant-") + char('a' + i));
  // The lazy indexes are drawn from at random, one cache and TLB miss per
  // draw at a million accounts: reserved at the sizes the world's arrays were
  // reserved at (Simulation::setup; untouched pages cost no memory) and
  // advised for huge pages before they are written (memory_hints.h).
  licenses_.reserve(o.world.licenses.capacity());
  org_license_.reserve(o.world.licenses.capacity());
  advise_huge_pages(licenses_);
  advise_huge_pages(org_license_);
  // The grant pools (each at most every grant the world has room for, but
  // for entries listed twice) and the running index (every slot) likewise:
  // grown by doubling, they landed on 4 KiB pages.
  for (auto& pool : grant_pools_) {
    pool.reserve(o.world.grants.capacity());
    advise_huge_pages(pool);
  }
  running_.reserve(o.world.accounts.capacity() * o.world.products.size());
  advise_huge_pages(running_);
  for (uint64_t e = 0; e < upcoming_.size(); ++e) upcoming_[e] = upcoming_of(e);
  account_listed_.assign(o.world.accounts.size(), 0);
  for (AccountIx a = o.member_end; a < o.world.accounts.size(); ++a) {
    outside_.push_back(a);
    account_listed_[a] = kListedOutside;
  }
}

int EventGenerator::pool_of(GrantStatus s) {
  switch (s) {
    case GrantStatus::PENDING_ACCEPT: return kPendingPool;
    case GrantStatus::ACTIVE: return kActivePool;
    case GrantStatus::DISABLED: return kDisabledPool;
    default: return -1;
  }
}

GrantStatus EventGenerator::wanted_status(EventKind kind) {
  switch (kind) {
    case EventKind::ActivateGrant:
    case EventKind::DeleteGrant: return GrantStatus::DISABLED;
    case EventKind::DeactivateGrant:
    case EventKind::RenameGrant: return GrantStatus::ACTIVE;
    default: return GrantStatus::PENDING_ACCEPT;
  }
}

// Lists an account grant in the pool of its current status. Called when a
// grant is created or enters a status: an entry that went stale in between is
// still listed when the grant comes back to that status only if no draw has
// dropped it yet, so a few grants are listed twice (drawn twice as often) for
// a while. A per-grant "listed" flag would prevent that at the cost of one
// more page read per grant event at a million accounts (docs/simulator.md).
void EventGenerator::list_grant(const World& w, GrantIx g) {
  if (w.grants[g].status == GrantStatus::REJECTED) rejected_.push_back(g);  // for wrong_semantics
  const int p = pool_of(w.grants[g].status);
  if (p < 0) return;
  auto& pool = grant_pools_[size_t(p)];
  if (pool.empty() || pool.back() != g) pool.push_back(g);  // a call may log a grant twice in a row
}

// The number of thresholds at or below the draw (threshold_table.h).
EventKind EventGenerator::kind_for(uint64_t draw) const { return static_cast<EventKind>(kind_table_.count(draw)); }

EventGenerator::Upcoming EventGenerator::upcoming_of(uint64_t event) const {
  Upcoming u;
  u.seed = event_seed(stream_start_, event);
  Rng r(u.seed);
  u.kind = kind_for(r.next() >> 11);  // an event's first draw
  return u;
}

// Mirrors next() -> make() up to the first draw that reads
// the world: some_member() and the product; StopWorkload's first try in
// running_; live_grant()'s first try in its pool, or, for the one in three
// activations and deactivations of an organization child, org_parent()'s
// first try and the member some_member() draws; live_license()'s first try
// and, for a grant to an account, the recipient drawn after it.
EventGenerator::NextCaller EventGenerator::peek(const World& w, uint64_t ahead, bool read_entries) const {
  const Upcoming& u = upcoming(events_ + ahead - 1);
  Rng r(u.seed);
  r.skip();  // the kind
  NextCaller next;
  const auto products = uint32_t(w.products.size());
  const EventKind kind = u.kind;
  next.kind = kind;
  switch (kind) {
    case EventKind::LaunchWorkload:
    case EventKind::Subscribe:
    case EventKind::LeaveOrganization:
      if (member_end_ == first_member_) break;
      next.account = first_member_ + r.below(member_end_ - first_member_);
      if (kind != EventKind::LeaveOrganization) next.product = ProductIx(r.below(products));
      break;
    case EventKind::StopWorkload: {
      if (member_end_ != first_member_) r.below(member_end_ - first_member_);  // some_member()
      r.below(products);
      if (running_.empty() || products == 0) break;
      next.entry = &running_[r.index(uint32_t(running_.size()))];
      if (!read_entries) break;
      next.account = AccountIx(*next.entry / products);
      next.product = ProductIx(*next.entry % products);
      break;
    }
    case EventKind::ActivateGrant:
    case EventKind::DeactivateGrant:
      if (r.below(3) == 0) {  // an organization child: org_parent()'s first try, then some_member()
        if (w.org_grants.empty() || member_end_ == first_member_) break;
        const GrantIx parent = w.org_grants[r.below(uint32_t(w.org_grants.size()))];
        if (is_terminal(w.grants[parent].status)) break;  // org_parent() would try again
        next.account = first_member_ + r.below(member_end_ - first_member_);
        next.product = product_of_grant(w, parent);
        break;
      }
      [[fallthrough]];
    case EventKind::AcceptGrant:
    case EventKind::RejectGrant:
    case EventKind::AcceptAndActivateGrant:
    case EventKind::RenameGrant:
    case EventKind::DeleteGrant: {
      const auto& pool = grant_pools_[size_t(pool_of(wanted_status(kind)))];
      if (pool.empty()) break;
      next.entry = &pool[r.index(uint32_t(pool.size()))];
      if (read_entries) next.grant = *next.entry;
      break;
    }
    case EventKind::CancelSubscription:
    case EventKind::DeactivateLicense:
    case EventKind::ExpireLicense:
    case EventKind::CreateGrant:
      if (!licenses_.empty()) {
        next.entry = &licenses_[r.index(uint32_t(licenses_.size()))];
        if (read_entries) next.license = *next.entry;
      }
      // make(): the recipient is any_account()'s draw after live_license()'s
      // (its first, when the first license it tried was live).
      if (kind == EventKind::CreateGrant && w.accounts.size() > 1)
        next.grantee = AccountIx(1 + r.below(uint32_t(w.accounts.size() - 1)));
      break;
    default:
      break;
  }
  return next;
}

AccountIx EventGenerator::some_member(const World& w) {
  // Members are dense in [first_member, member_end); those that left are
  // few, and a call by them is a realistic error.
  (void)w;
  if (member_end_ == first_member_) return management_;
  return first_member_ + rng_.below(member_end_ - first_member_);
}

LicenseIx EventGenerator::live_license(const World& w, bool distributable) {
  for (int t = 0; t < kTries && !licenses_.empty(); ++t) {
    const size_t i = rng_.index(uint32_t(licenses_.size()));
    const LicenseIx l = licenses_[i];
    if (live(w, kLicenseIndex, l)) {
      if (distributable && w.products[w.licenses[l].product] == ProductType::SAAS) continue;
      drawn_ = {kLicenseIndex, uint32_t(i), l};
      return l;
    }
    swap_remove(licenses_, i);
  }
  // Nothing live found: an unknown license (the call fails). Never a random
  // index: that could be an organization-distributed license, and cancelling
  // one touches every member.
  return LicenseIx(w.licenses.size());
}

// A grant in status `want`, else kNone. Entries whose grant changed status
// since it was listed are dropped as they are drawn (observe() listed the
// grant again under its new status).
GrantIx EventGenerator::live_grant(const World& w, GrantStatus want) {
  const int p = pool_of(want);
  auto& pool = grant_pools_[size_t(p)];
  for (int t = 0; t < kTries && !pool.empty(); ++t) {
    const size_t i = rng_.index(uint32_t(pool.size()));
    const GrantIx g = pool[i];
    if (live(w, uint8_t(p), g)) {
      drawn_ = {uint8_t(p), uint32_t(i), g};
      return g;
    }
    swap_remove(pool, i);
  }
  return kNone;
}

GrantIx EventGenerator::org_parent(const World& w) {
  if (w.org_grants.empty()) return kNone;
  GrantIx g = kNone;
  for (int t = 0; t < kTries; ++t) {  // prefer a live distribution
    g = w.org_grants[rng_.below(uint32_t(w.org_grants.size()))];
    if (!is_terminal(w.grants[g].status)) break;
  }
  return g;
}

GrantIx EventGenerator::org_child(const World& w, GrantStatus want) {
  GrantIx fallback = kNone;
  for (int t = 0; t < 2; ++t) {
    const GrantIx parent = org_parent(w);
    if (parent == kNone) return kNone;
    const GrantIx g = find_org_child(w, parent, some_member(w));
    if (g == kNone) continue;
    if (w.grants[g].status == want) return g;
    fallback = g;
  }
  return fallback;
}

Call EventGenerator::next(const World& w, EventKind& kind, bool& invalid) {
  drawn_ = Drawn{};
  const Upcoming& u = upcoming(events_);
  rng_ = Rng(u.seed);
  rng_.skip();  // the kind, drawn when the event came into the lookahead
  kind = u.kind;
  upcoming_[events_ % upcoming_.size()] = upcoming_of(events_ + upcoming_.size());
  ++events_;
  Call c = make(w, kind);
  invalid = invalid_threshold_ != 0 && rng_.chance(invalid_threshold_);
  wrong_ = Wrong::None;
  if (invalid) corrupt(w, c, kind);
  return c;
}

Call EventGenerator::make(const World& w, EventKind kind) {
  Call c;
  c.caller = management_;
  const auto products = uint32_t(w.products.size());
  switch (kind) {
    case EventKind::Subscribe:
      c.op = Op::Subscribe;
      c.caller = some_member(w);
      c.product = ProductIx(rng_.below(products));
      break;
    case EventKind::CancelSubscription:
    case EventKind::DeactivateLicense:
    case EventKind::ExpireLicense: {
      c.op = kind == EventKind::CancelSubscription ? Op::CancelSubscription
             : kind == EventKind::DeactivateLicense ? Op::DeactivateLicense
                                                     : Op::ExpireLicense;
      c.license = live_license(w);
      c.caller = kind == EventKind::CancelSubscription ? (c.license < w.licenses.size() ? w.licenses[c.license].owner
                                                                                        : management_)
                                                       : kIssuer;
      break;
    }
    case EventKind::CreateGrant: {
      c.op = Op::CreateGrant;
      c.license = live_license(w, true);
      if (c.license < w.licenses.size()) c.caller = w.licenses[c.license].owner;
      c.account = any_account(w);
      if (c.account == c.caller) c.account = management_;
      break;
    }
    case EventKind::AcceptGrant:
    case EventKind::RejectGrant:
    case EventKind::AcceptAndActivateGrant: {
      c.op = kind == EventKind::AcceptGrant   ? Op::AcceptGrant
             : kind == EventKind::RejectGrant ? Op::RejectGrant
                                              : Op::AcceptAndActivateGrant;
      c.grant = live_grant(w, wanted_status(kind));
      if (c.grant == kNone) c.grant = GrantIx(w.grants.size());  // nothing live: an unknown grant
      if (c.grant < w.grants.size() && w.grants[c.grant].grantee != kNone) c.caller = w.grants[c.grant].grantee;
      break;
    }
    case EventKind::ActivateGrant:
    case EventKind::DeactivateGrant:
    case EventKind::RenameGrant: {
      c.op = Op::CreateGrantVersion;
      const GrantStatus want = wanted_status(kind);
      // A third of the status changes go to organization children (individual
      // activation by the administrator, self-activation by the recipient).
      const bool child = kind != EventKind::RenameGrant && rng_.below(3) == 0;
      c.grant = child ? org_child(w, want) : live_grant(w, want);
      if (c.grant == kNone) c.grant = child ? live_grant(w, want) : org_child(w, want);
      if (c.grant == kNone) c.grant = GrantIx(w.grants.size());  // nothing live: an unknown grant
      if (c.grant < w.grants.size()) {
        const Grant& g = w.grants[c.grant];
        c.caller = (kind == EventKind::RenameGrant || g.grantee == kNone || rng_.below(2)) ? g.grantor : g.grantee;
        if (rng_.below(2)) c.version = g.version;
      }
      if (kind == EventKind::RenameGrant) {
        c.name = grant_names_[rng_.below(uint32_t(grant_names_.size()))];
      } else {
        c.has_status = true;
        c.status = kind == EventKind::ActivateGrant ? GrantStatus::ACTIVE : GrantStatus::DISABLED;
        if (kind == EventKind::ActivateGrant && rng_.below(8) == 0)
          c.override_behavior = ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER;
      }
      break;
    }
    case EventKind::DeleteGrant:
      c.op = Op::DeleteGrant;
      c.grant = live_grant(w, wanted_status(kind));
      if (c.grant == kNone) c.grant = GrantIx(w.grants.size());  // nothing live: an unknown grant
      if (c.grant < w.grants.size()) {
        c.caller = w.grants[c.grant].grantor;
        c.version = w.grants[c.grant].version;
      } else {
        c.version = 1;
      }
      break;
    case EventKind::InviteAccount: {
      c.op = Op::InviteAccountToOrganization;
      c.account = any_account(w);
      for (int t = 0; t < kTries && !outside_.empty(); ++t) {
        const size_t i = rng_.index(uint32_t(outside_.size()));
        const AccountIx a = outside_[i];
        const Account& acc = w.accounts[a];
        if (acc.membership == Membership::OUTSIDE && !(acc.flags & kInvited)) {
          c.account = a;
          break;
        }
        account_listed_[a] &= uint8_t(~kListedOutside);
        swap_remove(outside_, i);
      }
      break;
    }
    case EventKind::AcceptHandshake: {
      c.op = Op::AcceptHandshake;
      c.caller = any_account(w);
      for (int t = 0; t < kTries && !invited_.empty(); ++t) {
        const size_t i = rng_.index(uint32_t(invited_.size()));
        const AccountIx a = invited_[i];
        account_listed_[a] &= uint8_t(~kListedInvited);
        swap_remove(invited_, i);
        if (w.accounts[a].flags & kInvited) {
          c.caller = a;
          break;
        }
      }
      break;
    }
    case EventKind::LeaveOrganization:
      c.op = Op::LeaveOrganization;
      c.caller = some_member(w);
      break;
    case EventKind::RemoveAccount:
      c.op = Op::RemoveAccountFromOrganization;
      c.account = some_member(w);
      break;
    case EventKind::RegisterDelegatedAdmin:
      c.op = Op::RegisterDelegatedAdministrator;
      c.account = some_member(w);
      break;
    case EventKind::DeregisterDelegatedAdmin:
      c.op = Op::DeregisterDelegatedAdministrator;
      c.account = w.org.delegated_admin != kNone ? w.org.delegated_admin : some_member(w);
      break;
    case EventKind::LaunchWorkload:
      c.op = Op::LaunchWorkload;
      c.caller = some_member(w);
      c.product = ProductIx(rng_.below(products));
      break;
    case EventKind::StopWorkload: {
      c.op = Op::StopWorkload;
      c.caller = some_member(w);
      c.product = ProductIx(rng_.below(products));
      for (int t = 0; t < kTries && !running_.empty(); ++t) {
        const size_t i = rng_.index(uint32_t(running_.size()));
        const uint32_t slot = running_[i];
        if (live(w, kRunningIndex, slot)) {
          c.caller = AccountIx(slot / products);
          c.product = ProductIx(slot % products);
          drawn_ = {kRunningIndex, uint32_t(i), slot};
          break;
        }
        swap_remove(running_, i);
      }
      break;
    }
    case EventKind::CreateOrgGrant: {
      // The management account or the delegated administrator distributes one
      // of its own AVAILABLE licenses to the organization.
      c.op = Op::CreateGrant;
      c.to_org = true;
      c.caller = (w.org.delegated_admin != kNone && rng_.below(2)) ? w.org.delegated_admin : management_;
      c.license = kNone;
      for_each_owned(w, c.caller, [&](LicenseIx l) {
        if (c.license == kNone && w.licenses[l].status == LicenseStatus::AVAILABLE &&
            w.products[w.licenses[l].product] != ProductType::SAAS)
          c.license = l;
      });
      if (c.license == kNone) {  // subscribe first: the next draw can distribute it
        c = Call{};
        c.op = Op::Subscribe;
        c.caller = management_;
        c.product = ProductIx(rng_.below(products));
      }
      break;
    }
    case EventKind::BulkActivate:
    case EventKind::BulkDeactivate:
    case EventKind::DeleteOrgGrant:
    case EventKind::CancelOrgSubscription: {
      const GrantIx parent = org_parent(w);
      const Grant* p = parent == kNone ? nullptr : &w.grants[parent];
      if (p) c.caller = p->grantor;
      if (kind == EventKind::CancelOrgSubscription) {
        c.op = Op::CancelSubscription;
        c.license = p ? p->license : LicenseIx(w.licenses.size());
        break;
      }
      c.grant = parent == kNone ? GrantIx(w.grants.size()) : parent;
      if (kind == EventKind::DeleteOrgGrant) {
        c.op = Op::DeleteGrant;
        c.version = p ? p->version : 1;
      } else {
        c.op = Op::CreateGrantVersion;
        c.has_status = true;
        c.status = kind == EventKind::BulkActivate ? GrantStatus::ACTIVE : GrantStatus::DISABLED;
      }
      break;
    }
    case EventKind::Setup:
      break;
  }
  return c;
}

// One field made wrong, the way real callers get it wrong: the wrong account,
// the wrong region, an ID that does not exist, a stale version; or, one time in
// six where the kind has one, a call the guides refuse (wrong_semantics).
void EventGenerator::corrupt(const World& w, Call& c, EventKind kind) {
  const OpSpec& sp = spec(c.op);
  wrong_ = Wrong::Field;
  switch (rng_.below(6)) {
    case 0:
      if (c.caller != kIssuer) {
        c.caller = any_account(w);
        break;
      }
      [[fallthrough]];
    case 1:
      c.region = Region::us_gov_west_1;
      break;
    case 2:
      c.region = Region::eu_west_1;
      break;
    case 3:
      if (sp.params & kPGrant) c.grant = GrantIx(w.grants.size() + 7);
      else if (sp.params & kPLicense) c.license = LicenseIx(w.licenses.size() + 7);
      else if (sp.params & kPAccount) c.account = AccountIx(w.accounts.size() + 7);
      else if (sp.params & kPProduct) c.product = ProductIx(w.products.size() + 1);
      else c.caller = AccountIx(w.accounts.size() + 7);
      break;
    case 5:
      if (wrong_semantics(w, c, kind)) break;
      [[fallthrough]];
    default:
      if (sp.params & kPVersion) c.version = c.grant < w.grants.size() ? w.grants[c.grant].version + 1 : 99;
      else c.region = Region::us_gov_east_1;
      break;
  }
}

// A call that names only existing records and that the guides refuse (issue
// 17: the simulator reaches what the explorer's CI models reach):
// - granting a SaaS license (seed "What is managed entitlements": SaaS cannot
//   be distributed): SaasNotDistributable;
// - accepting a REJECTED grant ("Grant States": Rejected is terminal): GrantTerminal;
// - the management account and the delegated administrator acting as each
//   other (seed "Delegated Administrator": each account manages only what it
//   subscribed to; only the management account registers the administrator,
//   invites and removes): NotManagementAccount, NotGrantorOrRecipient,
//   OnlyGrantorRenames, OnlyGrantorDeletes, NotLicenseOwner;
// - activating with ALL_GRANTS_PERMITTED_BY_ISSUER for a recipient that holds
//   an ACTIVE grant for another product (override_across_products).
// False when the kind has none or the state offers none (corrupt() then makes
// a field wrong). The draws below read the indexes but never drop entries.
bool EventGenerator::wrong_semantics(const World& w, Call& c, EventKind kind) {
  const AccountIx admin = w.org.delegated_admin;
  switch (kind) {
    case EventKind::CreateGrant:
    case EventKind::CreateOrgGrant:
      for (int t = 0; t < kTries && !licenses_.empty(); ++t) {
        const LicenseIx l = licenses_[rng_.index(uint32_t(licenses_.size()))];
        const License& lic = w.licenses[l];
        if (w.products[lic.product] != ProductType::SAAS || lic.status != LicenseStatus::AVAILABLE) continue;
        c.op = Op::CreateGrant;  // (CreateOrgGrant may have drawn a Subscribe)
        c.license = l;
        c.caller = lic.owner;
        if (!c.to_org) c.account = c.caller == management_ ? some_member(w) : management_;
        wrong_ = Wrong::SaasGrant;
        return true;
      }
      return false;
    case EventKind::AcceptGrant:
    case EventKind::AcceptAndActivateGrant:
      if (rejected_.empty()) return false;
      c.grant = rejected_[rng_.index(uint32_t(rejected_.size()))];
      c.caller = w.grants[c.grant].grantee;
      wrong_ = Wrong::AcceptRejected;
      return true;
    case EventKind::ActivateGrant: return override_across_products(w, c);
    case EventKind::InviteAccount:
    case EventKind::RemoveAccount:
    case EventKind::RegisterDelegatedAdmin:
    case EventKind::DeregisterDelegatedAdmin:
      if (admin == kNone) return false;
      c.caller = admin;  // management-only calls by the delegated administrator
      wrong_ = Wrong::OtherAdministrator;
      return true;
    case EventKind::DeactivateGrant:
    case EventKind::RenameGrant:
    case EventKind::DeleteGrant:
    case EventKind::BulkActivate:
    case EventKind::BulkDeactivate:
    case EventKind::DeleteOrgGrant:
    case EventKind::CancelOrgSubscription: {
      // The administrator that granted (or subscribed) hands the call to the other one.
      if (admin == kNone) return false;
      const bool license_call = c.op == Op::CancelSubscription;
      if (license_call ? c.license >= w.licenses.size() : c.grant >= w.grants.size()) return false;
      const AccountIx holder = license_call ? w.licenses[c.license].owner : w.grants[c.grant].grantor;
      if (c.caller != holder || (holder != management_ && holder != admin)) return false;
      const AccountIx other = holder == management_ ? admin : management_;
      if (!license_call && w.grants[c.grant].grantee == other) return false;  // its recipient may act
      c.caller = other;
      wrong_ = Wrong::OtherAdministrator;
      return true;
    }
    default: return false;
  }
}

// Activation with ALL_GRANTS_PERMITTED_BY_ISSUER by a recipient that holds an
// ACTIVE account grant for one product, of a DISABLED grant it received for
// another product: the override replaces the recipient's active grants for the
// same product only (aws-api-facts ActivationOverrideBehavior), so the other
// product's grant stays ACTIVE whether the call succeeds or is refused
// (OneActiveLicensePerProduct when the recipient owns an AVAILABLE
// subscription to the grant's product: the override cannot replace it).
bool EventGenerator::override_across_products(const World& w, Call& c) {
  const auto& active = grant_pools_[kActivePool];
  for (int t = 0; t < kTries && !active.empty(); ++t) {
    const Grant& held = w.grants[active[rng_.index(uint32_t(active.size()))]];
    if (held.status != GrantStatus::ACTIVE) continue;
    const ProductIx q = w.licenses[held.license].product;
    for (ProductIx p = 0; p < w.products.size(); ++p) {
      if (p == q) continue;
      for (GrantIx g = w.first_received_at(held.grantee, p); g != kNone; g = w.grants[g].next_received) {
        if (w.grants[g].status != GrantStatus::DISABLED) continue;
        c.op = Op::CreateGrantVersion;
        c.grant = g;
        c.caller = held.grantee;
        c.version = 0;
        c.has_status = true;
        c.status = GrantStatus::ACTIVE;
        c.override_behavior = ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER;
        wrong_ = Wrong::OverrideAcrossProducts;
        return true;
      }
    }
  }
  return false;
}

bool EventGenerator::live(const World& w, uint8_t index, uint32_t entry) const {
  switch (index) {
    case kLicenseIndex: return w.licenses[entry].status == LicenseStatus::AVAILABLE && !org_license_[entry];
    case kRunningIndex: return w.running[entry] != 0;
    default: return pool_of(w.grants[entry].status) == index;
  }
}

std::vector<uint32_t>& EventGenerator::entries(uint8_t index) {
  return index == kLicenseIndex ? licenses_ : index == kRunningIndex ? running_ : grant_pools_[index];
}

void EventGenerator::drop_drawn_if_stale(const World& w) {
  const Drawn d = drawn_;
  drawn_ = Drawn{};
  if (d.index == kNoIndex) return;
  std::vector<uint32_t>& index = entries(d.index);
  if (d.position < index.size() && index[d.position] == d.entry && !live(w, d.index, d.entry))
    swap_remove(index, d.position);
}

size_t EventGenerator::listed(GrantStatus s, GrantIx g) const {
  const int p = pool_of(s);
  return p < 0 ? 0 : size_t(std::count(grant_pools_[size_t(p)].begin(), grant_pools_[size_t(p)].end(), g));
}

void EventGenerator::observe(const World& w, const Changes& ch) {
  drop_drawn_if_stale(w);  // first, before this call's entries are appended
  for (LicenseIx l = ch.licenses_before; l < w.licenses.size(); ++l) licenses_.push_back(l);
  // One flag per license of the world, whatever this generator was shown
  // (live() reads it for any license index drawn).
  if (org_license_.size() < w.licenses.size()) org_license_.resize(w.licenses.size(), 0);
  for (GrantIx g = ch.grants_before; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    if (gr.is_org_child()) continue;  // children are reached through their parent
    if (gr.is_org_parent()) {
      org_license_[gr.license] = 1;
      continue;
    }
    list_grant(w, g);
  }
  // Account grants whose status changed: listed under the new one. (The
  // before-image tells a child or a parent without reading the grant: an
  // organization-wide call changes a million children.)
  for (const auto& [g, before] : ch.grants)
    if (!before.is_org_child() && !before.is_org_parent() && before.status != w.grants[g].status) list_grant(w, g);
  const auto products = uint32_t(w.products.size());
  for (const WorkloadChange& wc : ch.workloads) {
    const uint32_t slot = wc.account * products + wc.product;
    // Listed when it starts running; a slot that stopped and started again
    // before a draw dropped its entry is listed twice for a while.
    if (wc.before == 0 && w.running[slot] != 0) running_.push_back(slot);
  }
  for (const auto& [a, before] : ch.accounts) {
    const Account& now = w.accounts[a];
    if (now.membership == Membership::OUTSIDE && !(now.flags & kInvited) && !(account_listed_[a] & kListedOutside)) {
      account_listed_[a] |= kListedOutside;
      outside_.push_back(a);
    }
    if ((now.flags & kInvited) && !(account_listed_[a] & kListedInvited)) {
      account_listed_[a] |= kListedInvited;
      invited_.push_back(a);
    }
  }
}

}  // namespace entmc::sim
