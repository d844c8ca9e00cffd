// Internal to scenario/: the optional `start` section, a start state other
// than "no licenses, no grants, nothing running": the licenses, grants
// (status, version, reason, parent organization grant) and running workloads
// the world already holds before the first step (docs/scenario-format.md,
// "Start state"). `entmc import` writes it from an organization's real state.
//
// Read in two passes so that the parser needs only two hook lines: parse_start
// checks everything that needs only the org and products sections (and
// defines the aliases, so steps may use them), apply_start then adds the
// records to the built World and checks what needs the world (membership, the
// parent grant's license, one child per account).
#pragma once

#include <string>
#include <vector>

#include "scenario/parse_context.h"

namespace entmc::scn {

struct StartLicense {
  SourceMark mark;
  std::string alias, id;  // either may be empty
  std::string issuer;     // the account of its real ARN (may be empty)
  License record;
};

struct StartGrant {
  SourceMark mark, parent_mark, principal_mark;
  std::string alias, id;
  Grant record;  // license / parent are indices into the start section's lists
};

struct StartWorkload {
  SourceMark mark;
  AccountIx account = 0;
  ProductIx product = 0;
  uint8_t running = 0;
};

struct StartSection {
  std::vector<StartLicense> licenses;
  std::vector<StartGrant> grants;
  std::vector<StartWorkload> workloads;
};

StartSection parse_start(Context&, const YAML::Node& start);
// Adds the records to sc.initial, records the real IDs in sc.names and the
// aliases in sc.start_licenses / sc.start_grants.
void apply_start(Context&, const StartSection&, Scenario& sc);

}  // namespace entmc::scn
