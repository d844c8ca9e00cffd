// The writer's round trip: raw calls -> scenario text -> parse -> replay gives
// the same initial World, the same outcomes and the same final digest.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "scenario/scenario_run.h"
#include "scenario/scenario_writer.h"

namespace entmc {
namespace {

// Replays `text` and checks it against applying `calls` directly.
void expect_round_trip(const Names& names, const World& initial, const std::vector<Call>& calls,
                       const std::string& text) {
  Scenario back = parse_scenario_text(text, "written.yaml");
  ASSERT_TRUE(back.initial == initial) << text;
  ASSERT_EQ(back.names.accounts, names.accounts);
  ASSERT_EQ(back.names.products, names.products);
  World direct = initial;
  std::vector<Outcome> outcomes;
  for (const Call& c : calls) outcomes.push_back(apply(direct, c));
  ScenarioRun run(back);
  run.run_all();
  ASSERT_EQ(run.reports().size(), calls.size() + 1) << text;
  for (size_t i = 0; i < calls.size(); ++i) {
    const StepReport& r = run.reports()[i + 1];
    for (const auto& f : r.failures)
      EXPECT_EQ(f.kind, StepFailure::Kind::Invariant) << "step " << r.number << ": " << f.what << ": " << f.detail
                                                      << "\n" << text;
    ASSERT_TRUE(r.applied) << text;
    EXPECT_EQ(r.outcome.error, outcomes[i].error) << "step " << r.number << "\n" << text;
  }
  EXPECT_EQ(run.world().digest(), direct.digest()) << text;
  EXPECT_TRUE(run.world() == direct);
}

TEST(Writer, EverySeedRoundTrips) {
  for (const auto& e : std::filesystem::directory_iterator(std::string(ENTMC_SOURCE_DIR) + "/scenarios/seed")) {
    if (e.path().extension() != ".yaml") continue;
    SCOPED_TRACE(e.path().string());
    Scenario sc = parse_scenario_file(e.path().string());
    ScenarioRun run(sc);
    run.run_all();
    std::string text = write_scenario(sc.names, sc.initial, run.calls(), {sc.name, sc.description, "the end"});
    expect_round_trip(sc.names, sc.initial, run.calls(), text);
    EXPECT_NE(text.find("\n# the end\n"), std::string::npos);
  }
}

constexpr const char* kRandomOrg = R"(name: random
org:
  id: o-45889zf4mv
  feature_set: ALL
  management: "838202657455"
  members: ["776190005587", "753322148001"]
  outside: ["078848857584"]
  govcloud: {"111111111111": "776190005587"}
  prerequisites: [trusted_access, license_manager_roles, {account: "838202657455", roles: [license-manager-master]},
                  {account: "776190005587", roles: [marketplace]}]
products:
  - {name: Widget, type: AMI}
  - {name: "Feed: \"SaaS\"", type: SAAS}
)";

// Random calls with every parameter of the operation drawn at random,
// including indices one past the end, the issuer as caller and GovCloud regions.
std::vector<Call> random_calls(std::mt19937& rng, const World& initial, Names& names, size_t count) {
  auto pick = [&](uint32_t n) { return uint32_t(std::uniform_int_distribution<uint32_t>(0, n - 1)(rng)); };
  World w = initial;
  std::vector<Call> out;
  for (size_t i = 0; i < count; ++i) {
    Call c;
    c.op = Op(pick(kOpCount));
    const OpSpec& sp = spec(c.op);
    c.caller = (c.op == Op::DeactivateLicense || c.op == Op::ExpireLicense) && pick(4) ? kIssuer
                                                                                      : pick(uint32_t(w.accounts.size()));
    c.region = pick(8) ? kHomeRegion : Region(pick(kRegionCount));
    if (sp.params & kPProduct) c.product = ProductIx(pick(uint32_t(w.products.size())));
    if (sp.params & kPLicense) c.license = pick(uint32_t(w.licenses.size()) + 1);
    if (sp.params & kPGrant) c.grant = w.grants.empty() || pick(10) == 0 ? pick(uint32_t(w.grants.size()) + 1)
                                                                        : uint32_t(w.grants.size() - 1 - pick(std::min<uint32_t>(uint32_t(w.grants.size()), 4)));
    if (sp.params & kPAccount) c.account = pick(uint32_t(w.accounts.size()));
    if (sp.params & kPPrincipal) {
      c.to_org = pick(2);
      if (!c.to_org) c.account = pick(uint32_t(w.accounts.size()));
    }
    if ((sp.params & kPName) && pick(2)) c.name = StringId(kFirstUserString + pick(3));
    if ((sp.params & kPReason) && pick(3) == 0) c.reason = StringId(pick(2) ? kFirstUserString + 3 : kReasonAccountLeftOrganization);
    if ((sp.params & kPStatus) && pick(4)) {
      c.has_status = true;
      c.status = pick(4) ? (pick(2) ? GrantStatus::ACTIVE : GrantStatus::DISABLED) : GrantStatus(pick(kGrantStatusCount));
    }
    if (sp.params & kPVersion) {
      uint32_t current = c.grant < w.grants.size() ? w.grants[c.grant].version : 1;
      c.version = pick(5) ? current : pick(4);
    }
    if ((sp.params & kPOverride) && pick(3) == 0) c.override_behavior = ActivationOverride(1 + pick(2));
    if ((sp.params & kPToken) && pick(3) == 0) c.token = TokenId(1 + pick(uint32_t(names.token_count())));
    if (sp.params & kPService) c.service = Service(pick(4));
    if (sp.params & kPEnable) c.enable = pick(4) != 0;
    if ((sp.params & kPAllowedOps) && pick(5) == 0) c.allowed_ops = uint8_t(1 + pick(127));
    apply(w, c);
    out.push_back(c);
  }
  return out;
}

TEST(Writer, RandomCallsRoundTrip) {
  std::mt19937 rng(20261123);
  size_t failures_written = 0, successes = 0;
  for (int trial = 0; trial < 80; ++trial) {
    Scenario sc = parse_scenario_text(kRandomOrg, "random.yaml");
    // Interned in an order that first use will not reproduce: the writer must pin it.
    for (const char* s : {"third", "first", "second", "a reason"}) sc.names.intern_string(s);
    for (const char* t : {"tok-b", "tok-a"}) sc.names.intern_token(t);
    sc.initial.tokens.resize(sc.names.token_count() + 1);
    std::vector<Call> calls = random_calls(rng, sc.initial, sc.names, 40);
    std::string text = write_scenario(sc.names, sc.initial, calls, {"random trial " + std::to_string(trial), "", ""});
    expect_round_trip(sc.names, sc.initial, calls, text);
    if (HasFatalFailure() || HasNonfatalFailure()) return;
    for (size_t p = 0; (p = text.find("fails:", p)) != std::string::npos; ++p) ++failures_written;
    for (size_t p = 0; (p = text.find(" as: ", p)) != std::string::npos; ++p) ++successes;
  }
  EXPECT_GT(successes, 50u);  // the random calls create things, not only fail
  EXPECT_GT(failures_written, 500u);
}

TEST(Writer, ReadableOutput) {
  Scenario sc = parse_scenario_text(R"(name: readable
org: {id: o-45889zf4mv, feature_set: ALL, management: "838202657455", members: ["776190005587"], prerequisites: all}
products: [{name: Widget, type: AMI}]
steps:
  - Subscribe: {caller: "838202657455", product: Widget, as: w}
  - CreateGrant: {caller: "838202657455", license: w, principal: o-45889zf4mv, name: Org, as: org}
  - CreateGrantVersion: {caller: "776190005587", grant: org, recipient: "776190005587", status: ACTIVE}
  - CreateGrant: {caller: "776190005587", license: w, principal: "838202657455", fails: AccessDeniedException}
)",
                                    "r.yaml");
  ScenarioRun run(sc);
  ASSERT_TRUE(run.run_all());
  std::string text = write_scenario(sc.names, sc.initial, run.calls(), {"readable", "", "violation: none"});
  EXPECT_EQ(text, R"(name: "readable"
org:
  id: o-45889zf4mv
  feature_set: ALL
  management: "838202657455"
  members: ["776190005587"]
  prerequisites:
    - trusted_access
    - linked_accounts
    - service_linked_roles
products:
  - {name: "Widget", type: AMI}
steps:
  - Subscribe: {caller: "838202657455", product: "Widget", as: lic1}
  - CreateGrant: {caller: "838202657455", license: lic1, principal: o-45889zf4mv, name: "Org", as: grant1}
  - CreateGrantVersion: {caller: "776190005587", grant: grant1, recipient: "776190005587", status: ACTIVE}
  - CreateGrant: {caller: "776190005587", license: lic1, principal: "838202657455", fails: AccessDeniedException}
# violation: none
)");
}

TEST(Writer, RefusesWhatItCannotExpress) {
  Scenario sc = parse_scenario_text(
      "name: x\norg: {feature_set: ALL, management: \"838202657455\", members: [\"776190005587\"]}\n"
      "products: [{name: W, type: AMI}]\n",
      "x.yaml");
  World w = sc.initial;
  w.licenses.push_back(License{});  // expressible since the `start` section (tests/aws/start_state_test.cpp)
  EXPECT_NE(write_scenario(sc.names, w, {}).find("start:"), std::string::npos);
  World swapped = sc.initial;
  std::swap(swapped.accounts[0], swapped.accounts[1]);
  swapped.org.management = 1;
  EXPECT_THROW(write_scenario(sc.names, swapped, {}), std::invalid_argument);
}

}  // namespace
}  // namespace entmc
