// `entmc simulate` end to end, as a process: exit codes, the --json summary
// (and that its numbers add up), determinism of the final digest, --csv and
// --plot files, and bad input. The planted-violation path (exit 1, shrunk
// scenario) is tested in-process in tests/sim.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

using nlohmann::json;

struct Result {
  int code;
  std::string out;  // stdout
  std::string err;
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("entmc_sim_cli_" + std::to_string(getpid()) + "_" + name))
      .string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result entmc(const std::string& args) {
  const std::string err = temp_path("stderr.txt");
  const std::string cmd = std::string(ENTMC_BIN) + " " + args + " 2>" + err;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, slurp(err)};
  std::filesystem::remove(err);
  return r;
}

const std::string kSmall = std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/small.yaml";

json run_json(const std::string& extra) {
  const Result r = entmc("simulate " + kSmall + " --json --no-progress " + extra);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const json j = json::parse(r.out);
  // The common envelope (report/envelope.h); the summary is simulate's own section.
  EXPECT_EQ(j["schema"], "entmc-report/1");
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_TRUE(j["failures"].empty());
  EXPECT_EQ(j["statistics"]["events"], j["simulate"]["events"]);
  return j["simulate"];
}

TEST(SimulateCli, SmallOrganizationRunsCleanAndTheSummaryAddsUp) {
  const json j = run_json("--events 5000");
  EXPECT_EQ(j["events"], 5000);
  EXPECT_EQ(j["seed"], 1);
  EXPECT_EQ(j["digest"].get<std::string>().size(), 16u);
  // Every event (and setup call) is counted once, as a success or an error.
  uint64_t counted = 0;
  for (const auto& [op, o] : j["operations"].items()) {
    counted += o["ok"].get<uint64_t>();
    uint64_t by_code = 0, by_reason = 0;
    for (const auto& [code, n] : o["errors"].items()) by_code += n.get<uint64_t>();
    for (const auto& [why, n] : o["errors_by_reason"].items()) by_reason += n.get<uint64_t>();
    EXPECT_EQ(by_code, by_reason) << op;
    counted += by_code;
  }
  EXPECT_EQ(counted, 5000 + j["setup_calls"].get<uint64_t>());
  // The grant-status histogram covers every grant record.
  uint64_t grants = 0;
  for (const auto& [status, n] : j["grants_by_status"].items()) grants += n.get<uint64_t>();
  EXPECT_EQ(grants, j["grant_records"].get<uint64_t>());
  EXPECT_GT(j["incremental_properties"].get<int>(), 0);
  // The events' system time is a part of their CPU time, not more.
  EXPECT_GE(j["cpu_system_seconds"].get<double>(), 0.0);
  EXPECT_LE(j["cpu_system_seconds"].get<double>(), j["cpu_seconds"].get<double>() + 0.002);
  EXPECT_GE(j["page_faults"].get<int64_t>(), 0);
}

TEST(SimulateCli, SameFileAndSeedGiveTheSameDigest) {
  const json a = run_json("--events 4000 --seed 7");
  const json b = run_json("--events 4000 --seed 7");
  const json c = run_json("--events 4000 --seed 8");
  EXPECT_EQ(a["digest"], b["digest"]);
  EXPECT_EQ(a["grants_by_status"], b["grants_by_status"]);
  EXPECT_NE(a["digest"], c["digest"]);
  // Full checks every K events find nothing more on a correct model, and do not change the run.
  const json full = run_json("--events 4000 --seed 7 --full-check-every 500");
  EXPECT_EQ(full["digest"], a["digest"]);
  EXPECT_EQ(full["full_check_every"], 500);
}

TEST(SimulateCli, AccountsOverrideTheFile) {
  const json j = run_json("--events 1000 --accounts 50");
  // The file adds the management account and 20 outside accounts.
  EXPECT_EQ(j["accounts"], 50 + 1 + 20);
}

TEST(SimulateCli, CsvAndPlotFiles) {
  const std::string csv = temp_path("ts.csv"), svg = temp_path("ts.svg");
  const Result r =
      entmc("simulate " + kSmall + " --no-progress --events 3000 --sample-every 1000 --csv " + csv + " --plot " + svg);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::istringstream lines(slurp(csv));
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("event,seconds,", 0), 0u) << header;
  EXPECT_NE(header.find("active_entitlements"), std::string::npos);
  std::vector<std::string> events;
  while (std::getline(lines, line)) events.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(events, (std::vector<std::string>{"0", "1000", "2000", "3000"}));
  const std::string plot = slurp(svg);
  EXPECT_EQ(plot.rfind("<svg", 0), 0u);
  EXPECT_NE(plot.find("</svg>"), std::string::npos);
  std::filesystem::remove(csv);
  std::filesystem::remove(svg);
}

