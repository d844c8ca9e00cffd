#include "report/junit.h"
#include "util/atomic_file.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

namespace entmc::report {
namespace {

// XML text and attribute values; control characters other than tab and
// newline are not allowed in XML 1.0, so they become '?'.
std::string esc(std::string_view s) {
  std::string o;
  for (unsigned char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else if (c < 0x20 && c != '\n' && c != '\t') o += '?';
    else o += char(c);
  }
  return o;
}

}  // namespace

std::string junit_xml(const std::vector<JUnitSuite>& suites) {
  size_t tests = 0, failures = 0, skipped = 0;
  double seconds = 0;
  std::string body;
  for (const JUnitSuite& s : suites) {
    size_t f = 0, k = 0;
    std::string cases;
    for (const JUnitCase& c : s.cases) {
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"", esc(c.classname), esc(c.name),
                           c.seconds);
      if (!c.failure_message && !c.skipped) {
        cases += "/>\n";
        continue;
      }
      cases += ">\n";
      if (c.failure_message) {
        cases += fmt::format("      <failure message=\"{}\" type=\"violation\">{}</failure>\n", esc(*c.failure_message),
                             esc(c.failure_text));
        ++f;
      } else {
        cases += fmt::format("      <skipped message=\"{}\"/>\n", esc(*c.skipped));
        ++k;
      }
      cases += "    </testcase>\n";
    }
    body += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3f}\">\n{}  "
        "</testsuite>\n",
        esc(s.name), s.cases.size(), f, k, s.seconds, cases);
    tests += s.cases.size();
    failures += f;
    skipped += k;
    seconds += s.seconds;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"entmc\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "skipped=\"{}\" time=\"{:.3f}\">\n{}</testsuites>\n",
      tests, failures, skipped, seconds, body);
}

bool write_junit(const std::string& path, const std::vector<JUnitSuite>& suites) {
  // Atomically (docs/limits.md): a reader never sees a torn report.
  const std::string why = util::write_file_atomic(path, junit_xml(suites));
  if (!why.empty()) std::fprintf(stderr, "entmc: error: %s\n", why.c_str());
  return why.empty();
}

}  // namespace entmc::report
