// Located JSON reading (json_input.h). nlohmann's parser reports a byte offset
// on syntax errors but no positions for values, so the positions of objects
// and arrays come from one scan of the text: the n-th '{' or '[' outside a
// string is the n-th container of a pre-order walk of the ordered document.
#include "aws/json_input.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace entmc::aws {

InputError::InputError(const std::string& file, int line, int column, const std::string& message)
    : std::runtime_error(fmt::format("{}:{}:{}: error: {}", file, line, column, message)) {}

std::pair<int, int> line_col(std::string_view text, size_t offset) {
  int line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  return {line, col};
}

namespace {

std::vector<std::pair<int, int>> container_positions(std::string_view text) {
  std::vector<std::pair<int, int>> out;
  int line = 1, col = 1;
  bool in_string = false, escape = false;
  for (char c : text) {
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      out.emplace_back(line, col);
    }
    if (c == '\n') ++line, col = 1;
    else ++col;
  }
  return out;
}

void number(const Json& j, const std::vector<std::pair<int, int>>& pos, size_t& next,
            std::unordered_map<const Json*, std::pair<int, int>>& marks) {
  if (!j.is_structured()) return;
  marks[&j] = next < pos.size() ? pos[next] : std::pair<int, int>{1, 1};
  ++next;
  if (j.is_object())
    for (const auto& [k, v] : j.items()) number(v, pos, next, marks);
  else
    for (const auto& v : j) number(v, pos, next, marks);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace

void JsonDoc::fail(const Json& at, const std::string& message) const {
  auto it = marks.find(&at);
  auto [line, col] = it == marks.end() ? std::pair<int, int>{1, 1} : it->second;
  throw InputError(file, line, col, message);
}

const Json* JsonDoc::member(const Json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  for (const auto& [k, v] : obj.items())
    if (iequal(k, name)) return v.is_null() ? nullptr : &v;
  return nullptr;
}

std::string JsonDoc::str(const Json& obj, std::string_view name) const {
  const Json* v = member(obj, name);
  if (!v) fail(obj, fmt::format("missing {}", name));
  if (!v->is_string()) fail(obj, fmt::format("{} is not a string", name));
  return v->get<std::string>();
}

std::string JsonDoc::opt_str(const Json& obj, std::string_view name) const {
  const Json* v = member(obj, name);
  if (!v) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean() || v->is_number()) return v->dump();
  fail(obj, fmt::format("{} is not a string", name));
}

const Json& JsonDoc::list(const Json& obj, std::string_view name) const {
  const Json* v = member(obj, name);
  if (!v) fail(obj, fmt::format("missing {} (is this the output of the right command?)", name));
  if (!v->is_array()) fail(obj, fmt::format("{} is not a list", name));
  return *v;
}

JsonDoc parse_json_text(const std::string& text, const std::string& file) {
  JsonDoc d;
  d.file = file;
  try {
    d.root = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = line_col(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string msg = e.what();
    if (auto p = msg.find("]: "); p != std::string::npos) msg = msg.substr(p + 3);  // drop nlohmann's id prefix
    throw InputError(file, line, col, "malformed JSON (" + msg + ")");
  }
  size_t next = 0;
  number(d.root, container_positions(text), next, d.marks);
  if (!d.root.is_object()) d.fail(d.root, "expected a JSON object (the AWS CLI's --output json)");
  return d;
}

JsonDoc load_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 1, 1, "cannot open the file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_json_text(buf.str(), path);
}

}  // namespace entmc::aws
