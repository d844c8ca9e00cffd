// A scenario's `start` section applied to a world built elsewhere: the
// simulator builds its organization from its own parameters (org, products,
// setup) and then states its licenses, grants and workloads with the same
// section (docs/scenario-format.md, "Start state"; docs/simulator.md). One
// parser and one builder for both (scenario/start_section.cpp): the same
// checks, the same FILE:LINE:COL errors (ScenarioError).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "model/names.h"
#include "model/world.h"

namespace entmc {

// Adds the section's records to `world` (whose accounts and products `names`
// lists) and their real IDs to `names`. Throws ScenarioError, located in
// `file`, for anything the scenario parser refuses; then `world` and `names`
// are left unspecified.
void apply_start_section(const YAML::Node& start, const std::string& file, World& world, Names& names);

}  // namespace entmc
