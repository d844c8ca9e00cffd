// The CloudTrail reader (cloudtrail_reader.h). A small validating JSON
// scanner walks the file once, over a buffer, and keeps only what the
// auditor reads: a record's top-level strings (eventID, eventTime, ...), two
// fields of its userIdentity, and requestParameters / responseElements as
// small nlohmann DOMs (only for the events whose parameters are wanted).
// Everything else is checked and skipped without being built.
//
// Why not nlohmann's parser for the whole record: a DOM per record cost
// about 12 us a record, and even its SAX interface about 8 us, 70% of it the
// lexer copying every character into its token buffers
// (bench/audit_bench.cpp, docs/real-accounts.md). The scanner accepts
// exactly JSON (RFC 8259: strings with their escapes, numbers, literals,
// nesting); anything else is a located error.
#include "aws/cloudtrail_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "aws/json_input.h"

namespace entmc::aws {
namespace {

using nlohmann::json;

struct ScanError {
  uint64_t offset;  // the byte the error is at (the end of the input for a truncated one)
  std::string what;
};

class Scanner {
 public:
  explicit Scanner(std::istream& in) : in_(in), buf_(1 << 16) {}

  int peek() {
    if (pos_ == end_ && !refill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }
  uint64_t offset() const { return consumed_ + pos_; }
  [[noreturn]] void fail(const std::string& what) { throw ScanError{offset(), what}; }
  [[noreturn]] void unexpected(const char* wanted) {
    const int c = peek();
    if (c < 0) fail(fmt::format("unexpected end of input; expected {}", wanted));
    fail(c >= 0x20 && c < 0x7F ? fmt::format("unexpected '{}'; expected {}", char(c), wanted)
                               : fmt::format("unexpected byte 0x{:02x}; expected {}", c, wanted));
  }
  void ws() {
    for (;;) {
      if (pos_ == end_ && !refill()) return;
      const char c = buf_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }
  void expect(char c, const char* wanted) {
    ws();
    if (peek() != static_cast<unsigned char>(c)) unexpected(wanted);
    ++pos_;
  }
  // After a member or an element: true for ',', false for the closing `close`.
  bool more(char close) {
    ws();
    const int c = peek();
    if (c != ',' && c != static_cast<unsigned char>(close)) unexpected(close == '}' ? "',' or '}'" : "',' or ']'");
    ++pos_;
    return c == ',';
  }
  // At '{' or '[' (whitespace skipped): consumes it; true when the container
  // is empty (its close consumed too).
  bool open(char close) {
    ++pos_;
    ws();
    if (peek() != static_cast<unsigned char>(close)) return false;
    ++pos_;
    return true;
  }

  // A string, decoded into `out` (null: checked and skipped).
  void string(std::string* out) {
    ws();
    if (peek() != '"') unexpected("a string");
    ++pos_;
    if (out) out->clear();
    for (;;) {
      if (pos_ == end_ && !refill()) fail("unexpected end of input in a string");
      // The plain ASCII run up to a quote, a backslash, a control character
      // or a byte of a multi-byte UTF-8 sequence.
      size_t run = pos_;
      while (run < end_) {
        const unsigned char c = static_cast<unsigned char>(buf_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      if (out) out->append(&buf_[pos_], run - pos_);
      pos_ = run;
      if (pos_ == end_) continue;
      const unsigned char c = static_cast<unsigned char>(buf_[pos_]);
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c < 0x20) fail("a control character in a string (it must be escaped)");
      if (c >= 0x80) {
        utf8_sequence(out);
        continue;
      }
      ++pos_;  // the backslash
      escape(out);
    }
  }

  // Any value, checked and skipped.
  void skip() {
    ws();
    const int c = peek();
    if (c == '"') return string(nullptr);
    if (c == '{') {
      if (open('}')) return;
      do {
        string(nullptr);
        expect(':', "':'");
        skip();
      } while (more('}'));
      return;
    }
    if (c == '[') {
      if (open(']')) return;
      do skip();
      while (more(']'));
      return;
    }
    scalar(nullptr);
  }

  // Any value, built.
  json value() {
    ws();
    const int c = peek();
    if (c == '"') {
      std::string s;
      string(&s);
      return json(std::move(s));
    }
    if (c == '{') {
      json obj = json::object();
      if (open('}')) return obj;
      std::string key;
      do {
        string(&key);
        expect(':', "':'");
        obj[key] = value();
      } while (more('}'));
      return obj;
    }
    if (c == '[') {
      json arr = json::array();
      if (open(']')) return arr;
      do arr.push_back(value());
      while (more(']'));
      return arr;
    }
    json v;
    scalar(&v);
    return v;
  }

 private:
  bool refill() {
    if (pos_ < end_) return true;
    consumed_ += end_;
    pos_ = end_ = 0;
    if (!in_) return false;
    in_.read(buf_.data(), std::streamsize(buf_.size()));
    end_ = size_t(in_.gcount());
    return end_ > 0;
  }
  int next() {
    const int c = peek();
    if (c >= 0) ++pos_;
    return c;
  }

  // One multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no
  // surrogates, nothing above U+10FFFF), as JSON text must be (RFC 8259 8.1);
  // the fuzz target holds the scanner to nlohmann's verdict on this.
  void utf8_sequence(std::string* out) {
    const unsigned char lead = static_cast<unsigned char>(buf_[pos_]);
    int extra = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) extra = 1;
    else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      fail(fmt::format("an invalid UTF-8 byte 0x{:02x} in a string", lead));
    }
    ++pos_;
    char bytes[4] = {char(lead), 0, 0, 0};
    for (int i = 1; i <= extra; ++i) {
      const int c = peek();
      if (c < 0) fail("unexpected end of input in a string");
      if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xBF))
        fail(fmt::format("an invalid UTF-8 sequence in a string (byte 0x{:02x})", c));
      bytes[i] = char(c);
      ++pos_;
    }
    if (out) out->append(bytes, size_t(extra) + 1);
  }

