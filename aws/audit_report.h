// The audit's reports: text for people, --json and --junit for CI, in the
// family of `entmc check`'s (exit 0 clean, 1 findings, 2 bad input).
#pragma once

#include <string>

#include "aws/audit.h"

namespace entmc::aws {

std::string audit_text(const Auditor&, const std::string& input_error = "");
std::string audit_json(const Auditor&, const std::string& input_error = "");
std::string audit_junit(const Auditor&, const std::string& input_error = "");

}  // namespace entmc::aws
