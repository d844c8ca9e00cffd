// Subcommands of `entmc` register themselves: each cmd_*.cpp defines one
// static Registration. The CLI11 callback of a subcommand sets the process
// exit code with set_exit_code (0 ok, 1 property/expectation failure, 2 bad
// input, 3 stopped by a limit).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "model/apply.h"

namespace entmc::cli {

enum ExitCode : int { kExitOk = 0, kExitViolation = 1, kExitBadInput = 2, kExitLimit = 3 };

struct Registration {
  // `order` sorts the subcommands in --help.
  Registration(int order, std::function<void(CLI::App&)> add);
};

void set_exit_code(int code);
int exit_code();

void add_all_commands(CLI::App& app);

// The rules every command runs with: Rules::standard() in `entmc`; the test
// suite's entmc-planted binary (tests/cli) sets a planted bug, so that the
// rerun lines the commands print can be run and shown to reproduce.
const Rules& command_rules();
void set_command_rules(const Rules& rules);

}  // namespace entmc::cli