  void escape(std::string* out) {
    const int c = next();
    char plain = 0;
    switch (c) {
      case '"': plain = '"'; break;
      case '\\': plain = '\\'; break;
      case '/': plain = '/'; break;
      case 'b': plain = '\b'; break;
      case 'f': plain = '\f'; break;
      case 'n': plain = '\n'; break;
      case 'r': plain = '\r'; break;
      case 't': plain = '\t'; break;
      case 'u': {
        uint32_t cp = hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
          if (next() != '\\' || next() != 'u') fail("a lone high surrogate in a \\u escape");
          const uint32_t low = hex4();
          if (low < 0xDC00 || low > 0xDFFF) fail("a high surrogate not followed by a low one");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          fail("a lone low surrogate in a \\u escape");
        }
        if (out) utf8(cp, *out);
        return;
      }
      default:
        if (c >= 0) --pos_;  // point at the bad character
        fail(c < 0 ? "unexpected end of input in an escape" : "an invalid escape in a string");
    }
    if (out) out->push_back(plain);
  }
  uint32_t hex4() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int c = next();
      v <<= 4;
      if (c >= '0' && c <= '9') v |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') v |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= uint32_t(c - 'A' + 10);
      else fail("a \\u escape needs four hex digits");
    }
    return v;
  }
  static void utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out.push_back(char(cp));
    } else if (cp < 0x800) {
      out.push_back(char(0xC0 | (cp >> 6)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(char(0xE0 | (cp >> 12)));
      out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(char(0xF0 | (cp >> 18)));
      out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    }
  }

  // A literal or a number (RFC 8259 grammar), built into `out` when given.
  void scalar(json* out) {
    const int c = peek();
    if (c == 't' || c == 'f' || c == 'n') {
      const char* word = c == 't' ? "true" : c == 'f' ? "false" : "null";
      for (const char* w = word; *w; ++w) {
        if (peek() != static_cast<unsigned char>(*w)) unexpected("a literal (true, false, null)");
        ++pos_;
      }
      if (out) *out = c == 'n' ? json() : json(c == 't');
      return;
    }
    if (c != '-' && (c < '0' || c > '9')) unexpected("a value");
    std::string text;
    auto digit = [&] {
      const int d = peek();
      return d >= '0' && d <= '9';
    };
    auto take = [&] { text.push_back(char(next())); };
    bool integral = true;
    if (peek() == '-') take();
    if (!digit()) unexpected("a digit");
    if (peek() == '0') take();
    else
      while (digit()) take();
    if (peek() == '.') {
      integral = false;
      take();
      if (!digit()) unexpected("a digit");
      while (digit()) take();
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      take();
      if (peek() == '+' || peek() == '-') take();
      if (!digit()) unexpected("a digit");
      while (digit()) take();
    }
    if (!out) return;
    errno = 0;
    if (integral && text[0] == '-') {
      const long long v = std::strtoll(text.c_str(), nullptr, 10);
      if (errno == 0) return void(*out = json(int64_t(v)));
    } else if (integral) {
      const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
      if (errno == 0) return void(*out = json(uint64_t(v)));
    }
    *out = json(std::strtod(text.c_str(), nullptr));
  }

  std::istream& in_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  uint64_t consumed_ = 0;
};

