// `entmc audit`: CloudTrail histories of the seed flows (tests/aws/fixtures/
// trail) replayed from the imported fixture organization: a clean history, one
// with a violation (a workload launched after its grant was deleted), one with
// a divergence (AWS refused what the model accepts), the same history as
// lookup-events output, and a truncated file.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <sstream>

#include "aws/audit.h"
#include "aws/audit_report.h"
#include "aws/json_input.h"
#include "aws/org_import.h"
#include "scenario/scenario_run.h"
#include "service_models.h"
#include "test_support.h"

namespace entmc {
namespace {

const std::string kTrail = test::kFixtures + "/trail";
const std::string kAmi = "ami-0c7217cdde317cfec=Ubuntu";

struct Audited {
  std::vector<aws::Finding> findings;
  aws::AuditStats stats;
  std::string error;
};

const Scenario& start() {
  static const Scenario sc = [] {
    aws::ImportedOrg o = aws::import_directory(test::kFixtures + "/org");
    return parse_scenario_text(o.scenario, "imported.yaml");
  }();
  return sc;
}

Audited audit(const std::vector<std::string>& files) {
  aws::AuditOptions opt;
  opt.amis["ami-0c7217cdde317cfec"] = "Ubuntu";
  aws::Auditor a(start(), opt);
  Audited out;
  try {
    for (const auto& f : files) aws::read_trail_file(kTrail + "/" + f, [&](aws::TrailEvent&& e) { a.add(std::move(e)); });
  } catch (const aws::InputError& e) {
    out.error = e.what();
  }
  a.finish();
  out.findings = a.findings();
  out.stats = a.stats();
  return out;
}

std::string imported_start() {
  static const std::string path = [] {
    std::string p = test::temp_path("start.yaml");
    auto res = test::entmc("import " + test::kFixtures + "/org -o " + p);
    EXPECT_EQ(res.code, 0) << res.out;
    return p;
  }();
  return path;
}

TEST(AuditFixtures, HaveTheRealOutputShapes) {
  test::ServiceModels models;
  auto j = nlohmann::json::parse(test::read_file(kTrail + "/lookup-clean.json"));
  for (const auto& p : models.check_output("cloudtrail", "LookupEvents", j)) ADD_FAILURE() << p;
  // The License Manager responses the auditor reads: members of the operations' outputs.
  for (const char* f : {"trail-clean.json", "trail-violation.json"}) {
    auto t = nlohmann::json::parse(test::read_file(kTrail + "/" + f));
    for (const auto& r : t["Records"]) {
      if (r["eventSource"] != "license-manager.amazonaws.com" || r["responseElements"].is_null()) continue;
      nlohmann::json pascal;
      for (const auto& [k, v] : r["responseElements"].items()) pascal[std::string(1, char(std::toupper(k[0]))) + k.substr(1)] = v;
      for (const auto& p : models.check_output("license-manager", r["eventName"], pascal)) ADD_FAILURE() << f << ": " << p;
      nlohmann::json req;
      for (const auto& [k, v] : r["requestParameters"].items()) req[std::string(1, char(std::toupper(k[0]))) + k.substr(1)] = v;
      const auto& op = models.service("license-manager")["operations"][r["eventName"].get<std::string>()];
      for (const auto& p : models.check_shape("license-manager", op["input"]["shape"], req, "request"))
        ADD_FAILURE() << f << ": " << p;
    }
  }
}

TEST(Audit, CleanHistoryHasNoFindings) {
  Audited a = audit({"trail-clean.json"});
  for (const auto& f : a.findings) ADD_FAILURE() << f.what << ": " << f.detail;
  EXPECT_EQ(a.stats.records, 6u);
  EXPECT_EQ(a.stats.applied, 4u);  // accept, activate, launch, terminate (out of file order: reordered)
  EXPECT_EQ(a.stats.skipped, 2u);  // a List call and an S3 call
}

TEST(Audit, LookupEventsOutputGivesTheSameAudit) {
  Audited a = audit({"lookup-clean.json"});
  EXPECT_TRUE(a.findings.empty());
  EXPECT_EQ(a.stats.applied, 4u);
}

TEST(Audit, LaunchAfterTheGrantWasDeletedIsAViolationAndADivergence) {
  Audited a = audit({"trail-violation.json"});
  ASSERT_EQ(a.findings.size(), 2u);
  const aws::Finding& d = a.findings[0];
  EXPECT_EQ(d.kind, aws::Finding::Kind::Divergence);
  EXPECT_EQ(d.what, "aws-succeeded-model-refuses");
  EXPECT_NE(d.detail.find("AccessDeniedException"), std::string::npos) << d.detail;
  const aws::Finding& v = a.findings[1];
  EXPECT_EQ(v.kind, aws::Finding::Kind::Violation);
  EXPECT_EQ(v.what, "launch-requires-entitlement");
  EXPECT_EQ(v.event_id, "00000000-0000-0000-0000-00000000e008");
  EXPECT_EQ(v.event_time, "2026-03-06T08:00:00Z");
  EXPECT_EQ(v.account, "078848857584");
  EXPECT_EQ(v.region, "us-east-1");
  EXPECT_EQ(v.event_name, "RunInstances");
  // The finding as a scenario: the deleted grant in its start state, the launch as its step.
  ASSERT_FALSE(v.scenario.empty());
  Scenario sc = parse_scenario_text(v.scenario, "finding.yaml");
  EXPECT_EQ(sc.steps.size(), 1u);
  GrantIx g = 1;
  EXPECT_EQ(sc.names.grant_id(g), "g-0b5c8d2e4f6a4b1c9d3e7f8a0b1c2d3e");
  EXPECT_EQ(sc.initial.grants[g].status, GrantStatus::DELETED);
  EXPECT_EQ(sc.initial.grants[g].version, 4u);
  EXPECT_NE(v.scenario.find("LaunchWorkload: {caller: \"078848857584\""), std::string::npos) << v.scenario;
  EXPECT_NE(v.scenario.find("fails: AccessDeniedException"), std::string::npos) << v.scenario;
}

TEST(Audit, RefusedByAwsButAcceptedByTheModelIsADivergence) {
  Audited a = audit({"trail-divergence.json"});
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].kind, aws::Finding::Kind::Divergence);
  EXPECT_EQ(a.findings[0].what, "aws-refused-model-accepts");
  EXPECT_EQ(a.findings[0].event_id, "00000000-0000-0000-0000-00000000e009");
  // The model's state stays as AWS left it: the grant still awaits acceptance.
  Scenario sc = parse_scenario_text(a.findings[0].scenario, "finding.yaml");
  EXPECT_EQ(sc.initial.grants[1].status, GrantStatus::PENDING_ACCEPT);
}

