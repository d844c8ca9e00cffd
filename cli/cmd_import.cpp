// `entmc import DIR [-o FILE] [--name NAME] [--product-type NAME=TYPE]...`:
// an organization's actual state, from the AWS CLI's JSON outputs, as a
// scenario whose start state is that world (aws/org_import.h). What the model
// cannot represent is listed on stderr and in the scenario's comments.
// Exit 0, or 2 for bad input (FILE:LINE:COL: error: ...).
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "aws/json_input.h"
#include "aws/org_import.h"
#include "cli/command.h"

namespace entmc::cli {
namespace {

struct ImportArgs {
  std::string dir, out, name = "imported organization";
  std::vector<std::string> product_types;
};

const Registration kImport(61, [](CLI::App& app) {
  auto opt = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Read an organization's state from AWS CLI outputs (docs/real-accounts.md) and write a scenario");
  cmd->add_option("DIR", opt->dir, "Directory of AWS CLI JSON outputs")->required();
  cmd->add_option("--out,-o", opt->out, "Write the scenario here instead of stdout");
  cmd->add_option("--name", opt->name, "The scenario's name");
  cmd->add_option("--product-type", opt->product_types, "PRODUCT=TYPE (AMI, CONTAINER, ML_MODEL, DATA_EXCHANGE, SAAS)")
      ->allow_extra_args(false);
  cmd->callback([opt] {
    aws::ImportOptions io;
    io.name = opt->name;
    for (const std::string& pt : opt->product_types) {
      auto eq = pt.rfind('=');
      if (eq == std::string::npos) {
        std::cerr << "entmc: error: --product-type " << pt << ": expected PRODUCT=TYPE\n";
        set_exit_code(kExitBadInput);
        return;
      }
      io.product_types[pt.substr(0, eq)] = pt.substr(eq + 1);
    }
    aws::ImportedOrg org;
    try {
      org = aws::import_directory(opt->dir, io);
    } catch (const aws::InputError& e) {
      std::cerr << e.what() << "\n";
      set_exit_code(kExitBadInput);
      return;
    }
    for (const auto& n : org.notes) std::cerr << "entmc: note: " << n << "\n";
    std::cerr << fmt::format("entmc: imported organization {}: {} accounts, {} licenses, {} grants from {} files\n",
                             org.names.org_id, org.world.accounts.size(), org.world.licenses.size(),
                             org.world.grants.size(), org.files.size());
    if (opt->out.empty()) {
      std::cout << org.scenario;
      return;
    }
    std::ofstream out(opt->out);
    out << org.scenario;
    if (!out) {
      std::cerr << "entmc: error: cannot write " << opt->out << "\n";
      set_exit_code(kExitBadInput);
    }
  });
});

}  // namespace
}  // namespace entmc::cli