TEST(SimulateCli, BadInputExitsTwoWithFileAndLine) {
  const std::string bad = temp_path("bad.yaml");
  std::ofstream(bad) << "name: x\norg:\n  feature_set: ALL\n  members: 10\nproducts: [{name: a, type: AMI}]\n"
                        "mix:\n  fly: 3\n";
  Result r = entmc("simulate " + bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(bad + ":7:3: error: unknown event kind 'fly'"), std::string::npos) << r.err;
  std::filesystem::remove(bad);
  r = entmc("simulate /nonexistent/sim.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/sim.yaml: error: cannot read the file"), std::string::npos) << r.err;
  EXPECT_EQ(entmc("simulate").code, 2);
  EXPECT_EQ(entmc("simulate " + kSmall + " --events lots").code, 2);
}

}  // namespace

// A user property that names an account (issue 20): the simulator finds its
// violation, shrinks it (the shrinker removes accounts, which renumbers the
// rest: it must keep the named one and judge the smaller organization with
// the property compiled again), writes both files with the `properties:`
// section, and replaying the shrunk file finds the same violation of the
// same property, naming the same account.
TEST(SimulateCli, ShrunkUserPropertyViolationNamesTheSameAccountAndReplays) {
  // Member 25 of the generated IDs (sim/organization.cpp, generated_account_id(25)):
  // far from the first accounts, so that removing the unused ones renumbers it.
  const std::string member = "130864197282";
  const std::string config = temp_path("named.yaml");
  std::ofstream(config) << "name: named\n"
                           "org: {feature_set: ALL, id: o-namedsim01, members: 30, outside: 3,\n"
                           "      delegated_admin: first-member, prerequisites: true}\n"
                           "products:\n  - {name: ami-product, type: AMI}\n"
                           "setup: {management_subscribes: true, org_grant_products: 1, org_grants_bulk_active: true}\n"
                           "events: 5000\nseed: 3\n"
                           "mix: {launch_workload: 10, stop_workload: 2}\n"
                           "properties:\n"
                           "  - name: member-25-runs-nothing\n"
                           "    description: The account "
                        << member
                        << " never runs the AMI product\n"
                           "    never:\n"
                           "      exists:\n"
                           "        accounts: [\""
                        << member << "\"]\n"
                           "        check: {running: {product: ami-product}}\n";
  const std::string prefix = temp_path("named-violation");
  const Result r = entmc("simulate " + config + " --no-progress --json --violation-out " + prefix);
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["failures"].size(), 1u) << r.out;
  EXPECT_EQ(j["failures"][0]["property"], "member-25-runs-nothing");
  const json v = j["simulate"]["violation"];
  ASSERT_EQ(v["shrunk_scenario"], prefix + ".yaml") << r.out;
  EXPECT_LT(v["shrunk_accounts"].get<int>(), 34) << "the unused accounts are removed";

  const std::string shrunk = slurp(prefix + ".yaml");
  EXPECT_NE(shrunk.find(member), std::string::npos) << shrunk;
  EXPECT_NE(shrunk.find("properties:"), std::string::npos) << shrunk;
  EXPECT_NE(shrunk.find("# violates member-25-runs-nothing"), std::string::npos) << "the writer's comment is kept\n"
                                                                                  << shrunk;
  for (const std::string& file : {prefix + ".yaml", prefix + ".full.yaml"}) {
    const Result replay = entmc("replay " + file);
    EXPECT_EQ(replay.code, 1) << file << "\n" << replay.out << replay.err;
    EXPECT_NE(replay.out.find("member-25-runs-nothing"), std::string::npos) << replay.out;
    EXPECT_NE(replay.out.find(member), std::string::npos) << replay.out;
  }
  for (const char* suffix : {".yaml", ".full.yaml"}) std::filesystem::remove(prefix + suffix);
  std::filesystem::remove(config);
}

