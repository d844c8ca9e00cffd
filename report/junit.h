// JUnit XML for every command (--junit FILE), in the shape CI systems read
// (GitLab, Jenkins, GitHub test reporters): <testsuites> of <testsuite>s of
// <testcase>s, each passing, failing (<failure>) or skipped (<skipped>).
// tests/report/junit.xsd is the schema the tests hold the output to.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace entmc::report {

struct JUnitCase {
  std::string classname;  // e.g. "entmc.check.small model"
  std::string name;       // e.g. the property
  double seconds = 0;
  std::optional<std::string> failure_message;  // set: the case failed
  std::string failure_text;                    // the trace, one step a line
  std::optional<std::string> skipped;          // set: the case was skipped, with why
};

struct JUnitSuite {
  std::string name;
  double seconds = 0;
  std::vector<JUnitCase> cases;
};

std::string junit_xml(const std::vector<JUnitSuite>& suites);
// Writes junit_xml to `path`; false when the file cannot be written.
bool write_junit(const std::string& path, const std::vector<JUnitSuite>& suites);

}  // namespace entmc::report
