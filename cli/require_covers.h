// `entmc check --require-covers` (issue 17: no vacuous PASS): what a run that
// otherwise passed left unexercised, each gap one sentence. A cover property
// never reached, an operation of the bounds that never succeeded, or an empty
// domain of the bounds that an operation in them draws from is a gap.
#pragma once

#include <string>
#include <vector>

#include "engine/bounds.h"
#include "engine/explorer.h"

namespace entmc::cli {

// `covers`: also the cover properties never reached (--require-covers; without
// it, --require-enabled).
std::vector<std::string> require_covers_gaps(const engine::Bounds&, const engine::ExploreResult&, bool covers);

}  // namespace entmc::cli
