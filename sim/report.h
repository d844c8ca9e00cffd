// The simulator's output: the summary table, the JSON document, the CSV time
// series and its SVG plot.
#pragma once

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/config.h"
#include "sim/simulation.h"

namespace entmc::sim {

// What a finished run reports besides RunResult.
struct RunFacts {
  uint64_t accounts = 0;
  uint64_t members = 0;
  uint64_t products = 0;
  uint64_t grants = 0;             // records in the world at the end
  uint64_t peak_rss = 0;           // bytes
  uint64_t incremental_properties = 0;
  uint64_t transition_properties = 0;
  std::vector<std::string> full_check_only;  // Always properties without check_local
  std::string violation_file;      // the run up to the violation, as a scenario
  std::string shrunk_file;         // the shrunk scenario
  uint64_t shrunk_steps = 0;
  uint64_t shrunk_accounts = 0;
  std::string rerun;               // the command line that finds the violation again
};

RunFacts collect_facts(const Simulation&, uint64_t peak_rss);

std::string summary_text(const SimConfig&, const Simulation&, const RunResult&, const RunFacts&);
nlohmann::json summary_json(const SimConfig&, const Simulation&, const RunResult&, const RunFacts&);
std::string csv_text(const Simulation&, const RunResult&);
std::string svg_plot(const SimConfig&, const RunResult&);

// A one-line progress bar for a terminal: events, events/s, ETA.
std::string progress_line(uint64_t done, uint64_t total, double seconds);

}  // namespace entmc::sim