// After a member leaves, the audited world's accounts are no longer in the
// order a scenario numbers them (management, members, outside): a finding
// after it is still written as a scenario, names the same accounts, and
// replays (issue 22).
TEST(Audit, FindingsAfterALeaveAreWrittenAndReplay) {
  std::string file = test::temp_file("leave.json", R"({"Records": [
  {"eventID": "e1", "eventTime": "2026-03-02T10:00:00Z", "eventSource": "organizations.amazonaws.com",
   "eventName": "LeaveOrganization", "awsRegion": "us-east-1", "userIdentity": {"type": "AssumedRole", "accountId": "753322148001"},
   "requestParameters": null, "responseElements": null},
  {"eventID": "e2", "eventTime": "2026-03-02T10:01:00Z", "eventSource": "license-manager.amazonaws.com",
   "eventName": "AcceptGrant", "awsRegion": "us-east-1", "userIdentity": {"type": "AssumedRole", "accountId": "078848857584"},
   "errorCode": "ValidationException", "errorMessage": "refused",
   "requestParameters": {"grantArn": "arn:aws:license-manager::838202657455:grant:g-0b5c8d2e4f6a4b1c9d3e7f8a0b1c2d3e"}}
]})");
  aws::AuditOptions opt;
  aws::Auditor a(start(), opt);
  aws::read_trail_file(file, [&](aws::TrailEvent&& e) { a.add(std::move(e)); });
  a.finish();
  EXPECT_EQ(a.stats().applied, 2u);
  ASSERT_FALSE(a.findings().empty());
  const aws::Finding& f = a.findings().back();
  EXPECT_EQ(f.event_id, "e2");
  EXPECT_EQ(f.what, "aws-refused-model-accepts") << f.detail;
  ASSERT_FALSE(f.scenario.empty()) << f.detail;
  Scenario sc = parse_scenario_text(f.scenario, "finding.yaml");
  auto left = sc.names.find_account("753322148001");
  ASSERT_TRUE(left.has_value()) << f.scenario;
  EXPECT_EQ(sc.initial.accounts[*left].membership, Membership::OUTSIDE) << f.scenario;
  EXPECT_NE(f.scenario.find("AcceptGrant: {caller: \"078848857584\""), std::string::npos) << f.scenario;
  ScenarioRun run(sc);
  EXPECT_TRUE(run.ok()) << f.scenario;
}

