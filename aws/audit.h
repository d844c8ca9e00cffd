// `entmc audit`: a CloudTrail history replayed through the model from a start
// state (usually `entmc import`'s), in eventTime/eventID order, reporting
//   violation        an invariant of properties/ broken on the way
//   divergence       AWS and the model disagree: AWS succeeded where the model
//                    refuses, AWS refused where the model accepts, or the
//                    status/version in AWS's response is not the model's
//   uninterpretable  a modelled operation's event the auditor cannot turn
//                    into a call (unknown grant, account, malformed fields...)
// Each finding names the event (eventID, eventTime, account, region) and can
// be written as a replayable scenario: the world just before the event as the
// `start` section, the event's call as the one step.
//
// When AWS did what the model refuses, the audit follows AWS where it can
// (a launch AWS made is counted as running) so that later events are judged
// from the real state and invariants are checked on it; otherwise the model's
// state is kept. Memory: the model's state plus the reorder window, whatever
// the history's length.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aws/cloudtrail_reader.h"
#include "model/call.h"
#include "scenario/scenario.h"

namespace entmc::aws {

struct AuditOptions {
  int64_t reorder_window_s = 900;              // records arrive out of order within minutes
  std::map<std::string, std::string> amis;     // AMI ID -> product name (EC2 launches to audit)
  size_t max_findings = 10000;                 // kept in full; beyond, only counted
};

struct Finding {
  enum class Kind : uint8_t { Violation, Divergence, Uninterpretable };
  Kind kind = Kind::Violation;
  std::string what;    // property name, divergence kind, or "uninterpretable"
  std::string detail;
  std::string event_id, event_time, event_name, account, region, file;
  uint64_t ordinal = 0;
  std::string scenario;  // the replayable scenario ("" when the state cannot be written; see detail)
};
std::string_view to_string(Finding::Kind);

struct AuditStats {
  uint64_t records = 0;       // every record read
  uint64_t modelled = 0;      // of operations entmc models
  uint64_t applied = 0;       // turned into calls and applied
  uint64_t skipped = 0;       // other operations, read-only calls, service-side events
  uint64_t findings = 0;      // all findings, kept or not
};

class Auditor {
 public:
  // `start` must outlive the auditor.
  Auditor(const Scenario& start, AuditOptions);
  ~Auditor();
  Auditor(const Auditor&) = delete;
  Auditor& operator=(const Auditor&) = delete;

  // Feeds one record (any order within the reorder window).
  void add(TrailEvent&&);
  // Audits what is left in the window; call once at the end.
  void finish();

  const std::vector<Finding>& findings() const;
  const AuditStats& stats() const;

  // Whether the audit reads an event's requestParameters / responseElements
  // (the reader's ParameterFilter): the operations entmc models and EC2
  // launches and terminations.
  static bool reads_parameters(const std::string& source, const std::string& name);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace entmc::aws
