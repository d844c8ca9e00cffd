// `entmc import`: the fixture organization (tests/aws/fixtures/org, the AWS
// CLI's outputs in their real shapes, checked against the service models)
// becomes a scenario whose start state is that world, real IDs kept, and
// every thing the model cannot represent reported.
#include <gtest/gtest.h>

#include "aws/cli_export.h"
#include "aws/json_input.h"
#include "aws/org_import.h"
#include "model/entitlement.h"
#include "scenario/scenario_run.h"
#include "service_models.h"
#include "test_support.h"

namespace entmc {
namespace {

const std::string kOrg = test::kFixtures + "/org";

bool has_note(const aws::ImportedOrg& o, const std::string& s) {
  for (const auto& n : o.notes)
    if (n.find(s) != std::string::npos) return true;
  return false;
}

TEST(ImportFixtures, HaveTheRealOutputShapes) {
  test::ServiceModels models;
  struct File {
    const char* name;
    const char* service;
    const char* op;
  };
  const File files[] = {
      {"describe-organization.json", "organizations", "DescribeOrganization"},
      {"list-accounts.json", "organizations", "ListAccounts"},
      {"list-delegated-administrators.json", "organizations", "ListDelegatedAdministrators"},
      {"list-aws-service-access-for-organization.json", "organizations", "ListAWSServiceAccessForOrganization"},
      {"get-service-settings.json", "license-manager", "GetServiceSettings"},
      {"list-received-licenses.json", "license-manager", "ListReceivedLicenses"},
      {"list-distributed-grants.json", "license-manager", "ListDistributedGrants"},
      {"776190005587/list-received-grants.json", "license-manager", "ListReceivedGrants"},
      {"753322148001/list-received-grants.json", "license-manager", "ListReceivedGrants"},
      {"423325614417/list-received-grants.json", "license-manager", "ListReceivedGrants"},
  };
  for (const File& f : files) {
    nlohmann::json j = nlohmann::json::parse(test::read_file(kOrg + "/" + f.name));
    for (const auto& p : models.check_output(f.service, f.op, j)) ADD_FAILURE() << f.name << ": " << p;
  }
  // The checker itself finds a member that does not exist.
  auto bad = models.check_output("license-manager", "ListReceivedGrants",
                                 nlohmann::json::parse(R"({"Grants": [{"GrantArn": "x", "GrantState": "ACTIVE"}]})"));
  EXPECT_EQ(bad.size(), 1u);
}

TEST(Import, TheFixtureOrganization) {
  aws::ImportedOrg o = aws::import_directory(kOrg);
  const World& w = o.world;
  const Names& n = o.names;
  EXPECT_EQ(n.org_id, "o-45889zf4mv");
  ASSERT_EQ(n.accounts.size(), 5u);  // management, three members, the partner outside
  EXPECT_EQ(n.accounts[0], "838202657455");
  EXPECT_EQ(w.accounts[*n.find_account("078848857584")].membership, Membership::OUTSIDE);
  EXPECT_EQ(w.org.delegated_admin, *n.find_account("776190005587"));
  EXPECT_EQ(w.org.flags & (kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts),
            kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts);
  ASSERT_EQ(w.licenses.size(), 1u);
  EXPECT_EQ(n.license_id(0), "l-e0fd24efe53a4946af814568cb956144");
  EXPECT_EQ(w.licenses[0].owner, 0u);
  // The OU grant is left out; the organization grant comes first, then its children.
  ASSERT_EQ(w.grants.size(), 5u);
  EXPECT_EQ(n.grant_id(0), "g-1a7ef6ae1bba45a0bb83ebf701e3340d");
  EXPECT_TRUE(w.grants[0].is_org_parent());
  EXPECT_EQ(w.grants[0].status, GrantStatus::WORKFLOW_COMPLETED);
  EXPECT_EQ(w.grants[1].grantee, *n.find_account("078848857584"));
  EXPECT_FALSE(w.grants[1].is_org_child());  // its ParentArn is its license
  GrantIx child = find_org_child(w, 0, *n.find_account("753322148001"));
  ASSERT_NE(child, kNone);
  EXPECT_EQ(n.grant_id(child), "g-3c4d5e6f708192a3b4c5d6e7f8091122");
  EXPECT_EQ(w.grants[child].status, GrantStatus::ACTIVE);
  EXPECT_EQ(w.grants[child].version, 2u);
  EXPECT_TRUE(entitled(w, *n.find_account("753322148001"), 0));
  // Reported, never silently dropped.
  EXPECT_TRUE(has_note(o, "organizational unit")) << o.scenario;
  EXPECT_TRUE(has_note(o, "423325614417 is SUSPENDED"));
  EXPECT_TRUE(has_note(o, "ActivationOverrideBehavior ALL_GRANTS_PERMITTED_BY_ISSUER"));
  EXPECT_TRUE(has_note(o, "service-linked roles"));
  EXPECT_TRUE(has_note(o, "running workloads"));
  EXPECT_TRUE(has_note(o, "product Ubuntu: its type"));
  EXPECT_TRUE(has_note(o, "078848857584 (a grantee) is not in list-accounts"));
  EXPECT_NE(o.scenario.find("# - "), std::string::npos);  // the notes are in the scenario too
}

TEST(Import, TheScenarioParsesBackAndReplaysClean) {
  aws::ImportedOrg o = aws::import_directory(kOrg);
  Scenario sc = parse_scenario_text(o.scenario, "imported.yaml");
  EXPECT_TRUE(sc.initial == o.world) << o.scenario;
  EXPECT_EQ(sc.names.grant_id(0), "g-1a7ef6ae1bba45a0bb83ebf701e3340d");
  ScenarioRun run(sc);
  EXPECT_TRUE(run.ok()) << o.scenario;
}

// A Marketplace license ARN names the issuer's (seller's) account, not the
// subscriber's: the importer keeps it, the scenario carries it (`issuer:`)
// and the exporter writes the real ARN back.
TEST(Import, LicenseArnsKeepTheIssuersAccount) {
  aws::ImportedOrg o = aws::import_directory(kOrg);
  const std::string real = "arn:aws:license-manager::294406891311:license:l-e0fd24efe53a4946af814568cb956144";
  EXPECT_EQ(o.names.license_arn(0), real);
  EXPECT_NE(o.scenario.find("issuer: \"294406891311\""), std::string::npos) << o.scenario;
  Scenario sc = parse_scenario_text(o.scenario, "imported.yaml");
  EXPECT_EQ(sc.names.license_arn(0), real);
  aws::ExportedScript s = aws::export_aws_cli(sc);
  EXPECT_NE(s.text.find("LIC1='" + real + "'"), std::string::npos) << s.text;
  EXPECT_EQ(s.text.find("arn:aws:license-manager::838202657455:license:"), std::string::npos)
      << "the owner's account in a license ARN";
}

TEST(Import, CliWritesTheScenarioAndCheckRunsFromIt) {
  std::string out = test::temp_path("imported.yaml");
  auto res = test::entmc("import " + kOrg + " -o " + out + " --name fixture-org");
  ASSERT_EQ(res.code, 0) << res.out;
  EXPECT_NE(res.out.find("entmc: note: "), std::string::npos);
  EXPECT_NE(res.out.find("imported organization o-45889zf4mv: 5 accounts, 1 licenses, 5 grants"), std::string::npos)
      << res.out;
  std::string text = test::read_file(out) +
                     "bounds:\n  operations: [DeleteGrant, CreateGrantVersion, LaunchWorkload, "
                     "RemoveAccountFromOrganization, DeregisterDelegatedAdministrator]\n  max_depth: 3\n";
  std::ofstream(out) << text;
  auto check = test::entmc("check -q -j 1 " + out);
  EXPECT_EQ(check.code, 0) << check.out;
  EXPECT_NE(check.out.find("states"), std::string::npos) << check.out;
}

TEST(Import, BadInputIsLocated) {
  namespace fs = std::filesystem;
  std::string dir = test::temp_path("badorg");
  fs::create_directories(dir);
  for (const char* f : {"describe-organization.json", "list-accounts.json"}) fs::copy_file(kOrg + "/" + f, dir + "/" + f, fs::copy_options::overwrite_existing);
  // A grant without GrantArn, on line 3 of its file.
  std::ofstream(dir + "/list-distributed-grants.json") << "{\n    \"Grants\": [\n        {\n            \"GrantName\": \"x\"\n        }\n    ]\n}\n";
  try {
    aws::import_directory(dir);
    ADD_FAILURE() << "accepted";
  } catch (const aws::InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir + "/list-distributed-grants.json:3:9: error: missing GrantArn");
  }
  // Truncated JSON.
  std::ofstream(dir + "/list-distributed-grants.json") << "{\n    \"Grants\": [\n        {\n";
  auto res = test::entmc("import " + dir);
  EXPECT_EQ(res.code, 2);
  EXPECT_NE(res.out.find("list-distributed-grants.json:4:1: error: malformed JSON"), std::string::npos) << res.out;
  // A missing required file.
  fs::remove(dir + "/list-accounts.json");
  res = test::entmc("import " + dir);
  EXPECT_EQ(res.code, 2);
  EXPECT_NE(res.out.find("list-accounts.json:1:1: error: missing"), std::string::npos) << res.out;
}

}  // namespace
}  // namespace entmc
