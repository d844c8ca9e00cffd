// `entmc export --aws-cli`: every seed scenario (and a start-state one)
// exports to a script whose every aws command names a real operation with
// real parameters and valid enum values (AWS's service models, models/), and
// whose commands, read back, give the scenario's calls.
#include <gtest/gtest.h>

#include <filesystem>

#include "aws/cli_export.h"
#include "aws/script_reader.h"
#include "scenario/scenario_run.h"
#include "service_models.h"
#include "test_support.h"

namespace entmc {
namespace {

std::vector<std::string> scenario_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(ENTMC_SOURCE_DIR) + "/scenarios/seed"))
    out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  out.push_back(test::kFixtures + "/start_state.yaml");
  return out;
}

TEST(CliName, FollowsBotocore) {
  EXPECT_EQ(test::cli_name("CreateGrantVersion"), "create-grant-version");
  EXPECT_EQ(test::cli_name("EnableAWSServiceAccess"), "enable-aws-service-access");
  EXPECT_EQ(test::cli_name("AWSServiceName"), "aws-service-name");
  EXPECT_EQ(test::cli_name("GrantArns"), "grant-arns");
  EXPECT_EQ(test::cli_name("ListAWSServiceAccessForOrganization"), "list-aws-service-access-for-organization");
}

TEST(ServiceModelCheck, CatchesWrongCommands) {
  test::ServiceModels models;
  auto check = [&](const std::string& line) {
    auto cmds = aws::script_commands(line);
    EXPECT_EQ(cmds.size(), 1u) << line;
    return cmds.empty() ? std::vector<std::string>{"none"} : models.check_command(cmds[0]);
  };
  EXPECT_TRUE(check("aws --profile p --region us-east-1 license-manager accept-grant --grant-arn "
                    "arn:aws:license-manager::838202657455:grant:g-1a7ef6ae1bba45a0bb83ebf701e3340d").empty());
  EXPECT_FALSE(check("aws --profile p --region us-east-1 license-manager accept-grants --grant-arn x").empty());
  EXPECT_FALSE(check("aws --profile p --region us-east-1 license-manager accept-grant --grant x").empty());
  EXPECT_FALSE(check("aws --profile p --region us-east-1 license-manager accept-grant").empty());  // required
  EXPECT_FALSE(check("aws --profile p --region us-east-1 license-manager create-grant-version --client-token t "
                     "--grant-arn x --status ENABLED")
                   .empty());
  EXPECT_FALSE(check("aws --profile p --region us-east-1 license-manager create-grant-version --client-token t "
                     "--grant-arn x --options Override=ALL")
                   .empty());
  EXPECT_FALSE(check("aws --profile p --region us-east-1 organizations invite-account-to-organization "
                     "--target Id=123456789012,Type=USER")
                   .empty());
}

TEST(Export, EveryCommandValidatesAgainstTheServiceModels) {
  test::ServiceModels models;
  for (const std::string& file : scenario_files()) {
    Scenario sc = parse_scenario_file(file);
    aws::ExportedScript s = aws::export_aws_cli(sc);
    EXPECT_TRUE(s.problems.empty()) << file;
    auto cmds = aws::script_commands(s.text);
    EXPECT_EQ(cmds.size(), s.commands) << file;
    for (const auto& c : cmds) {
      for (const auto& p : models.check_command(c)) ADD_FAILURE() << file << ": " << p;
      EXPECT_EQ(c.profile.rfind("acct-", 0), 0u);
      Region r{};
      EXPECT_TRUE(parse(c.region, r)) << file << ": " << c.region;
    }
  }
}

