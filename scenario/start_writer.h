// Internal to scenario/: writing a World's licenses, grants and running
// workloads as the `start` section (start_section.h reads it back), for the
// scenario writer and `entmc import`.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "model/names.h"
#include "model/world.h"

namespace entmc::scn {

// Appends `start:` (nothing when the world holds no license, grant or
// workload) and fills the aliases it gives: lic<N> / grant<N> for index N-1,
// the names the step writer uses for the records steps create.
void write_start(std::string& out, const Names&, const World&, std::unordered_map<uint32_t, std::string>& licenses,
                 std::unordered_map<uint32_t, std::string>& grants);

// The user strings (grant names, reasons) the start section interns, in the
// order the parser will intern them.
std::vector<StringId> start_strings(const World&);

std::string yaml_quote(std::string_view);

}  // namespace entmc::scn
