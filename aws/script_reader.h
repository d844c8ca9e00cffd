// Reading an exported script back (cli_export.h): the `aws` commands it runs,
// with their profile, service, operation and parameters, and the console
// steps of its comments. Used by the tests to check that every command names
// a real operation with real parameters, and that the script gives back the
// scenario's calls.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace entmc::aws {

struct ScriptCommand {
  size_t step = 0;          // the `# step N:` comment it follows
  std::string assigns;      // VAR when the line is VAR=$(aws ...)
  std::string profile, region, service, operation;
  // --name -> values (a parameter may take several words, e.g. a list).
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  std::string query, output;  // --query / --output (client-side options)
  bool may_fail = false;      // followed by `|| ...`: the model expects it to fail
  const std::vector<std::string>* param(const std::string& name) const;
};

struct ScriptStep {
  size_t step = 0;
  std::string summary;  // the text after `# step N: `
  bool console = false; // `# console:` follows: no CLI equivalent
  std::vector<ScriptCommand> commands;  // the calls the step makes (not the ARN look-ups)
};

// Splits a shell word list the way bash would for the subset the exporter
// writes (single and double quotes, $VAR and ${VAR...}, backslash escapes).
std::vector<std::string> shell_words(const std::string& line);

std::vector<ScriptStep> read_script(const std::string& text);
// Every aws command of the script, look-ups included, in order.
std::vector<ScriptCommand> script_commands(const std::string& text);

}  // namespace entmc::aws
