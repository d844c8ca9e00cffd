// The simulation file parser: good files load, bad ones say FILE:LINE:COL.
#include <gtest/gtest.h>

#include "sim/config.h"
#include "sim/organization.h"

namespace entmc::sim {
namespace {

constexpr const char* kMinimal = R"(name: t
org: {feature_set: ALL, members: 5, outside: 2}
products: 2
mix: {launch_workload: 1}
)";

TEST(SimConfig, LoadsAMinimalFile) {
  SimConfig c = parse_config(kMinimal, "t.yaml");
  EXPECT_EQ(c.members, 5u);
  EXPECT_EQ(c.outside, 2u);
  ASSERT_EQ(c.products.size(), 2u);
  EXPECT_EQ(c.products[1].type, ProductType::CONTAINER);
  EXPECT_EQ(c.mix[size_t(EventKind::LaunchWorkload)], 1.0);
}

TEST(SimConfig, ShippedFilesLoad) {
  for (const char* f : {"small.yaml", "seed-org.yaml", "large.yaml"}) {
    SimConfig c = load_config(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/" + f);
    EXPECT_FALSE(c.name.empty()) << f;
  }
}

void expect_error(const std::string& text, int line, int col, const std::string& fragment) {
  try {
    parse_config(text, "bad.yaml");
    FAIL() << "no error for:\n" << text;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line, line) << e.formatted();
    EXPECT_EQ(e.col, col) << e.formatted();
    EXPECT_NE(e.formatted().find("bad.yaml:"), std::string::npos);
    EXPECT_NE(e.formatted().find(fragment), std::string::npos) << e.formatted();
  }
}

TEST(SimConfig, ErrorsNameTheirPlace) {
  expect_error("name: t\norg: {feature_set: ALL, members: 5}\nproducts: 2\nmix: {launch_workloads: 1}\n", 4, 7,
               "unknown event kind 'launch_workloads'");
  expect_error("name: t\norg: {feature_set: SOME}\nproducts: 2\nmix: {launch_workload: 1}\n", 2, 20, "feature_set");
  expect_error("name: t\norg: {members: [12345]}\nproducts: 2\nmix: {launch_workload: 1}\n", 2, 17, "12-digit");
  expect_error("name: t\nproducts: 2\nmix: {launch_workload: -1}\n", 3, 24, "weight");
  expect_error("name: t\nbogus: 1\n", 2, 1, "unknown key 'bogus'");
  expect_error("name: t\nstart: [1]\n", 2, 8, "start must be a mapping");
  expect_error("name: [unclosed\n", 2, 1, "");
  // Exactly one YAML document: a second one is an error where it starts, an
  // empty file an error at 1:1.
  const std::string ok = "name: t\nproducts: 2\nmix: {launch_workload: 1}\n";
  EXPECT_NO_THROW(parse_config(ok, "ok.yaml"));
  try {
    parse_config(ok + "---\nevents: 5\n", "bad.yaml");
    FAIL() << "a second document was accepted";
  } catch (const ConfigError& e) {
    EXPECT_GE(e.line, 4) << e.formatted();
    EXPECT_EQ(e.formatted().rfind("bad.yaml:" + std::to_string(e.line) + ":", 0), 0u) << e.formatted();
    EXPECT_NE(e.formatted().find("a second YAML document"), std::string::npos) << e.formatted();
  }
  expect_error(ok + "---\nevents: [unclosed\n", 6, 1, "end of sequence flow not found");
  expect_error("", 1, 1, "no YAML document");
  expect_error("---\n", 2, 1, "a simulation file must be a mapping");
}

TEST(SimOrganization, GeneratedAccountIdsAreDistinctTwelveDigits) {
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 20000; ++i) {
    std::string id = generated_account_id(i);
    ASSERT_EQ(id.size(), 12u);
    ASSERT_TRUE(seen.insert(id).second) << id;
  }
}

TEST(SimOrganization, ExplicitIdsComeFirst) {
  SimConfig c = parse_config(R"(name: t
org: {feature_set: ALL, management: "838202657455", members: {count: 3, ids: ["776190005587"]}, outside: 1}
products: 1
mix: {launch_workload: 1}
)",
                             "t.yaml");
  InitialOrg o = build_initial_org(c);
  ASSERT_EQ(o.names.accounts.size(), 5u);
  EXPECT_EQ(o.names.accounts[0], "838202657455");
  EXPECT_EQ(o.names.accounts[1], "776190005587");
  EXPECT_EQ(o.world.accounts[4].membership, Membership::OUTSIDE);
  EXPECT_EQ(o.world.org.flags, kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts);
}

}  // namespace
}  // namespace entmc::sim
