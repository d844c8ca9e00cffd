// Seeded random calls over the fixture's organization, biased towards calls
// that can succeed (the caller is usually the license owner, the grantor or
// the recipient; the version usually the current one).
#pragma once

#include <random>

#include "tests/model/fixture.h"

namespace entmc::test {

class RandomCalls {
 public:
  explicit RandomCalls(uint64_t seed) : rng_(seed) {}

  Call next(const World& w) {
    Call c;
    c.op = pick_op();
    c.caller = pick_account(w);
    c.region = chance(5) ? static_cast<Region>(pick(kRegionCount)) : kHomeRegion;
    c.product = ProductIx(pick(w.product_count()));
    c.account = pick_account(w);
    if (!w.licenses.empty()) {
      c.license = LicenseIx(pick(w.licenses.size()));
      if (chance(70)) c.caller = w.licenses[c.license].owner;
    }
    if (!w.grants.empty()) {
      c.grant = GrantIx(pick(w.grants.size()));
      for (int tries = 0; tries < 3 && is_terminal(w.grants[c.grant].status); ++tries)
        c.grant = GrantIx(pick(w.grants.size()));
      const Grant& g = w.grants[c.grant];
      if (op_on_grant(c.op) && chance(80)) c.caller = (g.grantee != kNone && chance(50)) ? g.grantee : g.grantor;
      c.version = chance(70) ? g.version : uint32_t(pick(3));
    }
    c.to_org = chance(30);
    c.has_status = chance(85);
    c.status = chance(60) ? GrantStatus::ACTIVE : chance(90) ? GrantStatus::DISABLED : GrantStatus::REJECTED;
    c.override_behavior = chance(25) ? ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER : ActivationOverride::NONE;
    c.name = chance(15) ? StringId(kFirstUserString) : StringId(0);
    c.reason = chance(10) ? StringId(kFirstUserString) : StringId(0);
    c.token = chance(10) ? TokenId(1 + pick(3)) : TokenId(0);
    c.service = static_cast<Service>(1 + pick(3));
    c.enable = chance(80);
    if (c.op == Op::DeactivateLicense || c.op == Op::ExpireLicense) c.caller = chance(90) ? kIssuer : c.caller;
    if (c.op == Op::LaunchWorkload || c.op == Op::StopWorkload) {
      if (w.accounts[c.caller].flags & kGovCloud) c.region = Region::us_gov_west_1;
      else if (c.region == Region::us_gov_west_1 || c.region == Region::us_gov_east_1) c.region = kHomeRegion;
    }
    if (c.op == Op::Subscribe && chance(50)) c.caller = AccountIx(pick(w.accounts.size()));
    organization_call(w, c);
    return c;
  }

 private:
  static bool op_on_grant(Op op) {
    return op == Op::AcceptGrant || op == Op::RejectGrant || op == Op::AcceptAndActivateGrant ||
           op == Op::CreateGrantVersion || op == Op::DeleteGrant;
  }
  // Weighted towards the calls that build state: subscriptions, grants, activations.
  Op pick_op() {
    static constexpr int kWeights[kOpCount] = {
        10, 3, 1, 1,                    // Subscribe, CancelSubscription, DeactivateLicense, ExpireLicense
        14, 4, 2, 4, 16, 3, 1,          // CreateGrant ... DeleteGrant, UpdateServiceSettings
        1, 1, 1, 4, 4, 2, 2, 3, 3,      // EnableAWSServiceAccess ... DeregisterDelegatedAdministrator
        6, 3};                          // LaunchWorkload, StopWorkload
    int total = 0;
    for (int x : kWeights) total += x;
    int r = int(pick(size_t(total)));
    for (int i = 0; i < kOpCount; ++i) {
      if (r < kWeights[i]) return static_cast<Op>(i);
      r -= kWeights[i];
    }
    return Op::Subscribe;
  }

  // Organizations calls come mostly from the management account, and a
  // handshake from an invited account.
  void organization_call(const World& w, Call& c) {
    switch (c.op) {
      case Op::InviteAccountToOrganization:
      case Op::RemoveAccountFromOrganization:
      case Op::RegisterDelegatedAdministrator:
      case Op::EnableAWSServiceAccess:
      case Op::UpdateServiceSettings:
        if (chance(85)) c.caller = w.org.management;
        break;
      case Op::DeregisterDelegatedAdministrator:
        if (chance(85)) c.caller = w.org.management;
        if (chance(70) && w.org.delegated_admin != kNone) c.account = w.org.delegated_admin;
        break;
      case Op::AcceptHandshake:
        for (AccountIx a = 0; a < w.accounts.size(); ++a)
          if ((w.accounts[a].flags & kInvited) && chance(70)) c.caller = a;
        break;
      default: break;
    }
  }

  size_t pick(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(int percent) { return int(pick(100)) < percent; }
  AccountIx pick_account(const World& w) { return AccountIx(pick(w.accounts.size())); }

  std::mt19937_64 rng_;
};

}  // namespace entmc::test