TEST(Audit, UninterpretableEventsSayWhy) {
  std::string file = test::temp_file("odd.json", R"({"Records": [
  {"eventID": "e1", "eventTime": "2026-03-02T10:00:00Z", "eventSource": "license-manager.amazonaws.com",
   "eventName": "AcceptGrant", "awsRegion": "us-east-1", "userIdentity": {"type": "Root", "accountId": "078848857584"},
   "requestParameters": {"grantArn": "arn:aws:license-manager::838202657455:grant:g-ffffffffffffffffffffffffffffffff"},
   "responseElements": {"status": "DISABLED", "version": "2"}},
  {"eventID": "e2", "eventTime": "2026-03-02T10:01:00Z", "eventSource": "license-manager.amazonaws.com",
   "eventName": "AcceptGrant", "awsRegion": "us-east-1", "userIdentity": {"type": "Root", "accountId": "999999999999"},
   "requestParameters": {"grantArn": "arn:aws:license-manager::838202657455:grant:g-0b5c8d2e4f6a4b1c9d3e7f8a0b1c2d3e"}},
  {"eventID": "e3", "eventTime": "yesterday", "eventSource": "license-manager.amazonaws.com", "eventName": "AcceptGrant"}
]})");
  aws::AuditOptions opt;
  aws::Auditor a(start(), opt);
  aws::read_trail_file(file, [&](aws::TrailEvent&& e) { a.add(std::move(e)); });
  a.finish();
  ASSERT_EQ(a.findings().size(), 3u);
  std::string all;
  for (const auto& f : a.findings()) {
    EXPECT_EQ(f.kind, aws::Finding::Kind::Uninterpretable);
    all += f.event_id + ": " + f.detail + "\n";
  }
  EXPECT_NE(all.find("e3: unreadable eventTime 'yesterday'"), std::string::npos) << all;
  EXPECT_NE(all.find("e1: grant g-ffffffffffffffffffffffffffffffff is neither in the start state"), std::string::npos) << all;
  EXPECT_NE(all.find("e2: account '999999999999' is not in the start state"), std::string::npos) << all;
}

TEST(Audit, TruncatedFileIsALocatedErrorAndWhatWasReadIsAudited) {
  Audited a = audit({"trail-truncated.json"});
  EXPECT_NE(a.error.find("trail-truncated.json:155:23:"), std::string::npos) << a.error;
  EXPECT_NE(a.error.find("malformed or truncated CloudTrail file after 3 records"), std::string::npos) << a.error;
  EXPECT_EQ(a.stats.records, 3u);
  EXPECT_EQ(a.stats.applied, 2u);
  EXPECT_TRUE(a.findings.empty());
}

