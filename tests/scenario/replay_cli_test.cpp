// `entmc replay` end to end: exit codes 0 / 1 / 2, the verdict lines, the
// error format on bad input, and --json.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace {

struct Result {
  int code;
  std::string out;
};

Result entmc(const std::string& args) {
  std::string cmd = std::string(ENTMC_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("entmc_replay_test_" + std::to_string(getpid()) + "_" + name);
  std::ofstream(path) << text;
  return path.string();
}

const std::string kSeeds = std::string(ENTMC_SOURCE_DIR) + "/scenarios/seed";

constexpr const char* kTwin = R"(name: twin
org: {id: o-45889zf4mv, feature_set: ALL, management: "838202657455", members: ["776190005587"], prerequisites: all}
products: [{name: Widget, type: AMI}]
steps:
  - Subscribe: {caller: "838202657455", product: Widget, as: w}
  - CreateGrant: {caller: "838202657455", license: w, principal: "776190005587", as: g}
  - expect: {grant: g, status: ACTIVE}
)";

TEST(ReplayCli, SeedsPass) {
  Result r = entmc("replay --quiet " + kSeeds + "/*.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("PASS "), std::string::npos);
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
}

TEST(ReplayCli, AFailedExpectationExitsOne) {
  std::string f = temp_file("twin.yaml", kTwin);
  Result r = entmc("replay " + f);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("FAILED expectation at step 3 (line 7): grant g status ACTIVE: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" is DISABLED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  state:\n    organization o-45889zf4mv (ALL)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL " + f + ": 1 failure; first at step 3 (line 7)"), std::string::npos) << r.out;
  std::filesystem::remove(f);
}

TEST(ReplayCli, BadInputExitsTwo) {
  std::string f = temp_file("bad.yaml", "name: bad\norg: {feature_set: ALL, management: \"1\"}\n");
  Result r = entmc("replay " + f);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(f + ":2:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(": error: management: malformed account ID '1'"), std::string::npos) << r.out;
  // Bad input outranks a failure: 2 when one file is bad and another fails.
  std::string twin = temp_file("twin2.yaml", kTwin);
  EXPECT_EQ(entmc("replay " + twin + " " + f).code, 2);
  EXPECT_EQ(entmc("replay /nonexistent.yaml").code, 2);
  EXPECT_EQ(entmc("replay").code, 2);
  std::filesystem::remove(f);
  std::filesystem::remove(twin);
}

TEST(ReplayCli, Json) {
  std::string twin = temp_file("twin3.yaml", kTwin);
  Result r = entmc("replay --json " + twin + " " + kSeeds + "/account_grant_lifecycle.yaml");
  EXPECT_EQ(r.code, 1);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"], "entmc-report/1");
  EXPECT_EQ(doc["verdict"], "fail");
  EXPECT_EQ(doc["exit_code"], 1);
  ASSERT_EQ(doc["failures"].size(), 1u);
  EXPECT_EQ(doc["failures"][0]["step"], 3);
  EXPECT_EQ(doc["failures"][0]["property"], "expectation");
  EXPECT_EQ(doc["failures"][0]["trace"].size(), 3u);
  EXPECT_EQ(doc["statistics"]["files"], 2);
  const auto& j = doc["replay"];
  ASSERT_EQ(j["files"].size(), 2u);
  EXPECT_FALSE(j["files"][0]["ok"].get<bool>());
  EXPECT_TRUE(j["files"][1]["ok"].get<bool>());
  const auto& steps = j["files"][0]["steps"];
  ASSERT_EQ(steps.size(), 4u);  // the initial state and three steps
  EXPECT_EQ(steps[1]["operation"], "Subscribe");
  EXPECT_EQ(steps[3]["failures"][0]["kind"], "expectation");
  EXPECT_EQ(steps[3]["failures"][0]["what"], "grant g status ACTIVE");
  EXPECT_EQ(j["files"][1]["final_digest"].get<std::string>().size(), 16u);
  std::filesystem::remove(twin);
}

}  // namespace
