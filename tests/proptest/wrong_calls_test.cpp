// The random tester's wrong calls include the cases issue 17 names, each with
// every reference right and refused by the model for the guides' reason:
// granting a SaaS license, accepting a REJECTED grant, the management account
// and the delegated administrator acting as each other, and activating with
// the override for a recipient active on another product (which never touches
// the other product). And `entmc fuzz`'s runs make them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "model/entitlement.h"
#include "proptest/fuzz.h"
#include "proptest/generators.h"
#include "rc_check.h"

namespace entmc::proptest {
namespace {

using testing::rc_check;

constexpr WrongCase kCases[] = {WrongCase::SaasGrant, WrongCase::AcceptRejected, WrongCase::OtherAdministrator,
                                WrongCase::OverrideAcrossProducts};
const char* name(WrongCase k) {
  switch (k) {
    case WrongCase::SaasGrant: return "saas-grant";
    case WrongCase::AcceptRejected: return "accept-rejected";
    case WrongCase::OtherAdministrator: return "other-administrator";
    case WrongCase::OverrideAcrossProducts: return "override-across-products";
  }
  return "?";
}

// A refusal the world's missing prerequisites explain before the rule the case is about.
bool prerequisite(Reason r) {
  return r == Reason::MissingLicenseManagerRole || r == Reason::MissingMarketplaceRole ||
         r == Reason::RecipientMissingMarketplaceRole;
}

// The grants of account `a` for products other than `p`, and the licenses it owns of them.
std::vector<uint32_t> other_products(const World& w, AccountIx a, ProductIx p) {
  std::vector<uint32_t> statuses;
  for (ProductIx q = 0; q < w.products.size(); ++q) {
    if (q == p) continue;
    for_each_received_for(w, a, q, [&](GrantIx g) { statuses.push_back(uint32_t(w.grants[g].status)); });
    for_each_owned_for(w, a, q, [&](LicenseIx l) { statuses.push_back(100 + uint32_t(w.licenses[l].status)); });
  }
  return statuses;
}

// Checks one case's call against the model from `ex`'s state; tags its outcome.
void check_case(const Executor& ex, WrongCase k) {
  const std::optional<Step> step = *gen_wrong_case(ex, k);
  if (!step) return;
  Executor after = ex;
  const StepRecord& rec = after.step(*step);
  RC_ASSERT(!rec.skipped);
  const World& w = ex.world();
  const Call& c = rec.call;
  const Reason r = rec.outcome.error.reason;
  switch (k) {
    case WrongCase::SaasGrant:
      RC_ASSERT(w.products[w.licenses[c.license].product] == ProductType::SAAS);
      RC_ASSERT(c.caller == w.licenses[c.license].owner);
      RC_ASSERT(r == Reason::SaasNotDistributable || prerequisite(r));
      break;
    case WrongCase::AcceptRejected:
      RC_ASSERT(w.grants[c.grant].status == GrantStatus::REJECTED);
      RC_ASSERT(c.caller == w.grants[c.grant].grantee);
      RC_ASSERT(r == Reason::GrantTerminal);
      break;
    case WrongCase::OtherAdministrator: {
      static const std::set<Reason> kExpected{Reason::NotManagementAccount, Reason::NotGrantorOrRecipient,
                                              Reason::OnlyGrantorDeletes, Reason::NotLicenseOwner,
                                              Reason::ConsumptionRightsOnly};
      RC_ASSERT(c.caller == w.org.management || c.caller == w.org.delegated_admin);
      RC_ASSERT(kExpected.count(r) > 0 || prerequisite(r));
      break;
    }
    case WrongCase::OverrideAcrossProducts: {
      const Grant& g = w.grants[c.grant];
      const ProductIx p = product_of_grant(w, c.grant);
      RC_ASSERT(c.override_behavior == ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER);
      RC_ASSERT(other_products(after.world(), g.grantee, p) == other_products(w, g.grantee, p));
      if (has_own_available_subscription(w, g.grantee, p) && r == Reason::None)
        RC_FAIL("an activation with the override replaced an own subscription");
      if (!rec.outcome.ok()) RC_TAG(fmt::format("{} refused {}", name(k), int(r)));
      break;
    }
  }
  RC_TAG(fmt::format("{} {}", name(k), rec.outcome.ok() ? "succeeded" : "refused"));
  if (r == Reason::SaasNotDistributable || r == Reason::GrantTerminal || r == Reason::NotManagementAccount ||
      r == Reason::NotGrantorOrRecipient || r == Reason::OnlyGrantorDeletes || r == Reason::NotLicenseOwner ||
      r == Reason::OneActiveLicensePerProduct)
    RC_TAG(fmt::format("{} for its reason {}", name(k), int(r)));
}

TEST(WrongCalls, EachCaseIsMadeAndRefusedForTheGuidesReason) {
  const int runs = testing::scaled_runs(150);
  auto counts = rc_check(
      [] {
        proptest::Run run = *gen_run();
        ExecOptions opts;
        opts.check_properties = false;
        Executor ex(run.world, token_count(run), opts);
        for (const Step& s : run.steps) {
          for (WrongCase k : kCases) check_case(ex, k);
          ex.step(s);
        }
      },
      runs, 0x5eed0017);
  const auto tag = [&](WrongCase k, Reason r) { return counts[fmt::format("{} for its reason {}", name(k), int(r))]; };
  EXPECT_GT(tag(WrongCase::SaasGrant, Reason::SaasNotDistributable), 0);
  EXPECT_GT(tag(WrongCase::AcceptRejected, Reason::GrantTerminal), 0);
  EXPECT_GT(tag(WrongCase::OtherAdministrator, Reason::NotManagementAccount), 0);
  EXPECT_GT(tag(WrongCase::OtherAdministrator, Reason::NotGrantorOrRecipient), 0);
  EXPECT_GT(tag(WrongCase::OtherAdministrator, Reason::OnlyGrantorDeletes), 0);
  EXPECT_GT(tag(WrongCase::OtherAdministrator, Reason::NotLicenseOwner), 0);
  EXPECT_GT(tag(WrongCase::OverrideAcrossProducts, Reason::OneActiveLicensePerProduct), 0);
  EXPECT_GT(counts["override-across-products succeeded"], 0);
  for (WrongCase k : kCases) EXPECT_EQ(counts[fmt::format("{} succeeded", name(k))] > 0, k == WrongCase::OverrideAcrossProducts) << name(k);
}

// gen_step makes them too: `entmc fuzz`'s runs hold each case's refusal.
TEST(WrongCalls, FuzzRunsMakeEachCase) {
  FuzzOptions o;
  std::map<std::string, int> seen;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const proptest::Run run = generate_run(o, seed);
    ExecOptions opts;
    opts.check_properties = false;
    Executor ex(run.world, token_count(run), opts);
    for (const Step& s : run.steps) {
      const World before = ex.world();
      const StepRecord& rec = ex.step(s);
      if (rec.skipped) continue;
      const Call& c = rec.call;
      const Reason r = rec.outcome.error.reason;
      // A fuzzed call may name a grant that does not exist (the fuzzer's
      // first-nonexistent IDs): read its record only when it does.
      const bool known_grant = c.grant < before.grants.size();
      const bool admin = before.org.delegated_admin != kNone &&
                         (c.caller == before.org.management || c.caller == before.org.delegated_admin);
      if (c.op == Op::CreateGrant && r == Reason::SaasNotDistributable) ++seen["saas-grant"];
      if ((c.op == Op::AcceptGrant || c.op == Op::AcceptAndActivateGrant) && known_grant &&
          before.grants[c.grant].status == GrantStatus::REJECTED && r == Reason::GrantTerminal)
        ++seen["accept-rejected"];
      if (admin && c.caller == before.org.delegated_admin && r == Reason::NotManagementAccount)
        ++seen["other-administrator: management-only call"];
      if (admin && known_grant && (r == Reason::NotGrantorOrRecipient || r == Reason::OnlyGrantorDeletes) &&
          (before.grants[c.grant].grantor == before.org.management ||
           before.grants[c.grant].grantor == before.org.delegated_admin))
        ++seen["other-administrator: the other's grant"];
      if (c.op == Op::CreateGrantVersion && c.override_behavior == ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER &&
          r == Reason::OneActiveLicensePerProduct)
        ++seen["override refused"];
    }
  }
  for (const char* k : {"saas-grant", "accept-rejected", "other-administrator: management-only call",
                        "other-administrator: the other's grant", "override refused"})
    EXPECT_GT(seen[k], 0) << k;
}

}  // namespace
}  // namespace entmc::proptest