// The calls a script's commands and console comments stand for, compared with
// the scenario's own calls field by field.
TEST(Export, ReadBackGivesTheSameCalls) {
  for (const std::string& file : scenario_files()) {
    SCOPED_TRACE(file);
    Scenario sc = parse_scenario_file(file);
    ScenarioRun run(sc);
    run.run_all();
    std::vector<const StepReport*> calls;
    for (const auto& r : run.reports())
      if (r.number > 0 && !r.is_expect && r.applied) calls.push_back(&r);
    aws::ExportedScript s = aws::export_aws_cli(sc);
    auto steps = aws::read_script(s.text);
    ASSERT_EQ(steps.size(), calls.size());
    for (size_t i = 0; i < steps.size(); ++i) {
      const StepReport& r = *calls[i];
      const Call& c = r.call;
      const aws::ScriptStep& st = steps[i];
      SCOPED_TRACE(st.summary);
      EXPECT_EQ(st.step, r.number);
      EXPECT_EQ(st.summary.rfind(r.call_text, 0), 0u);
      const bool console_only = c.op == Op::Subscribe || c.op == Op::CancelSubscription ||
                                c.op == Op::DeactivateLicense || c.op == Op::ExpireLicense ||
                                ((c.op == Op::LaunchWorkload || c.op == Op::StopWorkload) &&
                                 sc.initial.products[c.product] != ProductType::AMI);
      EXPECT_EQ(st.console, console_only);
      if (console_only) {
        EXPECT_TRUE(st.commands.empty());
        continue;
      }
      ASSERT_FALSE(st.commands.empty());
      const aws::ScriptCommand& cmd = st.commands.back();
      EXPECT_EQ(cmd.profile, aws::profile_of(sc.names.account(c.caller)));
      EXPECT_EQ(cmd.may_fail, !r.outcome.ok());
      auto one = [&](const char* p) -> std::string {
        auto v = cmd.param(p);
        return v && v->size() == 1 ? (*v)[0] : "<absent>";
      };
      auto grant_var = [&](GrantIx g) { return "$GRANT" + std::to_string(g + 1); };
      switch (c.op) {
        case Op::CreateGrant:
          EXPECT_EQ(cmd.operation, "create-grant");
          EXPECT_EQ(one("license-arn"), "$LIC" + std::to_string(c.license + 1));
          EXPECT_EQ(one("principals"), c.to_org ? sc.names.organization_arn(0)
                                                : "arn:aws:iam::" + sc.names.account(c.account) + ":root");
          if (c.name) { EXPECT_EQ(one("grant-name"), sc.names.string(c.name)); }
          if (c.token) { EXPECT_EQ(one("client-token"), sc.names.token(c.token)); }
          break;
        case Op::AcceptGrant:
        case Op::RejectGrant:
          EXPECT_EQ(cmd.operation, c.op == Op::AcceptGrant ? "accept-grant" : "reject-grant");
          EXPECT_EQ(one("grant-arn"), grant_var(c.grant));
          break;
        case Op::AcceptAndActivateGrant:
          ASSERT_EQ(st.commands.size(), 2u);
          EXPECT_EQ(st.commands[0].operation, "accept-grant");
          EXPECT_EQ(cmd.operation, "create-grant-version");
          EXPECT_EQ(one("status"), "ACTIVE");
          break;
        case Op::CreateGrantVersion:
          EXPECT_EQ(cmd.operation, "create-grant-version");
          EXPECT_EQ(one("grant-arn"), grant_var(c.grant));
          if (c.has_status) { EXPECT_EQ(one("status"), to_string(c.status)); }
          else { EXPECT_EQ(cmd.param("status"), nullptr); }
          if (c.reason) { EXPECT_EQ(one("status-reason"), sc.names.string(c.reason)); }
          if (c.version) { EXPECT_EQ(one("source-version"), std::to_string(c.version)); }
          if (c.override_behavior != ActivationOverride::NONE) {
            EXPECT_EQ(one("options"), "ActivationOverrideBehavior=" + std::string(to_string(c.override_behavior)));
          }
          if (c.token) { EXPECT_EQ(one("client-token"), sc.names.token(c.token)); }
          break;
        case Op::DeleteGrant:
          EXPECT_EQ(cmd.operation, "delete-grant");
          EXPECT_EQ(one("grant-arn"), grant_var(c.grant));
          EXPECT_EQ(one("version"), std::to_string(c.version));
          break;
        case Op::UpdateServiceSettings:
          EXPECT_EQ(one("organization-configuration"), c.enable ? "EnableIntegration=true" : "EnableIntegration=false");
          break;
        case Op::EnableAWSServiceAccess:
          EXPECT_EQ(cmd.operation, "enable-aws-service-access");
          EXPECT_EQ(one("service-principal"), c.service == Service::LicenseManager
                                                  ? "license-manager.amazonaws.com"
                                                  : "license-management.marketplace.amazonaws.com");
          break;
        case Op::CreateServiceLinkedRole:
          EXPECT_EQ(cmd.service, "iam");
          break;
        case Op::InviteAccountToOrganization:
          EXPECT_EQ(one("target"), "Id=" + sc.names.account(c.account) + ",Type=ACCOUNT");
          break;
        case Op::RemoveAccountFromOrganization:
        case Op::RegisterDelegatedAdministrator:
        case Op::DeregisterDelegatedAdministrator:
          EXPECT_EQ(one("account-id"), sc.names.account(c.account));
          break;
        case Op::LaunchWorkload:
          EXPECT_EQ(cmd.operation, "run-instances");
          EXPECT_NE(one("image-id").find("AMI_" + std::to_string(c.product + 1)), std::string::npos);
          break;
        case Op::StopWorkload:
          EXPECT_EQ(cmd.operation, "terminate-instances");
          break;
        default:
          break;
      }
    }
  }
}

TEST(Export, ScriptShapeAndCli) {
  std::string out = test::temp_path("script.sh");
  auto res = test::entmc("export --aws-cli " + std::string(ENTMC_SOURCE_DIR) +
                         "/scenarios/seed/org_grant_bulk_activation.yaml -o " + out);
  ASSERT_EQ(res.code, 0) << res.out;
  std::string s = test::read_file(out);
  EXPECT_EQ(s.rfind("#!/usr/bin/env bash\n", 0), 0u);
  EXPECT_NE(s.find("set -euo pipefail"), std::string::npos);
  EXPECT_NE(s.find("# console: as 838202657455, subscribe to 'Ubuntu'"), std::string::npos) << s;
  EXPECT_NE(s.find("GRANT1=$(aws --profile acct-838202657455"), std::string::npos) << s;
  EXPECT_NE(s.find("--client-token entmc-"), std::string::npos);
  EXPECT_NE(s.find("|| echo 'step 4 failed, as the model expects (AccessDeniedException)'"), std::string::npos) << s;
  EXPECT_EQ(test::entmc("export --aws-cli /nonexistent.yaml").code, 2);
  // The script is valid bash.
  EXPECT_EQ(std::system(("bash -n " + out).c_str()), 0);
}

}  // namespace
}  // namespace entmc
