#include "aws/audit_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace entmc::aws {
namespace {

std::string xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string where(const Finding& f) {
  return fmt::format("event {} at {} (account {}, region {}, {} record {})", f.event_id,
                     f.event_time.empty() ? "-" : f.event_time, f.account.empty() ? "-" : f.account,
                     f.region.empty() ? "-" : f.region, f.file.empty() ? "-" : f.file, f.ordinal);
}

}  // namespace

std::string audit_text(const Auditor& a, const std::string& input_error) {
  const AuditStats& s = a.stats();
  std::string out;
  for (const Finding& f : a.findings())
    out += fmt::format("{}: {} {}: {}\n  {}\n", to_string(f.kind), f.what, f.event_name, f.detail, where(f));
  if (s.findings > a.findings().size())
    out += fmt::format("... and {} more findings (--max-findings)\n", s.findings - a.findings().size());
  if (!input_error.empty()) out += input_error + "\n";
  out += fmt::format("audit: {} records, {} of modelled operations, {} calls applied, {} skipped; {} findings\n",
                     s.records, s.modelled, s.applied, s.skipped, s.findings);
  return out;
}

std::string audit_json(const Auditor& a, const std::string& input_error) {
  const AuditStats& s = a.stats();
  nlohmann::json j;
  j["records"] = s.records;
  j["modelled"] = s.modelled;
  j["applied"] = s.applied;
  j["skipped"] = s.skipped;
  j["finding_count"] = s.findings;
  j["findings"] = nlohmann::json::array();
  for (const Finding& f : a.findings())
    j["findings"].push_back({{"kind", to_string(f.kind)}, {"what", f.what}, {"detail", f.detail},
                             {"eventID", f.event_id}, {"eventTime", f.event_time}, {"eventName", f.event_name},
                             {"account", f.account}, {"region", f.region}, {"file", f.file}, {"record", f.ordinal},
                             {"scenario", f.scenario}});
  if (!input_error.empty()) j["error"] = input_error;
  j["result"] = !input_error.empty() ? "bad-input" : s.findings ? "findings" : "clean";
  return j.dump(2) + "\n";
}

std::string audit_junit(const Auditor& a, const std::string& input_error) {
  const auto& fs = a.findings();
  size_t failures = fs.size() + (input_error.empty() ? 0 : 1);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites><testsuite name=\"entmc audit\" tests=\"{}\" failures=\"{}\">\n",
                     std::max<size_t>(1, failures), failures);
  if (failures == 0) out += "  <testcase classname=\"audit\" name=\"history agrees with the model\"/>\n";
  for (const Finding& f : fs)
    out += fmt::format("  <testcase classname=\"audit.{}\" name=\"{} {}\"><failure message=\"{}\">{}</failure></testcase>\n",
                       to_string(f.kind), xml(f.what), xml(f.event_id), xml(f.detail), xml(where(f)));
  if (!input_error.empty())
    out += fmt::format("  <testcase classname=\"audit.input\" name=\"input\"><error message=\"{}\"/></testcase>\n",
                       xml(input_error));
  out += "</testsuite></testsuites>\n";
  return out;
}

}  // namespace entmc::aws