// Covers (`sometimes:` and the built-in ones) are reported by fuzz, simulate
// and replay too (docs/properties.md, "Covers in fuzz and simulate"): reached
// or not, in text, JSON and JUnit; a miss is not a failure.
TEST(CoversCli, FuzzSimulateAndReplayReportThem) {
  const std::string src = ENTMC_SOURCE_DIR;
  // fuzz: a user cover of scenarios/policies/terminal-grants.yaml.
  const std::string junit = temp_path("fuzz.xml");
  Result f = entmc("fuzz " + src + "/scenarios/policies/terminal-grants.yaml --runs 30 --seed 1 --json --out " +
                   temp_path("fuzz-out") + " --junit " + junit);
  ASSERT_EQ(f.code, 0) << f.out << f.err;
  const json fc = json::parse(f.out)["fuzz"]["cover"];
  bool user_cover = false;
  for (const json& c : fc) {
    EXPECT_EQ(c["reached"].get<bool>(), c["runs"].get<int>() > 0) << c;
    if (c["property"] == "some-grant-deleted") user_cover = c["reached"].get<bool>();
  }
  EXPECT_TRUE(user_cover) << fc;
  EXPECT_NE(slurp(junit).find("name=\"some-grant-deleted\""), std::string::npos) << slurp(junit);

  // simulate: one user cover reached, one that the mix cannot reach.
  const std::string config = temp_path("covers.yaml");
  std::ofstream(config) << "name: covers\n"
                           "org: {feature_set: ALL, id: o-coversim01, members: 10, outside: 1, prerequisites: true}\n"
                           "products:\n  - {name: ami-product, type: AMI}\n"
                           "setup: {management_subscribes: true, org_grant_products: 1, org_grants_bulk_active: true}\n"
                           "events: 2000\nseed: 1\nmix: {launch_workload: 10, stop_workload: 5}\n"
                           "properties:\n"
                           "  - name: someone-runs\n    sometimes:\n"
                           "      exists: {accounts: all, check: {running: {product: ami-product}}}\n"
                           "  - name: some-grant-rejected\n    sometimes:\n"
                           "      exists: {grants: {status: REJECTED}}\n";
  const std::string sim_junit = temp_path("sim.xml");
  Result s = entmc("simulate " + config + " --no-progress --json --junit " + sim_junit);
  ASSERT_EQ(s.code, 0) << s.out << s.err;
  std::map<std::string, json> by_name;
  const json sj = json::parse(s.out);
  for (const json& c : sj["simulate"]["cover"]) by_name[c["property"].get<std::string>()] = c;
  ASSERT_TRUE(by_name.count("someone-runs") && by_name.count("some-grant-rejected")) << s.out;
  EXPECT_TRUE(by_name["someone-runs"]["reached"].get<bool>());
  EXPECT_TRUE(by_name["someone-runs"]["event"].is_number());
  EXPECT_FALSE(by_name["some-grant-rejected"]["reached"].get<bool>());
  const std::string xml = slurp(sim_junit);
  const size_t at = xml.find("name=\"some-grant-rejected\"");
  ASSERT_NE(at, std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped", at), std::string::npos) << xml;
  Result st = entmc("simulate " + config + " --no-progress");
  EXPECT_NE(st.out.find("some-grant-rejected"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("NEVER REACHED"), std::string::npos) << st.out;

  // replay: the step whose state first satisfies each cover.
  const std::string scenario = temp_path("cover-replay.yaml");
  std::ofstream(scenario) << "name: cover replay\n"
                             "org: {id: o-coverrepl1, feature_set: ALL, management: \"111111111111\",\n"
                             "      members: [\"222222222222\"], prerequisites: all}\n"
                             "products:\n  - {name: Widget, type: AMI}\n"
                             "steps:\n"
                             "  - Subscribe: {caller: \"222222222222\", product: Widget}\n"
                             "  - LaunchWorkload: {caller: \"222222222222\", product: Widget}\n"
                             "properties:\n"
                             "  - name: member-runs\n    sometimes:\n"
                             "      running: {account: \"222222222222\", product: Widget}\n";
  Result r = entmc("replay " + scenario + " --json");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  bool found = false;
  const json rj = json::parse(r.out);
  for (const json& c : rj["replay"]["files"][0]["cover"])
    if (c["property"] == "member-runs") {
      found = true;
      EXPECT_EQ(c["step"], 2) << c;
    }
  EXPECT_TRUE(found) << r.out;
  EXPECT_NE(entmc("replay " + scenario).out.find("covers reached: member-runs (step 2)"), std::string::npos);
  for (const std::string& p : {junit, config, sim_junit, scenario}) std::filesystem::remove(p);
  std::filesystem::remove_all(temp_path("fuzz-out"));
}
