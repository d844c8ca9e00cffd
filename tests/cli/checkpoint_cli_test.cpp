// `entmc check --checkpoint DIR` / `--resume DIR` as a real process: killed
// with SIGKILL at several points (right after a checkpoint, during the next
// level, during the next checkpoint's writing), resumed each time, the run
// ends with exactly the JSON figures of an uninterrupted run. SIGTERM writes
// a checkpoint and the interrupted reports, exit 143. Resuming with another model, option set or
// binary is refused with exit 2 and a message saying which.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("entmc_ckpt_cli_" + std::to_string(getpid()) + "_" + name)).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string model(const std::string& name) { return std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/" + name; }

// Starts `bin args...` with stdout and stderr to files; returns its pid.
pid_t spawn(const std::string& bin, const std::vector<std::string>& args, const std::string& out,
            const std::string& err) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run(const std::vector<std::string>& args, const std::string& bin = ENTMC_BIN) {
  const std::string out = temp_path("out"), err = temp_path("err");
  const int code = wait_exit(spawn(bin, args, out, err));
  Outcome r{code, slurp(out), slurp(err)};
  fs::remove(out);
  fs::remove(err);
  return r;
}

std::string current(const std::string& dir) { return slurp(dir + "/CURRENT"); }

void expect_same_figures(const json& a, const json& b) {
  EXPECT_EQ(a["verdict"], b["verdict"]);
  for (const char* k : {"states", "transitions", "depth", "constrained_states"})
    EXPECT_EQ(a["statistics"][k], b["statistics"][k]) << k;
  EXPECT_EQ(a["check"]["coverage"], b["check"]["coverage"]);
  EXPECT_EQ(a["check"]["cover"], b["check"]["cover"]);
  ASSERT_EQ(a["check"]["violations"].size(), b["check"]["violations"].size());
  for (size_t i = 0; i < a["check"]["violations"].size(); ++i)
    EXPECT_EQ(a["check"]["violations"][i]["trace"].size(), b["check"]["violations"][i]["trace"].size());
}

void kill_and_resume(const std::string& file, const std::vector<std::string>& options, int kills) {
  std::vector<std::string> base{"check", file, "--json", "-q"};
  base.insert(base.end(), options.begin(), options.end());
  const Outcome whole = run(base);
  ASSERT_EQ(whole.code, 0) << whole.err;
  const std::string dir = temp_path("ckpt");
  fs::remove_all(dir);
  std::random_device rd;
  const unsigned seed = rd();
  std::mt19937 rng(seed);
  SCOPED_TRACE("delay seed " + std::to_string(seed));
  int killed = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::vector<std::string> args = base;
    for (const char* a : {"--checkpoint-every", "0", "--checkpoint"}) args.push_back(a);
    args.push_back(dir);
    if (fs::exists(dir + "/CURRENT")) {
      args.push_back("--resume");
      args.push_back(dir);
    }
    const std::string out = temp_path("out"), err = temp_path("err");
    const std::string before = current(dir);
    const pid_t pid = spawn(ENTMC_BIN, args, out, err);
    if (killed < kills) {
      // Wait for a new checkpoint (or the end), then kill after a random
      // delay: during the next level or the next checkpoint's writing.
      int status = 0;
      bool exited = false;
      while (current(dir) == before) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
          exited = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      if (!exited) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        exited = WIFEXITED(status);  // it may have finished first
        if (!exited) {
          ++killed;
          fs::remove(out);
          fs::remove(err);
          continue;
        }
      }
      ASSERT_TRUE(WIFEXITED(status));
      ASSERT_EQ(WEXITSTATUS(status), 0) << slurp(err);
    } else {
      ASSERT_EQ(wait_exit(pid), 0) << slurp(err);
    }
    const json resumed = json::parse(slurp(out));
    fs::remove(out);
    fs::remove(err);
    expect_same_figures(json::parse(whole.out), resumed);
    EXPECT_EQ(resumed["statistics"]["resumed"], killed > 0);
    break;
  }
  EXPECT_GE(killed, 1);  // the model has enough levels for at least one kill
  fs::remove_all(dir);
}

