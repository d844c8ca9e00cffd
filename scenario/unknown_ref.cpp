#include "scenario/unknown_ref.h"

#include <fmt/format.h>

#include <charconv>

namespace entmc::scn {

std::optional<uint32_t> unknown_index(std::string_view s, std::string_view prefix) {
  if (s.size() <= prefix.size() + 1 || s.substr(0, prefix.size()) != prefix || s[prefix.size()] != '#')
    return std::nullopt;
  const std::string_view digits = s.substr(prefix.size() + 1);
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

uint64_t parse_id_seed(const yaml::Reader& reader, const YAML::Node& n) {
  const std::string s = reader.scalar(n, "id_seed");
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    reader.fail(n, fmt::format("id_seed: '{}' is not a decimal number below 2^64", s));
  return v;
}

}  // namespace entmc::scn
