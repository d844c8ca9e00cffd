// One JSON shape for every command's --json (docs/report-schema.json):
//
//   { "schema": "entmc-report/1", "command": "check", "verdict": "fail",
//     "exit_code": 1, "inputs": {...}, "statistics": {...},
//     "failures": [ {"property", "step", "detail", "trace", "scenario",
//                    "replay", "rerun"} ],
//     "<command>": { the command's own sections } }
//
// The verdict follows the exit code (command.h): 0 pass, 1 fail, 2 error,
// 3 limit; `interrupted` is for a run a signal stopped (its exit code is the
// caller's to choose, 130 by convention). Numbers are JSON numbers.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace entmc::report {

inline constexpr std::string_view kSchemaVersion = "entmc-report/1";

enum class Verdict { Pass, Fail, Limit, Error, Interrupted };
std::string_view to_string(Verdict);
// 0 pass, 1 fail, 2 error, 3 limit, 130 (SIGINT) and 143 (SIGTERM) interrupted.
Verdict verdict_for_exit(int exit_code);

struct Failure {
  std::string property;              // the violated property, or what failed ("expectation", "outcome")
  std::optional<uint64_t> step;      // the failing step (1-based) of the trace or scenario
  std::string detail;                // what was found, in the domain's words
  nlohmann::json trace = nlohmann::json::array();  // the steps leading there: objects with at least "call"
  std::string scenario;              // a replayable scenario file, when one was written
  std::string replay;                // the command that replays it
  std::string rerun;                 // the command that finds it again
};

struct Envelope {
  std::string command;  // "check", "replay", "fuzz", "simulate", "graph"
  int exit_code = 0;
  std::optional<Verdict> verdict;  // default: verdict_for_exit(exit_code)
  nlohmann::json inputs = nlohmann::json::object();
  nlohmann::json statistics = nlohmann::json::object();
  std::vector<Failure> failures;
  nlohmann::json own = nlohmann::json::object();  // written under the command's name
};

nlohmann::json to_json(const Envelope&);

}  // namespace entmc::report
