// Safe by default (docs/limits.md), as a user and a CI system see it: the
// binary run as a child process, signals sent to it, its peak resident memory
// read back from the kernel (wait4's rusage), outputs written atomically even
// when the writer is killed mid-write, and hostile inputs (tests/cli/hostile/)
// answered with a located error and exit 2.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "util/atomic_file.h"
#include "util/format.h"
#include "util/memory_budget.h"
#include "util/output_paths.h"
#include "util/stop_request.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSource = ENTMC_SOURCE_DIR;
const std::string kSmall = kSource + "/scenarios/models/small.yaml";
const std::string kLarge = kSource + "/scenarios/models/large.yaml";
const std::string kDefault = kSource + "/scenarios/models/default.yaml";
const std::string kSimSmall = kSource + "/scenarios/sim/small.yaml";
const std::string kHostile = kSource + "/tests/cli/hostile/";

std::string temp_dir() {
  static const std::string dir = [] {
    const fs::path d = fs::temp_directory_path() / ("entmc_safety_" + std::to_string(getpid()));
    fs::create_directories(d);
    return d.string();
  }();
  return dir;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Child {
  pid_t pid = -1;
  std::string out, err;  // files
};

// Starts `entmc ARGS...` with stdout and stderr in files.
Child start(const std::vector<std::string>& args) {
  static int n = 0;
  Child c;
  c.out = temp_dir() + "/out" + std::to_string(n) + ".txt";
  c.err = temp_dir() + "/err" + std::to_string(n++) + ".txt";
  std::vector<std::string> all{ENTMC_BIN};
  all.insert(all.end(), args.begin(), args.end());
  c.pid = fork();
  if (c.pid == 0) {
    const int o = open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return c;
}

struct Finished {
  int code = -1;  // exit status; -signal when killed
  uint64_t peak_rss = 0;  // the kernel's high-water mark of the child (bytes)
  std::string out, err;
};

Finished finish(const Child& c) {
  int status = 0;
  rusage ru{};
  wait4(c.pid, &status, 0, &ru);
  Finished f;
  f.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  f.peak_rss = uint64_t(ru.ru_maxrss) * 1024;
  f.out = slurp(c.out);
  f.err = slurp(c.err);
  return f;
}

Finished entmc(const std::vector<std::string>& args) { return finish(start(args)); }

// True once the child has installed its SIGINT/SIGTERM handlers (the SigCgt
// mask in /proc/PID/status): a signal sent earlier would kill it outright.
// Waits on the child's progress, not on the clock.
bool handlers_installed(pid_t pid) {
  for (int i = 0; i < 20000; ++i) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("SigCgt:", 0) == 0) {
        const uint64_t mask = std::stoull(line.substr(7), nullptr, 16);
        if ((mask >> (SIGINT - 1) & 1) && (mask >> (SIGTERM - 1) & 1)) return true;
      }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

// ---- limits ---------------------------------------------------------------

TEST(Limits, BadSizesAndZeroLimitsAreRefused) {
  for (const char* m : {"-1G", "nan", "0", "inf", "1e3", "12Q", "99999999999999G", ""}) {
    const Finished f = entmc({"check", kSmall, "-q", "--memory", m});
    EXPECT_EQ(f.code, 2) << m << f.err;
  }
  for (const char* m : {"-1G", "nan", "0", "inf"}) {
    const Finished f = entmc({"check", kSmall, "-q", "--frontier", "disk", "--disk", m});
    EXPECT_EQ(f.code, 2) << m << f.err;
    EXPECT_NE(f.err.find("--disk '" + std::string(m) + "'"), std::string::npos) << f.err;
  }
  EXPECT_EQ(entmc({"check", kSmall, "-q", "--max-states", "0"}).code, 2);
  EXPECT_EQ(entmc({"check", kSmall, "-q", "--max-depth", "0"}).code, 2);
  EXPECT_EQ(entmc({"check", kSmall, "-q", "--max-states", "-1"}).code, 2);
  EXPECT_EQ(entmc({"check", kSmall, "-q", "--time-limit", "0"}).code, 2);
  EXPECT_EQ(entmc({"check", kSmall, "-q", "--time-limit", "nan"}).code, 2);
  EXPECT_EQ(entmc({"fuzz", "--runs", "-1", "--seed", "1"}).code, 2);
  EXPECT_EQ(entmc({"fuzz", "--runs", "0", "--seed", "1"}).code, 2);
  EXPECT_EQ(entmc({"simulate", kSimSmall, "--memory", "-1G", "--no-progress"}).code, 2);
  EXPECT_EQ(entmc({"graph", kSmall, "--max-states", "0"}).code, 2);
  EXPECT_EQ(entmc({"graph", kSmall, "--max-states", "-1"}).code, 2);
  EXPECT_EQ(entmc({"graph", kSmall, "--max-dot-states", "0"}).code, 2);
}

TEST(Limits, DefaultMemoryLimitIsAShareOfTheMachineAndIsShown) {
  const uint64_t limit = entmc::util::default_memory_limit_bytes();
  EXPECT_GT(limit, 0u);
  EXPECT_LE(limit, entmc::util::physical_memory_bytes() / 2);
  if (const uint64_t cg = entmc::util::cgroup_memory_limit_bytes()) {
    EXPECT_LE(limit, cg / 2);
  }
  const Finished help = entmc({"check", "--help"});
  EXPECT_NE(help.out.find("default: half of min(physical memory"), std::string::npos) << help.out;
  const Finished f = entmc({"check", kSmall, "-q", "--json", "-j", "1"});
  ASSERT_EQ(f.code, 0) << f.err;
  EXPECT_EQ(json::parse(f.out)["inputs"]["memory_limit_bytes"].get<uint64_t>(), limit);
}

TEST(Limits, ModelsWithoutBoundsOrCapsAreRefusedWithALocatedMessage) {
  Finished f = entmc({"check", kSource + "/scenarios/seed/govcloud.yaml", "-q"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("govcloud.yaml:1:1: error: no bounds: section"), std::string::npos) << f.err;
  f = entmc({"check", kHostile + "no_caps.yaml", "-q"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("no_caps.yaml:17:"), std::string::npos) << f.err;
  EXPECT_NE(f.err.find("has no cap"), std::string::npos) << f.err;
  f = entmc({"check", kHostile + "zero_cap.yaml", "-q"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("zero_cap.yaml:19:"), std::string::npos) << f.err;
}

TEST(Limits, NonRegularInputsAreRefusedBeforeReading) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"check", "/dev/zero", "-q"}, {"replay", "/dev/zero"}, {"simulate", "/dev/zero"},
        {"check", temp_dir(), "-q"}}) {
    const Finished f = entmc(args);
    EXPECT_EQ(f.code, 2) << args[1];
    EXPECT_TRUE(f.err.find("not a regular file") != std::string::npos ||
                f.err.find("is a directory") != std::string::npos)
        << f.err;
  }
  // Larger than the cap: a sparse file, nothing is read.
  const std::string big = temp_dir() + "/big.yaml";
  {
    std::ofstream(big) << "name: x\n";
    fs::resize_file(big, (64ull << 20) + 1);
  }
  const Finished f = entmc({"check", big, "-q"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("input files are limited to 64 MiB"), std::string::npos) << f.err;
}

// Peak resident memory, read back from the kernel, stays under --memory on
// several models and limits; the run stops with exit 3 and limit "memory".
TEST(Limits, PeakResidentMemoryStaysUnderTheLimit) {
#ifdef ENTMC_SANITIZED_BUILD
  // ASan's shadow memory alone is more than these limits (169 MiB before exploring).
  GTEST_SKIP() << "peak RSS is not the program's own under sanitizers";
#endif
  struct Case {
    std::string model, memory;
    uint64_t bytes;
  };
  for (const Case& c : {Case{kLarge, "96M", 96ull << 20}, Case{kLarge, "160M", 160ull << 20},
                        Case{kDefault, "40M", 40ull << 20}}) {
    const Finished f = entmc({"check", c.model, "-q", "--json", "-j", "2", "--memory", c.memory});
    ASSERT_EQ(f.code, 3) << c.model << " " << c.memory << f.err;
    EXPECT_EQ(json::parse(f.out)["check"]["limit"], "memory");
    EXPECT_LT(f.peak_rss, c.bytes) << c.model << " " << c.memory;
    std::cerr << fs::path(c.model).filename().string() << " --memory " << c.memory << ": peak RSS "
              << entmc::util::bytes_text(f.peak_rss) << "\n";
  }
}

// --expect-states: a visited set sized over --memory (or over the 2^31 - 1
// slots a table has) is bad input, told with the figures; one within it is
// echoed in the JSON inputs, and the run's limits still hold with the table
// presized (its pages are touched as states arrive).
TEST(Limits, ExpectStatesIsRefusedOverTheMemoryLimitAndOtherwiseKeepsIt) {
  for (const char* n : {"0", "-1", "x", ""}) EXPECT_EQ(entmc({"check", kSmall, "-q", "--expect-states", n}).code, 2) << n;
  Finished f = entmc({"check", kSmall, "-q", "--expect-states", "100000000", "--memory", "512M"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("--expect-states 100000000: a visited set for that many states takes"), std::string::npos)
      << f.err;
  EXPECT_NE(f.err.find("more than --memory 512M allows"), std::string::npos) << f.err;
  f = entmc({"check", kSmall, "-q", "--expect-states", "100000000", "--memory", "512M", "--links", "disk"});
  EXPECT_EQ(f.code, 2) << f.err;
  f = entmc({"check", kSmall, "-q", "--expect-states", "3000000000", "--memory", "200G"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("more than the 2^31 - 1 it can have"), std::string::npos) << f.err;
  f = entmc({"check", kSmall, "-q", "--json", "--expect-states", "1000"});
  ASSERT_EQ(f.code, 0) << f.err;
  EXPECT_EQ(json::parse(f.out)["inputs"]["expect_states"], 1000);
#ifndef ENTMC_SANITIZED_BUILD  // peak RSS is not the program's own under sanitizers
  f = entmc({"check", kLarge, "-q", "--json", "-j", "2", "--memory", "160M", "--expect-states", "5000000"});
  ASSERT_EQ(f.code, 3) << f.err;
  EXPECT_EQ(json::parse(f.out)["check"]["limit"], "memory");
  EXPECT_EQ(json::parse(f.out)["statistics"]["table_growths"], 0);
  EXPECT_LT(f.peak_rss, 160ull << 20);
#endif
}

TEST(Limits, SimulateRefusesAnOrganizationLargerThanTheMemoryLimit) {
  Finished f = entmc({"simulate", kSimSmall, "--accounts", "1000000000", "--no-progress"});
  EXPECT_EQ(f.code, 3) << f.err;
  EXPECT_NE(f.err.find("more than the memory limit"), std::string::npos) << f.err;
  f = entmc({"simulate", kSimSmall, "--accounts", "100000", "--memory", "16M", "--no-progress"});
  EXPECT_EQ(f.code, 3) << f.err;
  f = entmc({"simulate", kSimSmall, "--accounts", "4294967295", "--no-progress"});
  EXPECT_EQ(f.code, 2) << f.err;
}

// fuzz estimates the largest run's footprint before the first run and
// refuses one over --memory with exit 3 and the figures (docs/limits.md).
TEST(Limits, FuzzRefusesRunsEstimatedLargerThanTheMemoryLimit) {
  Finished f = entmc({"fuzz", "--runs", "1", "--seed", "1", "--max-steps", "10000", "--memory", "64M", "--out",
                      temp_dir()});
  EXPECT_EQ(f.code, 3) << f.out << f.err;
  EXPECT_NE(f.err.find("runs of up to 10000 steps with up to 24 members need about"), std::string::npos) << f.err;
  EXPECT_NE(f.err.find("more than the memory limit 64.0 MiB"), std::string::npos) << f.err;
  // The same bounds from a file's `bounds:` count as much as the command line's.
  f = entmc({"fuzz", kHostile + "fuzz_many_steps.yaml", "--runs", "1", "--seed", "1", "--memory", "64M", "--out",
             temp_dir()});
  EXPECT_EQ(f.code, 3) << f.out << f.err;
  EXPECT_NE(f.err.find("runs of up to 10000 steps"), std::string::npos) << f.err;
  // Small runs fit and run (a limit that the sanitizer build's own memory stays under too).
  f = entmc({"fuzz", "--runs", "2", "--seed", "1", "--memory", "512M", "--out", temp_dir(), "--json"});
  EXPECT_EQ(f.code, 0) << f.out << f.err;
  EXPECT_EQ(json::parse(f.out)["inputs"]["memory_limit_bytes"], 512ull << 20);
  EXPECT_EQ(entmc({"fuzz", "--runs", "1", "--seed", "1", "--memory", "nan"}).code, 2);
  EXPECT_EQ(entmc({"fuzz", "--runs", "1", "--seed", "1", "--memory", "-1G"}).code, 2);
}

// The watch itself (a thread polling resident memory) is tested in
// tests/util/memory_watch_test.cpp, which the TSan stage runs too.

// simulate and fuzz stopped by the watch mid-run: partial results, every
// report written and marked, exit 3. The watch's limit is lowered through
// the test-only variable (the footprint estimate has let the run start).
TEST(Limits, SimulateAndFuzzStoppedByTheMemoryWatchWriteTheirReports) {
  const std::string csv = temp_dir() + "/watched.csv", junit = temp_dir() + "/watched.xml";
  setenv("ENTMC_TEST_MEMORY_WATCH_LIMIT", "1M", 1);
  Finished f = entmc({"simulate", kSimSmall, "--events", "1000000000", "--json", "--no-progress", "--csv", csv,
                      "--junit", junit});
  Finished z = entmc({"fuzz", "--runs", "1000000000", "--seed", "1", "--json", "--out", temp_dir()});
  unsetenv("ENTMC_TEST_MEMORY_WATCH_LIMIT");
  EXPECT_EQ(f.code, 3) << f.err;
  const json sim = json::parse(f.out);
  EXPECT_EQ(sim["simulate"]["stopped_by"], "memory");
  EXPECT_EQ(sim["simulate"]["interrupted"], false);
  EXPECT_EQ(sim["verdict"], "limit");
  EXPECT_LT(sim["statistics"]["events"].get<uint64_t>(), 1000000000u);
  EXPECT_NE(f.err.find("memory: stopped after"), std::string::npos) << f.err;
  EXPECT_NE(slurp(csv).find("event"), std::string::npos);
  EXPECT_NE(slurp(junit).find("<testsuite"), std::string::npos);
  EXPECT_EQ(z.code, 3) << z.err;
  EXPECT_EQ(json::parse(z.out)["verdict"], "limit");
  EXPECT_EQ(json::parse(z.out)["fuzz"]["stopped_by"], "memory");
}

// The wall-clock limit: these runs take minutes, the limit a fraction of a second.
TEST(Limits, TimeLimitStopsCheckSimulateAndFuzzWithExitThree) {
  Finished f = entmc({"check", kLarge, "-q", "--json", "-j", "1", "--time-limit", "0.3"});
  EXPECT_EQ(f.code, 3) << f.err;
  EXPECT_EQ(json::parse(f.out)["check"]["limit"], "time-limit");
  f = entmc({"simulate", kSimSmall, "--events", "1000000000", "--time-limit", "0.3", "--json", "--no-progress"});
  EXPECT_EQ(f.code, 3) << f.err;
  EXPECT_EQ(json::parse(f.out)["simulate"]["stopped_by"], "time-limit");
  f = entmc({"fuzz", "--runs", "1000000000", "--seed", "1", "--time-limit", "0.3", "--json"});
  EXPECT_EQ(f.code, 3) << f.err;
  EXPECT_EQ(json::parse(f.out)["verdict"], "limit");
}

// ---- signals --------------------------------------------------------------

TEST(Signals, InterruptedCheckPrintsPartialResultsAndWritesMarkedReports) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const std::string junit = temp_dir() + "/interrupted-" + std::to_string(sig) + ".xml";
    std::ofstream(junit) << "stale";
    const Child c = start({"check", kLarge, "-q", "--json", "-j", "2", "--junit", junit});
    ASSERT_TRUE(handlers_installed(c.pid));
    kill(c.pid, sig);
    const Finished f = finish(c);
    EXPECT_EQ(f.code, 128 + sig) << f.err;
    const json j = json::parse(f.out);
    EXPECT_EQ(j["verdict"], "interrupted");
    EXPECT_EQ(j["check"]["interrupted"], true);
    EXPECT_EQ(j["check"]["limit"], sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
    EXPECT_GE(j["statistics"]["states"].get<uint64_t>(), 1u);
    const std::string xml = slurp(junit);
    EXPECT_NE(xml.find("<testsuite"), std::string::npos) << xml;
    EXPECT_NE(xml.find(sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"), std::string::npos) << xml;
  }
}

TEST(Signals, InterruptedSimulateAndFuzzReportWhatTheyDid) {
  const std::string csv = temp_dir() + "/interrupted.csv";
  Child c = start({"simulate", kSimSmall, "--events", "1000000000", "--json", "--no-progress", "--csv", csv});
  ASSERT_TRUE(handlers_installed(c.pid));
  kill(c.pid, SIGINT);
  Finished f = finish(c);
  EXPECT_EQ(f.code, 130) << f.err;
  EXPECT_EQ(json::parse(f.out)["simulate"]["interrupted"], true);
  EXPECT_NE(slurp(csv).find("event"), std::string::npos);
  c = start({"fuzz", "--runs", "1000000000", "--seed", "1", "--json"});
  ASSERT_TRUE(handlers_installed(c.pid));
  kill(c.pid, SIGTERM);
  f = finish(c);
  EXPECT_EQ(f.code, 143) << f.err;
  EXPECT_EQ(json::parse(f.out)["verdict"], "interrupted");
}

TEST(Signals, ASecondSignalExitsAtOnce) {
  const Child c = start({"check", kLarge, "-q", "--json", "-j", "1"});
  ASSERT_TRUE(handlers_installed(c.pid));
  kill(c.pid, SIGINT);
  kill(c.pid, SIGINT);
  const Finished f = finish(c);
  EXPECT_EQ(f.code, 130) << f.err;
}

// ---- outputs --------------------------------------------------------------

TEST(Outputs, PathsAreCheckedBeforeTheRun) {
  const std::string model_copy = temp_dir() + "/model.yaml";
  fs::copy_file(kSmall, model_copy, fs::copy_options::overwrite_existing);
  const std::string before = slurp(model_copy);
  Finished f = entmc({"check", model_copy, "-q", "--junit", model_copy});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("is an input of this run"), std::string::npos) << f.err;
  EXPECT_EQ(slurp(model_copy), before);
  // The same file by another name.
  f = entmc({"check", model_copy, "-q", "--junit", temp_dir() + "/./model.yaml"});
  EXPECT_EQ(f.code, 2);
  f = entmc({"check", kSmall, "-q", "--junit", "/nonexistent/j.xml"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("/nonexistent does not exist"), std::string::npos) << f.err;
  EXPECT_EQ(f.out, "");  // refused before the run
  f = entmc({"check", kSmall, "-q", "--junit", temp_dir() + "/x.xml", "--trace-out", temp_dir() + "/x.xml"});
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.err.find("are the same file"), std::string::npos) << f.err;
  f = entmc({"check", kSmall, "-q", "--junit", temp_dir()});
  EXPECT_EQ(f.code, 2);
  f = entmc({"simulate", kSimSmall, "--no-progress", "--csv", "/nonexistent/x.csv"});
  EXPECT_EQ(f.code, 2);
  EXPECT_EQ(f.out, "");
  f = entmc({"simulate", kSimSmall, "--no-progress", "--csv", temp_dir() + "/s.csv", "--plot", temp_dir() + "/s.csv"});
  EXPECT_EQ(f.code, 2);
  f = entmc({"fuzz", "--runs", "1", "--seed", "1", "--out", kSmall + "/sub"});
  EXPECT_EQ(f.code, 2) << f.err;
  f = entmc({"fuzz", kSmall, "--runs", "1", "--seed", "1", "--out", kSmall});
  EXPECT_EQ(f.code, 2) << f.err;
  // --junit and --html of every command that writes them, refused before the run.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"check", model_copy, "-q", "--html", model_copy},
           {"replay", model_copy, "-q", "--html", model_copy},
           {"replay", model_copy, "-q", "--junit", "/nonexistent/r.xml"},
           {"fuzz", "--runs", "1", "--seed", "1", "--out", temp_dir() + "/fz", "--junit", "/nonexistent/f.xml"},
           {"fuzz", "--runs", "1", "--seed", "1", "--out", temp_dir() + "/fz", "--html", temp_dir() + "/h.html",
            "--junit", temp_dir() + "/h.html"},
           {"simulate", kSimSmall, "--no-progress", "--junit", kSimSmall},
           {"simulate", kSimSmall, "--no-progress", "--html", "/nonexistent/s.html"}}) {
    f = entmc(args);
    EXPECT_EQ(f.code, 2) << args[0] << " " << args.back() << f.err;
    EXPECT_EQ(f.out, "") << args[0] << " " << args.back() << ": refused before the run";
  }
  EXPECT_EQ(slurp(model_copy), before);
}

TEST(Outputs, AtomicWriteReplacesWholeOrReportsWhy) {
  const std::string path = temp_dir() + "/atomic.txt";
  EXPECT_EQ(entmc::util::write_file_atomic(path, "first"), "");
  EXPECT_EQ(slurp(path), "first");
  EXPECT_EQ(entmc::util::write_file_atomic(path, "second"), "");
  EXPECT_EQ(slurp(path), "second");
  const std::string why = entmc::util::write_file_atomic("/nonexistent/dir/x.txt", "x");
  EXPECT_NE(why.find("cannot write /nonexistent/dir/x.txt"), std::string::npos) << why;
  // No temporary left behind.
  for (const auto& e : fs::directory_iterator(temp_dir()))
    EXPECT_EQ(e.path().filename().string().find(".atomic.txt.tmp"), std::string::npos) << e.path();
}

// A writer killed (SIGKILL) at a random moment of a large write leaves the
// old file whole or the new one whole, never a torn or empty one.
TEST(Outputs, AWriteKilledMidwayLeavesTheOldFileOrTheNewOne) {
  const std::string path = temp_dir() + "/killed.txt";
  const size_t size = 32 << 20;
  ASSERT_EQ(entmc::util::write_file_atomic(path, std::string(size, 'a')), "");
  for (int round = 0; round < 5; ++round) {
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string text(size, char('b' + round % 2));
      for (;;) entmc::util::write_file_atomic(path, text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + 37 * round));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    const std::string text = slurp(path);
    ASSERT_EQ(text.size(), size) << "round " << round;
    EXPECT_EQ(text.find_first_not_of(text[0]), std::string::npos) << "round " << round;
  }
}

// ---- hostile configs --------------------------------------------------------

TEST(Hostile, FuzzBoundsGetTheCommandLinesRangesAndLocatedErrors) {
  for (const auto& [file, where] : std::vector<std::pair<std::string, std::string>>{
           {"fuzz_wrong_percent.yaml", ":17:"},
           {"fuzz_max_steps.yaml", ":17:"},
           {"fuzz_unknown_key.yaml", ":17:"},
           {"fuzz_bad_conversion.yaml", ":17:"}}) {
    const Finished f = entmc({"fuzz", kHostile + file, "--runs", "1", "--seed", "1", "--out", temp_dir()});
    EXPECT_EQ(f.code, 2) << file << f.out << f.err;
    EXPECT_NE(f.err.find(file + where), std::string::npos) << file << ": " << f.err;
  }
}

}  // namespace

namespace {

TEST(Hostile, SimulationConfigsAreCheckedKeyByKey) {
  for (const auto& [file, where] : std::vector<std::pair<std::string, std::string>>{
           {"sim_duplicate_key.yaml", ":49:1: error: duplicate key 'seed' (first at line 21"},
           {"sim_mix_overflow.yaml", ":24:14: error: a weight must be a number from 0 to 1e12"},
           {"sim_list_key.yaml", ":21:1: error: a key must be a plain name"}}) {
    const Finished f = entmc({"simulate", kHostile + file, "--events", "10", "--no-progress"});
    EXPECT_EQ(f.code, 2) << file << f.out << f.err;
    EXPECT_NE(f.err.find(file + where), std::string::npos) << file << ": " << f.err;
  }
}

TEST(Hostile, ASimulationSectionGivenToCheckIsRefused) {
  const Finished f = entmc({"check", kHostile + "check_with_simulation_section.yaml", "-q"});
  EXPECT_EQ(f.code, 2) << f.out;
  EXPECT_NE(f.err.find("check_with_simulation_section.yaml:24:"), std::string::npos) << f.err;
  EXPECT_NE(f.err.find("not read by entmc check"), std::string::npos) << f.err;
}

}  // namespace
