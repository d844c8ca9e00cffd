// The language's errors: FILE:LINE:COL at the offending node, the known names
// listed, type errors in words; a good file compiles into Properties of the
// kinds written.
#include <gtest/gtest.h>

#include "policy/user_properties.h"

namespace entmc::policy {
namespace {

constexpr const char* kOrg = R"(name: policy test
org:
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222", "333333333333"]
  outside: ["444444444444"]
  prerequisites: all
  tags:
    prod: ["222222222222"]
products:
  - {name: Widget AMI, type: AMI}
)";

std::shared_ptr<const UserProperties> compile(const std::string& properties) {
  const Scenario sc = parse_scenario_text(std::string(kOrg) + properties, "policy.yaml");
  return compile_user_properties(sc);
}

// The error's text, or "" when it compiles.
std::string error_of(const std::string& properties) {
  try {
    compile(properties);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(PolicyParse, AGoodFileCompilesEachKind) {
  auto u = compile(R"(properties:
  - name: a
    description: prod can launch
    always: {for_all: {accounts: {tag: prod}, check: {can_launch: Widget AMI}}}
  - name: b
    never: {exists: {grants: {grantee: outside, status: ACTIVE}}}
  - name: c
    sometimes: {exists: {grants: {status: ACTIVE}}}
  - name: d
    transition:
      implies:
        if: {call: {operation: LaunchWorkload, outcome: success}}
        then: {before: {can_launch: {account: $caller, product: $call_product}}}
  - name: e
    eventually_possible: {can_launch: {account: management, product: Widget AMI}}
)");
  ASSERT_TRUE(u);
  ASSERT_EQ(u->properties().size(), 4u);
  EXPECT_EQ(u->properties()[0].kind, PropertyKind::Always);
  EXPECT_EQ(u->properties()[0].statement, "prod can launch");
  EXPECT_EQ(u->properties()[0].seed, "policy.yaml:13");
  EXPECT_TRUE(u->properties()[0].check_local) << "a quantifier over tagged accounts has a local check";
  EXPECT_EQ(u->properties()[1].kind, PropertyKind::Always);
  EXPECT_TRUE(u->properties()[1].check_local);
  EXPECT_EQ(u->properties()[2].kind, PropertyKind::Sometimes);
  EXPECT_EQ(u->properties()[3].kind, PropertyKind::Transition);
  // The transition judges successful launches only (implies: if: call:).
  EXPECT_EQ(u->properties()[3].judges_ops, op_bit(Op::LaunchWorkload));
  EXPECT_EQ(u->properties()[3].judges_outcome, kSucceeded);
  ASSERT_EQ(u->eventually().size(), 1u);
  EXPECT_EQ(u->named_accounts(), std::vector<AccountIx>{1}) << "the tag's account";
}

TEST(PolicyParse, NoSectionNoProperties) { EXPECT_EQ(compile(""), nullptr); }

TEST(PolicyParse, ErrorsSayWhereAndWhatIsKnown) {
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {frobnicate: 1}\n"),
            "policy.yaml:14:14: error: unknown key 'frobnicate' in a predicate (expected one of: and, or, not, "
            "implies, for_all, exists, count, can_launch, running, grant, license, account, member, "
            "delegated_admin, before, after, call)");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {for_all: {accounts: {tag: qa}, check: true}}\n"),
            "policy.yaml:14:40: error: unknown tag 'qa' (tags declared in the org section: prod)");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {can_launch: {account: management, product: Gadget}}\n"),
            "policy.yaml:14:57: error: unknown product 'Gadget' (products: Widget AMI)");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    never: {exists: {grants: {status: GRANTED}}}\n"),
            "policy.yaml:14:39: error: unknown grant status 'GRANTED' (PENDING_WORKFLOW, PENDING_ACCEPT, "
            "REJECTED, ACTIVE, FAILED_WORKFLOW, DELETED, PENDING_DELETE, DISABLED, WORKFLOW_COMPLETED)");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {member: \"999999999999\"}\n"),
            "policy.yaml:14:22: error: unknown account 999999999999 (not listed in the org section)");
}

TEST(PolicyParse, TypeErrorsInWords) {
  EXPECT_EQ(error_of(R"(properties:
  - name: a
    always:
      for_all:
        grants: {}
        as: g
        check: {can_launch: {account: $g, product: Widget AMI}}
)"),
            "policy.yaml:18:39: error: '$g' is a grant (bound at line 17), not an account");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {can_launch: Widget AMI}\n"),
            "policy.yaml:14:26: error: can_launch needs an account: give `account:` or use it inside a quantifier "
            "over accounts");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {before: true}\n"),
            "policy.yaml:14:13: error: `before:` is for transition properties");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: {for_all: {accounts: all, check: {member: $x}}}\n"),
            "policy.yaml:14:55: error: unknown variable '$x' (in scope here: $account)");
}

TEST(PolicyParse, NamesAreUniqueAndNotBuiltIn) {
  EXPECT_EQ(error_of("properties:\n  - name: terminal-grant-states\n    always: true\n"),
            "policy.yaml:13:11: error: 'terminal-grant-states' is the name of a built-in property");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: true\n  - name: a\n    never: false\n"),
            "policy.yaml:15:11: error: property 'a' is defined twice");
  EXPECT_EQ(error_of("properties:\n  - name: a\n    always: true\n    never: false\n"),
            "policy.yaml:15:5: error: a property has one kind, not always and never");
}

}  // namespace
}  // namespace entmc::policy
