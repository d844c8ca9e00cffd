// A written scenario (a counterexample file) as the HTML report shows it:
// replayed step by step with the given rules into a TraceView, with its first
// failure. Used where the failing run is only known as a file (fuzz,
// simulate's shrunk scenario).
#pragma once

#include <string>

#include "model/apply.h"
#include "report/html.h"

namespace entmc::report {

// Replays `path`; the failure's property/detail/step come from its first
// failing step. Throws ScenarioError when the file does not parse.
HtmlFailure failure_from_scenario(const std::string& path, const Rules& rules);

}  // namespace entmc::report
