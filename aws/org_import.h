// `entmc import DIR`: an organization's actual state, from the JSON the AWS
// CLI prints, as a scenario whose `start` section is that world
// (docs/real-accounts.md lists the commands and the file names).
//
// Real IDs are kept: the organization ID, the account IDs, and every license
// and grant ID (the scenario's `id:` fields, so replay, check and audit print
// them). What the model cannot represent (an OU principal, a suspended
// account, CreateGrant among a grant's operations, an unknown region...) is
// listed in `notes`, and written into the scenario as comments: never
// silently dropped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/names.h"
#include "model/world.h"

namespace entmc::aws {

struct ImportOptions {
  std::string name = "imported organization";
  std::map<std::string, std::string> product_types;  // product name -> AMI | CONTAINER | ... (default AMI)
};

struct ImportedOrg {
  Names names;
  World world;
  std::vector<std::string> notes;  // what was not represented, assumed, or left out; each names its file
  std::vector<std::string> files;  // the files read
  std::string scenario;            // the scenario text (start state, no steps)
};

// Throws InputError (json_input.h) on malformed or missing input.
ImportedOrg import_directory(const std::string& dir, const ImportOptions& = {});

}  // namespace entmc::aws
