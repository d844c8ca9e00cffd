// Bad input: every kind of mistake is a ScenarioError at the right line and
// column, never a crash (issue 2, bad-input rules).
#include <gtest/gtest.h>

#include <string>

#include "scenario/scenario.h"

namespace entmc {
namespace {

constexpr const char* kHeader = R"(name: t
org:
  id: o-45889zf4mv
  feature_set: ALL
  management: "838202657455"
  members: ["776190005587"]
  outside: ["078848857584"]
  prerequisites: all
products:
  - {name: Widget, type: AMI}
steps:
  - Subscribe: {caller: "838202657455", product: Widget, as: lic}
)";

// The error for `steps_tail` appended to the header (its first line is line 13).
std::string error_of(const std::string& text) {
  try {
    parse_scenario_text(text, "t.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}
std::string step_error(const std::string& steps_tail) { return error_of(std::string(kHeader) + steps_tail); }

TEST(ParseErrors, TheHeaderAloneIsValid) { EXPECT_EQ(step_error(""), "no error"); }

TEST(ParseErrors, YamlSyntax) {
  EXPECT_EQ(step_error("  - CreateGrant: {caller: \"838202657455\"\n"),
            "t.yaml:14:1: error: YAML syntax: end of map flow not found");
}

TEST(ParseErrors, UnknownOperation) {
  EXPECT_EQ(step_error("  - GrantEverything: {caller: \"838202657455\"}\n"),
            "t.yaml:13:5: error: unknown operation 'GrantEverything'");
}

TEST(ParseErrors, UnknownParameter) {
  std::string e = step_error("  - AcceptGrant: {caller: \"838202657455\", grant: g1, colour: red}\n");
  EXPECT_NE(e.find("t.yaml:13:"), std::string::npos) << e;
  // the alias is checked first (g1 is unknown) or the parameter: either way line 13
  std::string e2 = step_error(
      "  - CreateGrant: {caller: \"838202657455\", license: lic, principal: \"776190005587\", colour: red}\n");
  EXPECT_EQ(e2.rfind("t.yaml:13:", 0), 0u) << e2;
  EXPECT_NE(e2.find("CreateGrant has no parameter 'colour'"), std::string::npos) << e2;
}

TEST(ParseErrors, ParameterOfAnotherOperation) {
  std::string e = step_error("  - Subscribe: {caller: \"838202657455\", product: Widget, grant: lic}\n");
  EXPECT_NE(e.find("Subscribe has no parameter 'grant'"), std::string::npos) << e;
}

TEST(ParseErrors, WrongTypes) {
  EXPECT_NE(step_error("  - Subscribe: {caller: [\"838202657455\"], product: Widget}\n")
                .find("t.yaml:13:25: error: caller must be a single value, not a list"),
            std::string::npos);
  EXPECT_NE(step_error("  - DeleteGrant: {caller: \"838202657455\", grant: g-00000000000000000000000000000000, version: two}\n")
                .find("version must be a whole number"),
            std::string::npos);
  EXPECT_NE(step_error("  - UpdateServiceSettings: {caller: \"838202657455\", enable: maybe}\n")
                .find("enable must be true or false"),
            std::string::npos);
  EXPECT_NE(step_error("  - Subscribe: \"838202657455\"\n").find("must be a map, not a scalar"), std::string::npos);
  EXPECT_NE(step_error("  - Subscribe: {caller: \"838202657455\", product: Widget}\n    extra: 1\n").find("t.yaml:"),
            std::string::npos);
}

TEST(ParseErrors, MissingRequiredParameters) {
  EXPECT_EQ(step_error("  - Subscribe: {product: Widget}\n"), "t.yaml:13:16: error: Subscribe needs a caller");
  EXPECT_EQ(step_error("  - Subscribe: {caller: \"838202657455\"}\n"), "t.yaml:13:5: error: Subscribe needs product");
}

TEST(ParseErrors, UnknownAlias) {
  EXPECT_EQ(step_error("  - AcceptGrant: {caller: \"776190005587\", grant: nothing}\n"),
            "t.yaml:13:50: error: unknown grant alias 'nothing' (no earlier step says `as: nothing`)");
}

TEST(ParseErrors, AliasUsedBeforeItsDefinition) {
  std::string e = step_error(
      "  - AcceptGrant: {caller: \"776190005587\", grant: later}\n"
      "  - CreateGrant: {caller: \"838202657455\", license: lic, principal: \"776190005587\", as: later}\n");
  EXPECT_EQ(e.rfind("t.yaml:13:", 0), 0u) << e;
}

TEST(ParseErrors, AliasOfTheWrongKind) {
  std::string e = step_error("  - AcceptGrant: {caller: \"776190005587\", grant: lic}\n");
  EXPECT_NE(e.find("'lic' names a license, not a grant"), std::string::npos) << e;
}

TEST(ParseErrors, DuplicateAlias) {
  EXPECT_EQ(step_error("  - Subscribe: {caller: \"776190005587\", product: Widget, as: lic}\n"),
            "t.yaml:13:62: error: duplicate alias 'lic' (already defined at line 12)");
}

TEST(ParseErrors, AliasOnAFailingStep) {
  EXPECT_NE(step_error("  - Subscribe: {caller: \"776190005587\", product: Widget, fails: ConflictException, as: x}\n")
                .find("creates nothing to name"),
            std::string::npos);
}

TEST(ParseErrors, MalformedAccountIds) {
  EXPECT_EQ(step_error("  - Subscribe: {caller: \"83820265745\", product: Widget}\n"),
            "t.yaml:13:25: error: caller: malformed account ID '83820265745' (12 digits expected)");
  EXPECT_NE(step_error("  - Subscribe: {caller: 8382026574x5, product: Widget}\n").find("malformed account ID"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\norg: {feature_set: ALL, management: \"12345\"}\n").find("t.yaml:2:"), std::string::npos);
}

TEST(ParseErrors, UnknownAccount) {
  EXPECT_EQ(step_error("  - Subscribe: {caller: \"111122223333\", product: Widget}\n"),
            "t.yaml:13:25: error: caller: unknown account 111122223333 (not listed in the org section)");
}

TEST(ParseErrors, DuplicateAccount) {
  EXPECT_NE(error_of("name: t\norg: {feature_set: ALL, management: \"838202657455\", members: [\"838202657455\"]}\n")
                .find("t.yaml:2:63: error: account 838202657455 is listed twice"),
            std::string::npos);
}

TEST(ParseErrors, MalformedOrganizationIds) {
  EXPECT_EQ(error_of("name: t\norg: {id: o-SHOUT, feature_set: ALL, management: \"838202657455\"}\n"),
            "t.yaml:2:11: error: malformed organization ID 'o-SHOUT' (o- and 10 to 32 lowercase letters or digits)");
  EXPECT_NE(step_error("  - CreateGrant: {caller: \"838202657455\", license: lic, principal: o-12}\n")
                .find("principal: malformed organization ID 'o-12'"),
            std::string::npos);
  EXPECT_NE(step_error("  - CreateGrant: {caller: \"838202657455\", license: lic, principal: o-aaaaaaaaaaaa}\n")
                .find("unknown organization o-aaaaaaaaaaaa"),
            std::string::npos);
}

TEST(ParseErrors, UnknownProduct) {
  EXPECT_EQ(step_error("  - Subscribe: {caller: \"838202657455\", product: Gadget}\n"),
            "t.yaml:13:50: error: unknown product 'Gadget' (not listed in the products section)");
}

TEST(ParseErrors, UnknownEnums) {
  EXPECT_NE(step_error("  - CreateGrant: {caller: \"838202657455\", license: lic, principal: \"776190005587\", as: g}\n"
                       "  - CreateGrantVersion: {caller: \"838202657455\", grant: g, status: ON}\n")
                .find("t.yaml:14:68: error: unknown grant status 'ON'"),
            std::string::npos);
  EXPECT_NE(step_error("  - Subscribe: {caller: \"838202657455\", product: Widget, region: mars-1}\n").find("unknown region"),
            std::string::npos);
  EXPECT_NE(step_error("  - Subscribe: {caller: \"838202657455\", product: Widget, fails: Oops}\n")
                .find("unknown error code 'Oops'"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\norg: {feature_set: SOME, management: \"838202657455\"}\n").find("unknown feature_set"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\norg: {feature_set: ALL, management: \"838202657455\"}\nproducts: [{name: W, type: VM}]\n")
                .find("unknown product type 'VM'"),
            std::string::npos);
}

TEST(ParseErrors, UnknownTopLevelKey) {
  EXPECT_EQ(error_of("name: t\norg: {feature_set: ALL, management: \"838202657455\"}\nsetps: []\n"),
            "t.yaml:3:1: error: unknown key 'setps' in the scenario (expected one of: name, description, org, "
            "products, strings, client_tokens, steps, bounds, simulation, id_seed, properties)");
  // Sections other commands read are accepted and kept.
  Scenario sc = parse_scenario_text("name: t\norg: {feature_set: ALL, management: \"838202657455\"}\nbounds: {depth: 3}\n",
                                    "t.yaml");
  EXPECT_EQ(sc.root["bounds"]["depth"].as<int>(), 3);
}

TEST(ParseErrors, DuplicateKeys) {
  EXPECT_NE(step_error("  - Subscribe: {caller: \"838202657455\", caller: \"776190005587\", product: Widget}\n")
                .find("duplicate key 'caller'"),
            std::string::npos);
}

TEST(ParseErrors, StepShape) {
  EXPECT_NE(step_error("  - {Subscribe: {caller: \"838202657455\", product: Widget}, AcceptGrant: {}}\n")
                .find("exactly one key"),
            std::string::npos);
  EXPECT_NE(error_of("- just a list\n").find("t.yaml:1:1: error: a scenario is a map"), std::string::npos);
  EXPECT_NE(error_of("").find("error: a scenario is a map"), std::string::npos);
  EXPECT_NE(error_of("name: t\n").find("needs an org section"), std::string::npos);
}

TEST(ParseErrors, Expectations) {
  EXPECT_NE(step_error("  - expect: {grant: nope, status: ACTIVE}\n").find("unknown grant alias 'nope'"), std::string::npos);
  EXPECT_NE(step_error("  - expect: {license: lic, status: FINE}\n").find("unknown license status 'FINE'"),
            std::string::npos);
  EXPECT_NE(step_error("  - expect: {account: \"776190005587\", running: 1}\n").find("running needs a product"),
            std::string::npos);
  EXPECT_NE(step_error("  - expect: {license: lic, account: \"776190005587\"}\n").find("exactly one of"),
            std::string::npos);
  EXPECT_NE(step_error("  - expect: {license: lic}\n").find("asserts nothing"), std::string::npos);
  EXPECT_NE(step_error("  - expect: {license: lic, colour: red}\n").find("unknown key 'colour'"), std::string::npos);
  EXPECT_NE(step_error("  - expect: {delegated_admin: \"999999999999\"}\n").find("unknown account"), std::string::npos);
}

TEST(ParseErrors, Prerequisites) {
  EXPECT_NE(error_of("name: t\norg: {feature_set: CONSOLIDATED_BILLING, management: \"838202657455\", "
                     "prerequisites: [trusted_access]}\n")
                .find("needs feature_set ALL"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\norg: {feature_set: ALL, management: \"838202657455\", prerequisites: [magic]}\n")
                .find("unknown prerequisite 'magic'"),
            std::string::npos);
}

TEST(ParseErrors, MissingFile) {
  try {
    parse_scenario_file("/nonexistent/x.yaml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/x.yaml:1:1: error: cannot open the file");
  }
}

}  // namespace
}  // namespace entmc