TEST(CheckpointCli, KilledAndResumedRunsEndAsAnUninterruptedOne) {
  kill_and_resume(model("small.yaml"), {"-j", "2"}, 4);
  // A killed run cannot remove its frontier files: they go to a directory of the test's.
  const std::string work = temp_path("work");
  fs::create_directories(work);
  kill_and_resume(model("small.yaml"), {"-j", "1", "--frontier", "disk", "--work-dir", work}, 3);
  // The parent links on disk: the closed levels' table and the trace file in the checkpoint.
  kill_and_resume(model("small.yaml"), {"-j", "2", "--links", "disk", "--work-dir", work}, 3);
  fs::remove_all(work);
}

// The signal's checkpoint and the interrupted run's reports both, with the
// signal's exit code (docs/limits.md, "Signals").
TEST(CheckpointCli, SigtermWritesACheckpointAndTheInterruptedReports) {
  const std::string dir = temp_path("term"), out = temp_path("term-out"), err = temp_path("term-err");
  const std::string junit = temp_path("term-junit.xml");
  fs::remove(junit);
  fs::remove_all(dir);
  // Checkpoints only on the signal (every 100 minutes otherwise).
  const pid_t pid = spawn(ENTMC_BIN,
                          {"check", model("peer-submodel.yaml"), "--json", "-q", "-j", "1", "--no-symmetry",
                           "--checkpoint", dir, "--checkpoint-every", "100", "--junit", junit},
                          out, err);
  // Signal only once the run has installed its SIGTERM handler (SigCgt in
  // /proc/PID/status): a slow start (the sanitizer build) would otherwise be
  // killed by the default action before the run began.
  for (int i = 0; i < 600; ++i) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    bool caught = false;
    while (std::getline(status, line))
      if (line.rfind("SigCgt:", 0) == 0) caught = (std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1;
    if (caught) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGTERM);
  const int code = wait_exit(pid);
  if (code == 0) GTEST_SKIP() << "the run ended before the signal";  // a very fast machine
  ASSERT_EQ(code, 143) << slurp(err);
  const json report = json::parse(slurp(out));
  EXPECT_EQ(report["check"]["limit"], "terminated (SIGTERM)");
  EXPECT_EQ(report["check"]["interrupted"], true);
  EXPECT_EQ(report["verdict"], "interrupted");
  EXPECT_EQ(report["exit_code"], 143);
  EXPECT_TRUE(fs::exists(dir + "/CURRENT")) << slurp(err);
  EXPECT_NE(slurp(err).find("checkpoint written to"), std::string::npos) << slurp(err);
  EXPECT_NE(slurp(junit).find("terminated (SIGTERM)"), std::string::npos) << slurp(junit);
  const Outcome resumed =
      run({"check", model("peer-submodel.yaml"), "--json", "-q", "-j", "2", "--no-symmetry", "--resume", dir});
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(json::parse(resumed.out)["statistics"]["states"], 641062);
  for (const auto& p : {dir, out, err, junit}) fs::remove_all(p);
}

TEST(CheckpointCli, AnotherModelOptionSetOrBinaryIsRefused) {
  const std::string dir = temp_path("refuse");
  fs::remove_all(dir);
  ASSERT_EQ(run({"check", model("small.yaml"), "-q", "--max-depth", "3", "--checkpoint", dir, "--checkpoint-every", "0"})
                .code,
            3);
  Outcome r = run({"check", model("default.yaml"), "-q", "--resume", dir});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("was made for another model or bounds"), std::string::npos) << r.err;
  r = run({"check", model("small.yaml"), "-q", "--keep-going", "--resume", dir});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("another keep-going (checkpoint: false; now: true)"), std::string::npos) << r.err;
  r = run({"check", model("small.yaml"), "-q", "--links", "disk", "--resume", dir});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("another links (checkpoint: ram; now: disk)"), std::string::npos) << r.err;
  // The same program with one more byte at the end is another binary.
  const std::string copy = temp_path("entmc-copy");
  fs::copy_file(ENTMC_BIN, copy, fs::copy_options::overwrite_existing);
  std::ofstream(copy, std::ios::app) << 'x';
  fs::permissions(copy, fs::perms::owner_all);
  r = run({"check", model("small.yaml"), "-q", "--resume", dir}, copy);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("another version of the entmc binary"), std::string::npos) << r.err;
  r = run({"check", model("small.yaml"), "-q", "--resume", dir + "-none"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no checkpoint in"), std::string::npos) << r.err;
  fs::remove(copy);
  fs::remove_all(dir);
}

}  // namespace
