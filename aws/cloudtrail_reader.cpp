// The CloudTrail reader (cloudtrail_reader.h). nlohmann's callback parser
// hands over each element of the top-level array once it is complete; the
// callback turns it into a TrailEvent and returns false, which tells the
// parser to discard it instead of keeping it in the document.
#include "aws/cloudtrail_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "aws/json_input.h"

namespace entmc::aws {
namespace {

using nlohmann::json;

std::string text_of(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

TrailEvent from_record(json&& rec, const std::string& file, uint64_t ordinal) {
  TrailEvent e;
  e.file = file;
  e.ordinal = ordinal;
  if (!rec.is_object()) return e;  // an event without fields: the auditor says so
  e.event_id = text_of(rec, "eventID");
  e.event_time = text_of(rec, "eventTime");
  e.seconds = parse_event_time(e.event_time);
  e.event_source = text_of(rec, "eventSource");
  e.event_name = text_of(rec, "eventName");
  e.region = text_of(rec, "awsRegion");
  e.error_code = text_of(rec, "errorCode");
  e.error_message = text_of(rec, "errorMessage");
  if (auto id = rec.find("userIdentity"); id != rec.end() && id->is_object()) {
    e.account = text_of(*id, "accountId");
    e.identity_type = text_of(*id, "type");
  }
  if (e.account.empty()) e.account = text_of(rec, "recipientAccountId");
  if (auto it = rec.find("requestParameters"); it != rec.end()) e.request = std::move(*it);
  if (auto it = rec.find("responseElements"); it != rec.end()) e.response = std::move(*it);
  return e;
}

// The line and column of byte `offset` of the file, read again on error only.
std::pair<int, int> position_in(const std::string& path, std::istream* in, size_t offset) {
  int line = 1, col = 1;
  std::ifstream f(path, std::ios::binary);
  std::istream* s = f ? static_cast<std::istream*>(&f) : nullptr;
  if (!s && in) {
    in->clear();
    in->seekg(0);
    s = in;
  }
  if (!s) return {1, 1};
  char c;
  for (size_t i = 0; i < offset && s->get(c); ++i) {
    if (c == '\n') ++line, col = 1;
    else ++col;
  }
  return {line, col};
}

}  // namespace

int64_t parse_event_time(const std::string& t) {
  int y, mo, d, h, mi, s;
  if (t.size() < 19 || std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return -1;
  // Days from civil (H. Hinnant's algorithm).
  y -= mo <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

void read_trail_stream(std::istream& in, const std::string& name, const EventSink& sink) {
  std::string top_key;  // the top-level member being read: Records or Events
  uint64_t ordinal = 0;
  std::vector<TrailEvent> lookup;  // lookup-events: sorted before handing on
  bool saw_list = false;
  auto cb = [&](int depth, json::parse_event_t ev, json& parsed) -> bool {
    if (depth == 1 && ev == json::parse_event_t::key) {
      top_key = parsed.get<std::string>();
      return true;
    }
    if (depth == 1 && ev == json::parse_event_t::array_start && (top_key == "Records" || top_key == "Events"))
      saw_list = true;
    if (depth != 2 || (top_key != "Records" && top_key != "Events")) return true;
    if (ev != json::parse_event_t::object_end && ev != json::parse_event_t::value) return true;
    ++ordinal;
    if (top_key == "Records") {
      sink(from_record(std::move(parsed), name, ordinal));
    } else {
      json rec;
      auto it = parsed.is_object() ? parsed.find("CloudTrailEvent") : parsed.end();
      if (it != parsed.end() && it->is_string()) {
        try {
          rec = json::parse(it->get<std::string>());
        } catch (const json::parse_error& e) {
          throw InputError(name, 1, 1, fmt::format("event {}: its CloudTrailEvent is not JSON ({})", ordinal, e.what()));
        }
      }
      lookup.push_back(from_record(std::move(rec), name, ordinal));
    }
    return false;  // discard: the document keeps no record
  };
  try {
    json rest = json::parse(in, cb);  // the top level, without the records (each was discarded)
    (void)rest;
  } catch (const json::parse_error& e) {
    auto [line, col] = position_in(name, &in, e.byte == 0 ? 0 : e.byte - 1);
    std::string msg = e.what();
    if (auto p = msg.find("]: "); p != std::string::npos) msg = msg.substr(p + 3);
    throw InputError(name, line, col,
                     fmt::format("malformed or truncated CloudTrail file after {} records ({})", ordinal, msg));
  }
  if (!saw_list)
    throw InputError(name, 1, 1, "neither a trail file ({\"Records\": [...]}) nor lookup-events output ({\"Events\": [...]})");
  std::stable_sort(lookup.begin(), lookup.end(), [](const TrailEvent& a, const TrailEvent& b) {
    return a.seconds != b.seconds ? a.seconds < b.seconds : a.event_id < b.event_id;
  });
  for (TrailEvent& e : lookup) sink(std::move(e));
}

void read_trail_file(const std::string& path, const EventSink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 1, 1, "cannot open the file");
  read_trail_stream(in, path, sink);
}

}  // namespace entmc::aws
