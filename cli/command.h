// Subcommands of `entmc` register themselves: each cmd_*.cpp defines one
// static Registration. The CLI11 callback of a subcommand sets the process
// exit code with set_exit_code (0 ok, 1 property/expectation failure, 2 bad
// input, 3 stopped by a limit).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace entmc::cli {

enum ExitCode : int { kExitOk = 0, kExitViolation = 1, kExitBadInput = 2, kExitLimit = 3 };

struct Registration {
  // `order` sorts the subcommands in --help.
  Registration(int order, std::function<void(CLI::App&)> add);
};

void set_exit_code(int code);
int exit_code();

void add_all_commands(CLI::App& app);

}  // namespace entmc::cli
