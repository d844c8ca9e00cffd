// Deliberately unknown references: the simulator's invalid events call with
// an account or a product the world does not have, and the scenario writer
// writes them as "account#19" / "product#5" (the index, as Names prints it),
// so that such a run replays call for call. Internal to scenario/.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "scenario/yaml_reader.h"

namespace entmc::scn {

// N when `s` is PREFIX#N (decimal, no sign); nothing otherwise.
std::optional<uint32_t> unknown_index(std::string_view s, std::string_view prefix);

// The top-level `id_seed:` (a decimal 64-bit number) that the writer adds when
// the scenario's name would give other printed IDs than the run it came from.
uint64_t parse_id_seed(const yaml::Reader&, const YAML::Node&);

}  // namespace entmc::scn
