// entmc-planted: the `entmc` command line with a planted bug (tests/support),
// named by the ENTMC_PLANTED_BUG environment variable. The product's rules
// violate nothing, so the tests use it to make every command fail, then run
// the rerun line the command printed and check that it fails the same way.
// Built for the tests only; `entmc` itself never switches rules.
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/command.h"
#include "planted_rules.h"

int main(int argc, char** argv) {
  if (const char* bug = std::getenv("ENTMC_PLANTED_BUG"); bug && *bug)
    entmc::cli::set_command_rules(entmc::planted::planted_bug(bug).rules);
  CLI::App app{"entmc with a planted bug (tests only)", "entmc"};
  app.require_subcommand(1);
  entmc::cli::add_all_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : entmc::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "entmc: error: " << e.what() << "\n";
    return entmc::cli::kExitBadInput;
  }
  return entmc::cli::exit_code();
}
