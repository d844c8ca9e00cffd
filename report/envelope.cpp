#include "report/envelope.h"

namespace entmc::report {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Limit: return "limit";
    case Verdict::Error: return "error";
    case Verdict::Interrupted: return "interrupted";
  }
  return "error";
}

Verdict verdict_for_exit(int exit_code) {
  switch (exit_code) {
    case 0: return Verdict::Pass;
    case 1: return Verdict::Fail;
    case 3: return Verdict::Limit;
    case 130:
    case 143: return Verdict::Interrupted;
    default: return Verdict::Error;
  }
}

nlohmann::json to_json(const Envelope& e) {
  nlohmann::json failures = nlohmann::json::array();
  for (const Failure& f : e.failures) {
    nlohmann::json j = {{"property", f.property}, {"detail", f.detail}, {"trace", f.trace}};
    j["step"] = f.step ? nlohmann::json(*f.step) : nlohmann::json(nullptr);
    if (!f.scenario.empty()) j["scenario"] = f.scenario;
    if (!f.replay.empty()) j["replay"] = f.replay;
    if (!f.rerun.empty()) j["rerun"] = f.rerun;
    failures.push_back(std::move(j));
  }
  nlohmann::json j;
  j["schema"] = kSchemaVersion;
  j["command"] = e.command;
  j["verdict"] = to_string(e.verdict ? *e.verdict : verdict_for_exit(e.exit_code));
  j["exit_code"] = e.exit_code;
  j["inputs"] = e.inputs;
  j["statistics"] = e.statistics;
  j["failures"] = failures;
  j[e.command] = e.own;
  return j;
}

}  // namespace entmc::report
