// `entmc export --aws-cli SCENARIO [-o FILE]`: the scenario as a shell script
// of AWS CLI calls (aws/cli_export.h). Writes the script; runs nothing.
// Exit 0, or 2 for bad input (FILE:LINE:COL: error: ... on stderr).
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "aws/cli_export.h"
#include "cli/command.h"

namespace entmc::cli {
namespace {

struct ExportOptions {
  std::string file, out;
  bool aws_cli = false;
};

const Registration kExport(60, [](CLI::App& app) {
  auto opt = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Write a scenario as a shell script of AWS CLI calls (never runs it)");
  cmd->add_option("SCENARIO", opt->file, "Scenario file (YAML)")->required();
  cmd->add_flag("--aws-cli", opt->aws_cli, "Write AWS CLI calls (the only format so far)")->required();
  cmd->add_option("--out,-o", opt->out, "Write the script here instead of stdout");
  cmd->callback([opt] {
    Scenario sc;
    try {
      sc = parse_scenario_file(opt->file);
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      set_exit_code(kExitBadInput);
      return;
    }
    aws::ExportedScript s = aws::export_aws_cli(sc);
    for (const auto& p : s.problems) std::cerr << "entmc: warning: " << p << "\n";
    if (opt->out.empty()) {
      std::cout << s.text;
    } else {
      std::ofstream out(opt->out);
      out << s.text;
      if (!out) {
        std::cerr << "entmc: error: cannot write " << opt->out << "\n";
        set_exit_code(kExitBadInput);
        return;
      }
      std::cerr << fmt::format("entmc: wrote {} ({} aws commands, {} console steps)\n", opt->out, s.commands,
                               s.console_steps);
    }
  });
});

}  // namespace
}  // namespace entmc::cli
