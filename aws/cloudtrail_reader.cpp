// The CloudTrail reader (cloudtrail_reader.h). A SAX parser (nlohmann's
// sax_parse) walks the file once; the handler keeps only what the auditor
// reads: a record's top-level strings (eventID, eventTime, ...), two fields
// of its userIdentity, and requestParameters / responseElements as small
// DOMs (only for the events whose parameters are wanted). Everything else is
// tokenized and dropped without being built: a full DOM per record cost
// about 30 us a record (bench/audit_bench.cpp).
#include "aws/cloudtrail_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "aws/json_input.h"

namespace entmc::aws {
namespace {

using nlohmann::json;

// The fields of one record, at `base` depth (the depth of the record
// object's own members: 3 in a trail file, 1 in a lookup-events
// CloudTrailEvent string).
class RecordReader {
 public:
  RecordReader(int base, const ParameterFilter& wanted) : base_(base), wanted_(wanted) {}

  void begin(const std::string& file, uint64_t ordinal) {
    e_ = TrailEvent{};
    e_.file = file;
    e_.ordinal = ordinal;
    key_ = Key::Other;
    building_ = nullptr;
  }
  TrailEvent take() {
    e_.seconds = parse_event_time(e_.event_time);
    if (e_.account.empty()) e_.account = std::move(recipient_);
    recipient_.clear();
    return std::move(e_);
  }

  // `depth`: the depth of the members of the container being read.
  void key(int depth, const std::string& k) {
    if (building_) {
      pending_key_ = k;
      return;
    }
    if (depth == base_) key_ = classify(k);
    else if (depth == base_ + 1 && in_identity_) ident_key_ = k == "accountId" ? 1 : k == "type" ? 2 : 0;
  }
  void string(int depth, std::string& v) {
    if (building_) {
      put(json(std::move(v)));
      return;
    }
    if (depth == base_) {
      switch (key_) {
        case Key::EventId: e_.event_id = std::move(v); break;
        case Key::EventTime: e_.event_time = std::move(v); break;
        case Key::EventSource: e_.event_source = std::move(v); break;
        case Key::EventName: e_.event_name = std::move(v); break;
        case Key::Region: e_.region = std::move(v); break;
        case Key::ErrorCode: e_.error_code = std::move(v); break;
        case Key::ErrorMessage: e_.error_message = std::move(v); break;
        case Key::Recipient: recipient_ = std::move(v); break;
        default: break;
      }
    } else if (depth == base_ + 1 && in_identity_) {
      if (ident_key_ == 1) e_.account = std::move(v);
      else if (ident_key_ == 2) e_.identity_type = std::move(v);
    }
  }
  void scalar(json&& v) {  // numbers, booleans, null
    if (building_) put(std::move(v));
  }
  // A container starts; `depth` is the depth of its members.
  void start(int depth, bool object) {
    if (building_) {
      json* made = put(object ? json::object() : json::array());
      stack_.push_back(made);
      building_ = made;
      return;
    }
    if (depth != base_ + 1) return;
    if (key_ == Key::Identity && object) {
      in_identity_ = true;
    } else if ((key_ == Key::Request || key_ == Key::Response) && wants_parameters()) {
      json& target = key_ == Key::Request ? e_.request : e_.response;
      target = object ? json::object() : json::array();
      stack_.assign(1, &target);
      building_ = &target;
    }
  }
  void end(int depth) {  // `depth`: the depth of the members of the container that ends
    if (building_) {
      stack_.pop_back();
      building_ = stack_.empty() ? nullptr : stack_.back();
      return;
    }
    if (depth == base_ + 1) in_identity_ = false;
  }

 private:
  enum class Key : uint8_t {
    Other, EventId, EventTime, EventSource, EventName, Region, ErrorCode, ErrorMessage, Recipient, Identity, Request,
    Response
  };
  // By length first: a record has some twenty keys, most of them not read.
  static Key classify(const std::string& k) {
    auto is = [&](std::string_view w) { return k.compare(w) == 0; };
    switch (k.size()) {
      case 7: return is("eventID") ? Key::EventId : Key::Other;
      case 9:
        return is("eventTime") ? Key::EventTime : is("eventName") ? Key::EventName : is("awsRegion") ? Key::Region
               : is("errorCode") ? Key::ErrorCode : Key::Other;
      case 11: return is("eventSource") ? Key::EventSource : Key::Other;
      case 12: return is("errorMessage") ? Key::ErrorMessage : is("userIdentity") ? Key::Identity : Key::Other;
      case 16: return is("responseElements") ? Key::Response : Key::Other;
      case 17: return is("requestParameters") ? Key::Request : Key::Other;
      case 18: return is("recipientAccountId") ? Key::Recipient : Key::Other;
      default: return Key::Other;
    }
  }
  // Real records name the source and operation before the parameters; when
  // they do not (yet), the parameters are kept.
  bool wants_parameters() const {
    if (!wanted_ || e_.event_source.empty() || e_.event_name.empty()) return true;
    return wanted_(e_.event_source, e_.event_name);
  }
  json* put(json&& v) {
    json& c = *building_;
    if (c.is_object()) {
      json& slot = c[pending_key_];
      slot = std::move(v);
      return &slot;
    }
    c.push_back(std::move(v));
    return &c.back();
  }

