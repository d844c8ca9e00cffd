// entmc: a model checker and simulation harness for AWS Marketplace managed
// entitlements. The subcommands live in cmd_*.cpp.
#include <exception>
#include <iostream>

#include "cli/command.h"
#include "util/stop_request.h"

int main(int argc, char** argv) {
  CLI::App app{
      "entmc: model checker and simulator for AWS Marketplace managed entitlements\n"
      "(licenses, grants, organizations, delegated administrators, workloads)",
      "entmc"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "entmc 0.1.0");
  entmc::cli::add_all_commands(app);
  entmc::util::install_signal_handlers();  // SIGINT/SIGTERM stop a run cleanly (docs/limits.md)
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // CLI11 exits 0 for --help/--version; usage errors are bad input (2).
    return rc == 0 ? 0 : entmc::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "entmc: error: " << e.what() << "\n";
    return entmc::cli::kExitBadInput;
  }
  return entmc::cli::exit_code();
}
