#include "scenario/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace entmc::yaml {
namespace {

std::string_view kind_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    default: return "nothing";
  }
}

std::string joined(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

void Reader::fail(const YAML::Node& at, const std::string& message) const { fail(mark_of(at), message); }
// A node without a position (the null root of a document with nothing in it)
// is reported at the start of the file, 1:1, never 0:0.
void Reader::fail(SourceMark at, const std::string& message) const {
  if (at.line <= 0) at = SourceMark{1, 1};
  throw ScenarioError(file_, at, message);
}

Reader::Entries Reader::map(const YAML::Node& n, std::string_view what,
                            std::span<const std::string_view> allowed) const {
  if (!n.IsMap()) fail(n, fmt::format("{} must be a map, not {}", what, kind_name(n)));
  Entries out;
  for (auto it = n.begin(); it != n.end(); ++it) {
    // By value: it-> returns a temporary proxy, a reference into it would dangle.
    const YAML::Node k = it->first;
    if (!k.IsScalar()) fail(k, fmt::format("{}: keys must be plain names", what));
    const std::string& name = k.Scalar();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      fail(k, fmt::format("unknown key '{}' in {} (expected one of: {})", name, what, joined(allowed)));
    for (const auto& [seen, v] : out)
      if (seen.Scalar() == name) fail(k, fmt::format("duplicate key '{}' in {}", name, what));
    out.emplace_back(k, YAML::Node(it->second));
  }
  return out;
}

std::vector<YAML::Node> Reader::list(const YAML::Node& n, std::string_view what) const {
  if (!n.IsDefined() || n.IsNull()) return {};
  if (!n.IsSequence()) fail(n, fmt::format("{} must be a list, not {}", what, kind_name(n)));
  std::vector<YAML::Node> out;
  for (const auto& item : n) out.push_back(item);
  return out;
}

std::string Reader::scalar(const YAML::Node& n, std::string_view what) const {
  if (!n.IsScalar()) fail(n, fmt::format("{} must be a single value, not {}", what, kind_name(n)));
  return n.Scalar();
}

std::string Reader::string(const YAML::Node& n, std::string_view what) const { return scalar(n, what); }

bool Reader::boolean(const YAML::Node& n, std::string_view what) const {
  std::string s = scalar(n, what);
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  fail(n, fmt::format("{} must be true or false, not '{}'", what, s));
}

uint32_t Reader::count(const YAML::Node& n, std::string_view what, uint32_t min, uint32_t max) const {
  std::string s = scalar(n, what);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || v < min || v > max)
    fail(n, fmt::format("{} must be a whole number from {} to {}, not '{}'", what, min, max, s));
  return uint32_t(v);
}

}  // namespace entmc::yaml
