// Reading CloudTrail histories, one record at a time (docs/real-accounts.md):
//   - a trail's files: {"Records": [ {record}, ... ]} (gunzipped);
//   - `aws cloudtrail lookup-events` output: {"Events": [{"EventId", ...,
//     "CloudTrailEvent": "<the record as a JSON string>"}], "NextToken"}.
// A trail file is streamed (a validating scanner over a buffer, not a DOM):
// each record is handed to the sink as soon as it is read, with only the
// fields the auditor reads, so memory does not grow with the file. A
// lookup-events file is newest-first, so its events are read whole, sorted
// by time and then handed on (the API returns at most 90 days of them).
// Malformed or truncated files throw InputError at FILE:LINE:COL; records
// already handed on stay handed on.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>

namespace entmc::aws {

struct TrailEvent {
  std::string file;
  uint64_t ordinal = 0;  // 1-based position of the record in its file
  std::string event_id, event_time, event_source, event_name, account, region, error_code, error_message;
  std::string identity_type;  // userIdentity.type
  int64_t seconds = 0;        // eventTime as seconds since the epoch (0 when unreadable)
  nlohmann::json request, response;  // requestParameters / responseElements (null when absent)
};

using EventSink = std::function<void(TrailEvent&&)>;
// Whether an event's requestParameters / responseElements are wanted, by its
// eventSource and eventName (the auditor's Auditor::reads_parameters): the
// others are skipped without being built. Unset: all are kept.
using ParameterFilter = std::function<bool(const std::string& source, const std::string& name)>;

// Reads one file (format detected from its top-level key).
void read_trail_file(const std::string& path, const EventSink& sink, const ParameterFilter& wanted = {});
// Same, from a stream; `name` is used in error messages.
void read_trail_stream(std::istream& in, const std::string& name, const EventSink& sink,
                       const ParameterFilter& wanted = {});

// ISO 8601 UTC ("2026-03-01T12:00:00Z", fractions and "+00:00" accepted) to
// seconds since the epoch; nullopt-like -1 when unreadable.
int64_t parse_event_time(const std::string&);

}  // namespace entmc::aws
