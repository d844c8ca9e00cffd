// The scenario round trip: write a run as a scenario YAML (scenario writer),
// parse it back and replay it (scenario runner), and compare with the run.
#pragma once

#include <optional>
#include <string>

#include "proptest/execute.h"
#include "proptest/run.h"

namespace entmc::proptest {

// The name of the round-trip property in reports.
inline constexpr const char* kRoundTripProperty = "scenario-round-trip";

// The run as a scenario file that `entmc replay` reproduces. Steps whose
// references do not resolve are left out (normalize the run first to keep
// step numbers aligned). `comment` goes after the last step.
std::string scenario_text(const Run&, const Rules&, const std::string& name, const std::string& description = {},
                          const std::string& comment = {});

// Writes, parses back and replays the run. nullopt when the replay reaches
// the identical final state (World::digest) and reports, at the same step,
// the same first invariant violation the run has (or none when it has none);
// else what differs.
std::optional<std::string> round_trip(const Run&, const Rules&);

}  // namespace entmc::proptest