TEST(AuditCli, ExitCodesAndReports) {
  const std::string start = imported_start();
  auto clean = test::entmc("audit --start " + start + " --ami " + kAmi + " " + kTrail + "/trail-clean.json");
  EXPECT_EQ(clean.code, 0) << clean.out;
  EXPECT_NE(clean.out.find("audit: 6 records"), std::string::npos) << clean.out;
  std::string junit = test::temp_path("audit.xml"), out_dir = test::temp_path("findings");
  auto viol = test::entmc("audit --json --start " + start + " --ami " + kAmi + " --junit " + junit +
                          " --scenario-out " + out_dir + " " + kTrail + "/trail-violation.json");
  EXPECT_EQ(viol.code, 1) << viol.out;
  auto j = nlohmann::json::parse(viol.out);
  EXPECT_EQ(j["result"], "findings");
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["findings"][1]["what"], "launch-requires-entitlement");
  EXPECT_EQ(j["findings"][1]["eventID"], "00000000-0000-0000-0000-00000000e008");
  EXPECT_NE(test::read_file(junit).find("failures=\"2\""), std::string::npos);
  // The written finding replays: the model refuses the launch AWS made.
  auto replay = test::entmc("replay " + out_dir + "/finding-002.yaml");
  EXPECT_EQ(replay.code, 0) << replay.out;
  auto bad = test::entmc("audit --start " + start + " " + kTrail + "/trail-truncated.json");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("trail-truncated.json:155:23:"), std::string::npos) << bad.out;
  EXPECT_EQ(test::entmc("audit --start " + start + " /nonexistent.json").code, 2);
  auto div = test::entmc("audit --start " + start + " " + kTrail + "/trail-divergence.json");
  EXPECT_EQ(div.code, 1) << div.out;
  EXPECT_NE(div.out.find("divergence: aws-refused-model-accepts AcceptGrant"), std::string::npos) << div.out;
}

TEST(Audit, StreamsLongHistoriesInBoundedWindow) {
  // 20,000 launch/terminate pairs by a member entitled through the organization
  // grant, delivered in order: every event is audited, nothing piles up.
  std::ostringstream s;
  s << "{\"Records\": [";
  for (int i = 0; i < 20000; ++i) {
    int sec = i * 2;
    for (int k = 0; k < 2; ++k) {
      if (i || k) s << ",";
      s << fmt::format(R"({{"eventID":"e{}-{}","eventTime":"2026-03-0{}T{:02}:{:02}:{:02}Z","eventSource":"ec2.amazonaws.com",)"
                       R"("eventName":"{}","awsRegion":"us-east-1","userIdentity":{{"type":"AssumedRole","accountId":"753322148001"}},)"
                       R"("requestParameters":{{"instancesSet":{{"items":[{{"imageId":"ami-0c7217cdde317cfec","instanceId":"i-{}"}}]}}}},)"
                       R"("responseElements":{{"instancesSet":{{"items":[{{"instanceId":"i-{}"}}]}}}}}})",
                       i, k, 1 + (sec + k) / 86400, ((sec + k) / 3600) % 24, ((sec + k) / 60) % 60, (sec + k) % 60,
                       k ? "TerminateInstances" : "RunInstances", i, i);
    }
  }
  s << "]}";
  std::istringstream in(s.str());
  aws::AuditOptions opt;
  opt.amis["ami-0c7217cdde317cfec"] = "Ubuntu";
  aws::Auditor a(start(), opt);
  aws::read_trail_stream(in, "generated", [&](aws::TrailEvent&& e) { a.add(std::move(e)); });
  a.finish();
  EXPECT_EQ(a.stats().records, 40000u);
  EXPECT_EQ(a.stats().applied, 40000u);
  for (const auto& f : a.findings()) ADD_FAILURE() << f.what << ": " << f.detail;
}

}  // namespace
}  // namespace entmc