  const int base_;
  const ParameterFilter& wanted_;
  TrailEvent e_;
  std::string recipient_;
  Key key_ = Key::Other;
  bool in_identity_ = false;
  int ident_key_ = 0;
  json* building_ = nullptr;  // the container being built (requestParameters / responseElements)
  std::vector<json*> stack_;
  std::string pending_key_;
};

// The file: {"Records": [record, ...]} or {"Events": [{..., "CloudTrailEvent": "<record>"}], ...}.
class TrailSax {
 public:
  TrailSax(const std::string& name, const EventSink& sink, const ParameterFilter& wanted)
      : name_(name), sink_(sink), wanted_(wanted), record_(3, wanted) {}

  bool null() { return scalar(json()); }
  bool boolean(bool b) { return scalar(json(b)); }
  bool number_integer(json::number_integer_t v) { return scalar(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(json(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return scalar(json(v)); }
  bool binary(json::binary_t&) { return true; }
  bool string(std::string& v) {
    if (in_list() && depth_ == 2) {  // a record that is not an object
      empty_record();
      return true;
    }
    if (in_record()) {
      if (top_ == Top::Records) record_.string(depth_, v);
      else if (depth_ == 3 && key_is_event_) lookup_event_ = std::move(v);
    }
    return true;
  }
  bool key(std::string& k) {
    if (depth_ == 1) {
      top_ = k == "Records" ? Top::Records : k == "Events" ? Top::Events : Top::Other;
    } else if (in_record()) {
      if (top_ == Top::Records) record_.key(depth_, k);
      else if (depth_ == 3) key_is_event_ = k == "CloudTrailEvent";
    }
    return true;
  }
  bool start_object(std::size_t) { return start(true); }
  bool start_array(std::size_t) { return start(false); }
  bool end_object() { return end(); }
  bool end_array() { return end(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    error_position_ = position;
    error_ = ex.what();
    return false;
  }

  bool saw_list() const { return saw_list_; }
  uint64_t delivered() const { return delivered_; }  // records read whole
  std::vector<TrailEvent>& lookup() { return lookup_; }
  const std::string& error() const { return error_; }
  size_t error_position() const { return error_position_; }

 private:
  enum class Top : uint8_t { Other, Records, Events };
  bool in_list() const { return top_ != Top::Other && list_open_; }
  bool in_record() const { return in_list() && depth_ >= 3 && !skipping_; }

  bool scalar(json&& v) {
    if (in_list() && depth_ == 2) empty_record();
    else if (in_record() && top_ == Top::Records) record_.scalar(std::move(v));
    return true;
  }
  bool start(bool object) {
    ++depth_;
    if (depth_ == 2 && top_ != Top::Other && !object) {
      list_open_ = saw_list_ = true;
    } else if (depth_ == 3 && in_list()) {
      ++ordinal_;
      if (!object) {  // a record that is an array: no fields (the auditor says so)
        skipping_ = true;
      } else if (top_ == Top::Records) {
        record_.begin(name_, ordinal_);
      } else {
        lookup_event_.clear();
        key_is_event_ = false;
      }
    } else if (in_record() && top_ == Top::Records) {
      record_.start(depth_, object);
    }
    return true;
  }
  bool end() {
    if (depth_ == 3 && in_list()) {
      if (skipping_) {
        skipping_ = false;
        TrailEvent e;
        e.file = name_;
        e.ordinal = ordinal_;
        deliver(std::move(e));
      } else if (top_ == Top::Records) {
        deliver(record_.take());
      } else {
        lookup_.push_back(from_lookup());
      }
    } else if (depth_ == 2 && list_open_) {
      list_open_ = false;
    } else if (in_record() && top_ == Top::Records) {
      record_.end(depth_);
    }
    --depth_;
    return true;
  }
  void empty_record() {
    ++ordinal_;
    TrailEvent e;
    e.file = name_;
    e.ordinal = ordinal_;
    deliver(std::move(e));
  }
  void deliver(TrailEvent&& e) {
    ++delivered_;
    if (top_ == Top::Records) sink_(std::move(e));
    else lookup_.push_back(std::move(e));
  }
  // A lookup-events entry: its CloudTrailEvent string is the record.
  TrailEvent from_lookup();

  const std::string& name_;
  const EventSink& sink_;
  const ParameterFilter& wanted_;
  RecordReader record_;
  int depth_ = 0;
  Top top_ = Top::Other;
  bool list_open_ = false, saw_list_ = false, skipping_ = false, key_is_event_ = false;
  uint64_t ordinal_ = 0, delivered_ = 0;
  std::string lookup_event_;
  std::vector<TrailEvent> lookup_;
  std::string error_;
  size_t error_position_ = 0;
};

// One record alone (a lookup-events CloudTrailEvent): its members at depth 1.
class OneRecordSax {
 public:
  explicit OneRecordSax(RecordReader& r) : r_(r) {}
  bool null() { return scalar(json()); }
  bool boolean(bool b) { return scalar(json(b)); }
  bool number_integer(json::number_integer_t v) { return scalar(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(json(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return scalar(json(v)); }
  bool binary(json::binary_t&) { return true; }
  bool string(std::string& v) {
    if (depth_ >= 1) r_.string(depth_, v);
    return true;
  }
  bool key(std::string& k) {
    r_.key(depth_, k);
    return true;
  }
  bool start_object(std::size_t) { return start(true); }
  bool start_array(std::size_t) { return start(false); }
  bool end_object() { return end(); }
  bool end_array() { return end(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    error_ = ex.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool scalar(json&& v) {
    if (depth_ >= 1) r_.scalar(std::move(v));
    return true;
  }
  bool start(bool object) {
    ++depth_;
    if (depth_ >= 2) r_.start(depth_, object);
    return true;
  }
  bool end() {
    if (depth_ >= 2) r_.end(depth_);
    --depth_;
    return true;
  }
  RecordReader& r_;
  int depth_ = 0;
  std::string error_;
};

TrailEvent TrailSax::from_lookup() {
  RecordReader r(1, wanted_);
  r.begin(name_, ordinal_);
  if (!lookup_event_.empty()) {
    OneRecordSax one(r);
    if (!json::sax_parse(lookup_event_, &one)) {
      std::string msg = one.error();
      if (msg.rfind("[json.exception.", 0) == 0)
        if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
      throw InputError(name_, 1, 1, fmt::format("event {}: its CloudTrailEvent is not JSON ({})", ordinal_, msg));
    }
  }
  return r.take();
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
  // Fixed positions, read by hand: sscanf cost 3,000 instructions a record.
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || t[13] != ':' ||
      t[16] != ':')
    return -1;
  auto num = [&](size_t at, size_t len, int& out) {
    out = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, s))
    return -1;
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

void read_trail_stream(std::istream& in, const std::string& name, const EventSink& sink,
                       const ParameterFilter& wanted) {
  TrailSax sax(name, sink, wanted);
  if (!json::sax_parse(in, &sax)) {
    const size_t pos = sax.error_position();
    auto [line, col] = position_in(name, &in, pos == 0 ? 0 : pos - 1);
    std::string msg = sax.error();
    if (msg.rfind("[json.exception.", 0) == 0)
      if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
    throw InputError(name, line, col,
                     fmt::format("malformed or truncated CloudTrail file after {} records ({})", sax.delivered(), msg));
  }
  if (!sax.saw_list())
    throw InputError(name, 1, 1, "neither a trail file ({\"Records\": [...]}) nor lookup-events output ({\"Events\": [...]})");
  std::vector<TrailEvent>& lookup = sax.lookup();
  std::stable_sort(lookup.begin(), lookup.end(), [](const TrailEvent& a, const TrailEvent& b) {
    return a.seconds != b.seconds ? a.seconds < b.seconds : a.event_id < b.event_id;
  });
  for (TrailEvent& e : lookup) sink(std::move(e));
}

void read_trail_file(const std::string& path, const EventSink& sink, const ParameterFilter& wanted) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 1, 1, "cannot open the file");
  read_trail_stream(in, path, sink, wanted);
}

}  // namespace entmc::aws