// The members of a record the auditor reads.
enum class Key : uint8_t {
  Other, EventId, EventTime, EventSource, EventName, Region, ErrorCode, ErrorMessage, Recipient, Identity, Request,
  Response
};
// By length first: a record has some twenty keys, most of them not read.
Key classify(const std::string& k) {
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

class Reader {
 public:
  Reader(const std::string& name, const EventSink& sink, const ParameterFilter& wanted)
      : name_(name), sink_(sink), wanted_(wanted) {}

  // The whole file: {"Records": [...]} or {"Events": [...], "NextToken": ...}.
  void file(Scanner& s) {
    s.ws();
    if (s.peek() != '{') s.unexpected("'{' (a CloudTrail file is an object)");
    if (!s.open('}')) {
      std::string key;
      do {
        s.string(&key);
        s.expect(':', "':'");
        s.ws();
        const bool records = key == "Records", events = key == "Events";
        if ((records || events) && s.peek() == '[') {
          saw_list_ = true;
          if (!s.open(']')) do element(s, records);
            while (s.more(']'));
        } else {
          s.skip();
        }
      } while (s.more('}'));
    }
    s.ws();
    if (s.peek() >= 0) s.unexpected("the end of the file after the top-level object");
  }

  bool saw_list() const { return saw_list_; }
  uint64_t delivered() const { return delivered_; }
  std::vector<TrailEvent>& lookup() { return lookup_; }

  // One record, its members in `s` (also a lookup-events CloudTrailEvent).
  TrailEvent record(Scanner& s, uint64_t ordinal) {
    TrailEvent e;
    e.file = name_;
    e.ordinal = ordinal;
    s.ws();
    if (s.peek() != '{') {  // a record that is not an object: no fields (the auditor says so)
      s.skip();
      return e;
    }
    std::string recipient;
    if (!s.open('}')) {
      do {
        s.string(&key_);
        s.expect(':', "':'");
        s.ws();
        const Key k = classify(key_);
        std::string* field = nullptr;
        switch (k) {
          case Key::EventId: field = &e.event_id; break;
          case Key::EventTime: field = &e.event_time; break;
          case Key::EventSource: field = &e.event_source; break;
          case Key::EventName: field = &e.event_name; break;
          case Key::Region: field = &e.region; break;
          case Key::ErrorCode: field = &e.error_code; break;
          case Key::ErrorMessage: field = &e.error_message; break;
          case Key::Recipient: field = &recipient; break;
          default: break;
        }
        if (field) {
          if (s.peek() == '"') s.string(field);
          else s.skip();  // not a string: read as absent
        } else if (k == Key::Identity && s.peek() == '{') {
          identity(s, e);
        } else if ((k == Key::Request || k == Key::Response) && wants(e)) {
          json v = s.value();
          if (!v.is_null()) (k == Key::Request ? e.request : e.response) = std::move(v);
        } else {
          s.skip();
        }
      } while (s.more('}'));
    }
    e.seconds = parse_event_time(e.event_time);
    if (e.account.empty()) e.account = std::move(recipient);
    return e;
  }

 private:
  void element(Scanner& s, bool records) {
    ++ordinal_;
    if (records) {
      TrailEvent e = record(s, ordinal_);
      ++delivered_;
      sink_(std::move(e));
      return;
    }
    // lookup-events: {"EventId": ..., "CloudTrailEvent": "<the record>"}.
    s.ws();
    std::string event;
    if (s.peek() == '{') {
      if (!s.open('}')) do {
          s.string(&key_);
          s.expect(':', "':'");
          s.ws();
          if (key_ == "CloudTrailEvent" && s.peek() == '"') s.string(&event);
          else s.skip();
        } while (s.more('}'));
    } else {
      s.skip();
    }
    TrailEvent e;
    if (event.empty()) {
      e.file = name_;
      e.ordinal = ordinal_;
    } else {
      std::istringstream in(event);
      Scanner inner(in);
      try {
        e = record(inner, ordinal_);
        inner.ws();
        if (inner.peek() >= 0) inner.unexpected("the end of the record");
      } catch (const ScanError& err) {
        throw InputError(name_, 1, 1,
                         fmt::format("event {}: its CloudTrailEvent is not JSON (at byte {}: {})", ordinal_,
                                     err.offset + 1, err.what));
      }
    }
    ++delivered_;
    lookup_.push_back(std::move(e));
  }

  void identity(Scanner& s, TrailEvent& e) {
    if (s.open('}')) return;
    do {
      s.string(&key_);
      s.expect(':', "':'");
      s.ws();
      std::string* field = key_ == "accountId" ? &e.account : key_ == "type" ? &e.identity_type : nullptr;
      if (field && s.peek() == '"') s.string(field);
      else s.skip();
    } while (s.more('}'));
  }

  // Real records name the source and operation before the parameters; when
  // they do not (yet), the parameters are kept.
  bool wants(const TrailEvent& e) const {
    if (!wanted_ || e.event_source.empty() || e.event_name.empty()) return true;
    return wanted_(e.event_source, e.event_name);
  }

  const std::string& name_;
  const EventSink& sink_;
  const ParameterFilter& wanted_;
  bool saw_list_ = false;
  uint64_t ordinal_ = 0, delivered_ = 0;
  std::string key_;
  std::vector<TrailEvent> lookup_;
};

// The line and column of byte `offset` of the file, read again on error only.
std::pair<int, int> position_in(const std::string& path, std::istream* in, uint64_t offset) {
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
  for (uint64_t i = 0; i < offset && s->get(c); ++i) {
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
  Reader reader(name, sink, wanted);
  Scanner scanner(in);
  try {
    reader.file(scanner);
  } catch (const ScanError& e) {
    auto [line, col] = position_in(name, &in, e.offset);
    throw InputError(name, line, col,
                     fmt::format("malformed or truncated CloudTrail file after {} records ({})", reader.delivered(),
                                 e.what));
  }
  if (!reader.saw_list())
    throw InputError(name, 1, 1, "neither a trail file ({\"Records\": [...]}) nor lookup-events output ({\"Events\": [...]})");
  std::vector<TrailEvent>& lookup = reader.lookup();
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