namespace entmc {
namespace {

// The reader's own JSON scanner (cloudtrail_reader.cpp): escapes, numbers,
// literals and records that are not objects are read as JSON says; what is
// not JSON is a located error, with the records before it handed on.
TEST(TrailReader, ReadsJsonAsJsonSays) {
  std::vector<aws::TrailEvent> got;
  const std::string file = test::temp_file("scan.json", R"({"Other": {"x": [1, {"y": "z"}]}, "Records": [1, "x", null, [1, 2], {},
  {"eventID": "a\u00e9\ud83d\ude00\n\"\\\/", "eventTime": "2026-03-01T00:00:01Z", "eventSource": "sé€😀", "eventName": "n",
   "requestParameters": {"neg": -12, "f": 1.5e3, "u": 18446744073709551615, "t": true, "z": null, "a": [], "o": {}},
   "responseElements": null, "userIdentity": {"type": "Root", "accountId": 1, "x": {"accountId": "nested"}},
   "recipientAccountId": "111111111111"}
], "NextToken": "t"}
)");
  aws::read_trail_file(file, [&](aws::TrailEvent&& e) { got.push_back(std::move(e)); });
  ASSERT_EQ(got.size(), 6u);
  for (size_t i = 0; i < 4; ++i) {  // not objects: no fields
    EXPECT_EQ(got[i].ordinal, i + 1);
    EXPECT_TRUE(got[i].event_id.empty());
    EXPECT_EQ(got[i].seconds, 0);
  }
  EXPECT_EQ(got[4].seconds, -1);  // an object without eventTime
  const aws::TrailEvent& e = got[5];
  EXPECT_EQ(e.event_id, "a\xC3\xA9\xF0\x9F\x98\x80\n\"\\/");
  EXPECT_EQ(e.event_source, "s\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");  // raw UTF-8 kept as is
  EXPECT_EQ(e.seconds, 1772323201);
  EXPECT_EQ(e.identity_type, "Root");
  EXPECT_EQ(e.account, "111111111111") << "a non-string accountId is absent; recipientAccountId stands in";
  EXPECT_EQ(e.request["neg"], -12);
  EXPECT_EQ(e.request["f"], 1500.0);
  EXPECT_EQ(e.request["u"], 18446744073709551615ull);
  EXPECT_EQ(e.request["t"], true);
  EXPECT_TRUE(e.request["z"].is_null());
  EXPECT_TRUE(e.request["a"].is_array() && e.request["o"].is_object());
  EXPECT_TRUE(e.response.is_null());

  struct Bad {
    const char* text;
    const char* message;
    int line, column;
    size_t handed_on;
  };
  const Bad bad[] = {
      {"{\"Records\": [{}, {\"a\": \"x\ty\"}]}", "a control character", 1, 26, 1},
      {"{\"Records\": [{\"a\": \"\\q\"}]}", "an invalid escape", 1, 22, 0},
      {"{\"Records\": [{\"a\": tru}]}", "expected a literal", 1, 23, 0},
      {"{\"Records\": [{\"a\": 01}]}", "expected ',' or '}'", 1, 21, 0},
      {"{\"Records\": [{\"a\": 1,}]}", "expected a string", 1, 22, 0},
      {"{\"Records\": []} x", "expected the end of the file", 1, 17, 0},
      {"{\"Records\": [{},\n {\"a\": \"", "unexpected end of input in a string", 2, 9, 1},
      // JSON text is UTF-8 (RFC 8259 8.1): a stray continuation byte, an
      // overlong form, a surrogate and a cut sequence are refused.
      {"{\"Records\": [{\"a\": \"\x8C\"}]}", "an invalid UTF-8 byte 0x8c", 1, 21, 0},
      {"{\"Records\": [{\"a\": \"\xC0\x80\"}]}", "an invalid UTF-8 byte 0xc0", 1, 21, 0},
      {"{\"Records\": [{\"a\": \"\xED\xA0\x80\"}]}", "an invalid UTF-8 sequence", 1, 22, 0},
      {"{\"Records\": [{\"a\": \"\xC3\"}]}", "an invalid UTF-8 sequence", 1, 22, 0},
  };
  for (const Bad& b : bad) {
    size_t n = 0;
    try {
      aws::read_trail_file(test::temp_file("bad.json", b.text), [&](aws::TrailEvent&&) { ++n; });
      ADD_FAILURE() << b.text;
    } catch (const aws::InputError& err) {
      const std::string what = err.what();
      EXPECT_NE(what.find(fmt::format("bad.json:{}:{}: error: ", b.line, b.column)), std::string::npos) << what;
      EXPECT_NE(what.find(b.message), std::string::npos) << what;
      EXPECT_EQ(n, b.handed_on) << b.text;
    }
  }
}

}  // namespace
}  // namespace entmc
