// What a valid scenario parses to: the initial world, the side table, the
// steps with their symbolic references.
#include <gtest/gtest.h>

#include "model/entitlement.h"
#include "scenario/scenario.h"

namespace entmc {
namespace {

constexpr const char* kOrg = R"(name: parse test
description: several forms
org:
  id: o-45889zf4mv
  feature_set: ALL
  management: "838202657455"
  members: ["776190005587", 753322148001]
  outside: ["078848857584"]
  govcloud: {"111111111111": "776190005587"}
  invited: ["078848857584"]
  prerequisites:
    - trusted_access
    - linked_accounts
    - license_manager_roles
    - {account: "838202657455", roles: [license-manager-master, marketplace]}
products:
  - {name: Widget, type: AMI}
  - {name: Feed, type: SAAS}
steps:
  - Subscribe: {caller: "838202657455", product: Widget, as: w}
  - CreateGrant: {caller: "838202657455", license: w, principal: o-45889zf4mv, name: Org, client_token: t1, as: org}
  - CreateGrant:
      caller: "838202657455"
      license: w
      principal: "arn:aws:organizations::838202657455:organization/o-45889zf4mv"
      allowed_operations: [CheckoutLicense, ListPurchasedLicenses]
      client_token: t2
  - CreateGrant: {caller: "838202657455", license: w, principal: "arn:aws:iam::078848857584:root", as: out}
  - CreateGrantVersion: {caller: "776190005587", grant: org, recipient: "776190005587", status: ACTIVE,
                         override: ALL_GRANTS_PERMITTED_BY_ISSUER, source_version: 1, client_token: t1}
  - DeactivateLicense: {caller: aws-marketplace, license: w}
  - expect:
      - {grant: org, children: {ACTIVE: 1, DISABLED: 1}}
      - {delegated_admin: none}
      - {account: "078848857584", member: false}
)";

TEST(Parse, InitialWorldFollowsTheOrgSection) {
  Scenario sc = parse_scenario_text(kOrg, "p.yaml");
  EXPECT_EQ(sc.name, "parse test");
  EXPECT_EQ(sc.description, "several forms");
  EXPECT_EQ(sc.names.org_id, "o-45889zf4mv");
  ASSERT_EQ(sc.names.accounts.size(), 5u);
  EXPECT_EQ(sc.names.accounts[0], "838202657455");
  EXPECT_EQ(sc.names.accounts[2], "753322148001");  // an unquoted ID is read as written
  EXPECT_EQ(sc.names.accounts[4], "111111111111");
  const World& w = sc.initial;
  EXPECT_EQ(w.org.management, 0u);
  EXPECT_EQ(w.accounts[1].membership, Membership::MEMBER);
  EXPECT_EQ(w.accounts[3].membership, Membership::OUTSIDE);
  EXPECT_TRUE(w.accounts[3].flags & kInvited);
  EXPECT_TRUE(w.accounts[4].flags & kGovCloud);
  EXPECT_EQ(w.accounts[4].govcloud_link, 1u);
  EXPECT_EQ(w.org.flags, kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts);
  EXPECT_EQ(w.accounts[0].flags, kSlrLicenseManager | kSlrLicenseManagerMaster | kSlrMarketplace);
  EXPECT_EQ(w.accounts[1].flags, kSlrLicenseManager);
  EXPECT_EQ(w.accounts[4].flags, kGovCloud);  // GovCloud accounts get no roles
  EXPECT_EQ(w.products, (std::vector<ProductType>{ProductType::AMI, ProductType::SAAS}));
  EXPECT_EQ(w.tokens.size(), 3u);  // two client tokens + the unused slot 0
  EXPECT_EQ(w.running.size(), 10u);
}

TEST(Parse, StepsKeepTheirParametersAndReferences) {
  Scenario sc = parse_scenario_text(kOrg, "p.yaml");
  ASSERT_EQ(sc.steps.size(), 7u);
  const Call& c1 = sc.steps[1].call;
  EXPECT_EQ(c1.op, Op::CreateGrant);
  EXPECT_TRUE(c1.to_org);
  EXPECT_EQ(sc.names.string(c1.name), "Org");
  EXPECT_EQ(sc.names.token(c1.token), "t1");
  EXPECT_EQ(sc.steps[1].license.alias, "w");
  EXPECT_EQ(sc.steps[1].as, "org");
  EXPECT_TRUE(sc.steps[2].call.to_org);
  EXPECT_EQ(sc.steps[2].call.allowed_ops, kCheckoutLicenseOp | kListPurchasedLicensesOp);
  EXPECT_EQ(sc.steps[3].call.account, 3u);
  const Step& v = sc.steps[4];
  EXPECT_EQ(v.grant.alias, "org");
  EXPECT_EQ(v.grant.recipient, 1u);
  EXPECT_TRUE(v.call.has_status);
  EXPECT_EQ(v.call.status, GrantStatus::ACTIVE);
  EXPECT_EQ(v.call.override_behavior, ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER);
  EXPECT_EQ(v.call.version, 1u);
  EXPECT_EQ(v.call.token, c1.token);  // the same client token, the same id
  EXPECT_EQ(sc.steps[5].call.caller, kIssuer);
  ASSERT_TRUE(sc.steps[6].is_expect);
  ASSERT_EQ(sc.steps[6].expect.size(), 4u);
  EXPECT_EQ(sc.steps[6].expect[0].what, Expectation::What::ChildCount);
  EXPECT_EQ(sc.steps[6].expect[2].what, Expectation::What::DelegatedAdmin);
  EXPECT_EQ(sc.steps[6].expect[2].account, kNone);
  EXPECT_EQ(sc.steps[6].mark.line, 32);
}

TEST(Parse, IdsFollowTheScenarioName) {
  Scenario a = parse_scenario_text(kOrg, "a.yaml");
  Scenario b = parse_scenario_text(kOrg, "b.yaml");
  EXPECT_EQ(a.names.id_seed, b.names.id_seed);
  EXPECT_EQ(a.names.grant_id(3), b.names.grant_id(3));
  std::string renamed = kOrg;
  renamed.replace(renamed.find("parse test"), 10, "other name");
  Scenario c = parse_scenario_text(renamed, "c.yaml");
  EXPECT_NE(a.names.grant_id(3), c.names.grant_id(3));
  EXPECT_EQ(a.names.grant_id(3).size(), 34u);
}

TEST(Parse, PrerequisitesAllDependsOnTheFeatureSet) {
  Scenario all = parse_scenario_text(
      "name: a\norg: {feature_set: ALL, management: \"838202657455\", members: [\"776190005587\"], prerequisites: all}\n",
      "a.yaml");
  EXPECT_EQ(all.initial.org.flags, kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts);
  EXPECT_EQ(all.initial.accounts[1].flags, kSlrLicenseManager | kSlrMarketplace);
  Scenario cb = parse_scenario_text(
      "name: a\norg: {feature_set: CONSOLIDATED_BILLING, management: \"838202657455\", prerequisites: all}\n", "a.yaml");
  EXPECT_EQ(cb.initial.org.flags, 0);
  EXPECT_EQ(cb.initial.org.feature_set, FeatureSet::CONSOLIDATED_BILLING);
  EXPECT_EQ(cb.initial.accounts[0].flags, kSlrLicenseManager | kSlrLicenseManagerMaster | kSlrMarketplace);
  Scenario none = parse_scenario_text("name: a\norg: {feature_set: ALL, management: \"838202657455\"}\n", "a.yaml");
  EXPECT_EQ(none.initial.org.flags, 0);
  EXPECT_EQ(none.initial.accounts[0].flags, 0);
  EXPECT_TRUE(none.steps.empty());
}

}  // namespace
}  // namespace entmc
