// `--html FILE`: one self-contained page (inline CSS, SVG and a few lines of
// script, nothing fetched) that shows a run: its verdict and figures, each
// failure with the property's statement and seed section and the lines that
// replay and rerun it, the counterexample as a timeline of calls beside the
// organization after the chosen step (report/trace_view.h), tables (check's
// coverage) and charts (the simulator's time series, inline SVG).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/trace_view.h"

namespace entmc::report {

struct HtmlFailure {
  std::string property, statement, seed, detail;  // statement/seed: from the property catalogue
  size_t step = 0;                                // in the trace (0: the start state)
  std::string scenario, replay, rerun;
  std::optional<TraceView> trace;
};

struct HtmlTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> warn_rows;  // rows to highlight (e.g. an operation never enabled)
};

struct HtmlReport {
  std::string command, title, verdict;  // verdict: pass / fail / limit / error
  std::vector<std::pair<std::string, std::string>> facts;  // figure, value
  std::vector<HtmlFailure> failures;
  std::vector<HtmlTable> tables;
  std::vector<std::pair<std::string, std::string>> charts;  // title, inline <svg>
};

std::string html_report(const HtmlReport&);
// Writes html_report to `path`; false when the file cannot be written.
bool write_html(const std::string& path, const HtmlReport&);

}  // namespace entmc::report
