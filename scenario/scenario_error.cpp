#include <xxhash.h>

#include "scenario/scenario.h"

namespace entmc {

SourceMark mark_of(const YAML::Node& node) {
  if (!node.IsDefined()) return {};
  YAML::Mark m = node.Mark();
  if (m.line < 0) return {};
  return SourceMark{m.line + 1, m.column + 1};
}

ScenarioError::ScenarioError(std::string file, SourceMark mark, std::string message)
    : std::runtime_error(file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) +
                         ": error: " + message),
      file_(std::move(file)),
      mark_(mark),
      message_(std::move(message)) {}

uint64_t id_seed_for(std::string_view scenario_name) {
  return XXH3_64bits_withSeed(scenario_name.data(), scenario_name.size(), 0x73636e6172696fULL);  // "scnario"
}

}  // namespace entmc
