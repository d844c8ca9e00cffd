// `entmc export --aws-cli`: a scenario as a shell script of AWS CLI calls
// (docs/real-accounts.md). The script is written, never run: one CLI profile
// per account (acct-<ACCOUNT>), a client token per create call so that a
// re-run is idempotent, the ARNs that calls create captured in shell
// variables, and a comment for every step that has no CLI equivalent (a
// Marketplace subscription made in the console, an issuer-side event).
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace entmc::aws {

struct ExportedScript {
  std::string text;
  size_t commands = 0;        // aws invocations written
  size_t console_steps = 0;   // steps written as comments only
  std::vector<std::string> problems;  // steps the run could not resolve (written as comments too)
};

// Runs the scenario (to learn what each step creates) and writes the script.
ExportedScript export_aws_cli(const Scenario&);

// The CLI profile name of an account.
std::string profile_of(const std::string& account_id);

}  // namespace entmc::aws
