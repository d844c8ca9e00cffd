// Reading the AWS CLI's JSON outputs with located errors: every failure is an
// InputError whose what() reads "FILE:LINE:COL: error: message", at the JSON
// object the message is about (the CLI pretty-prints one member per line, so
// that is the record's own line).
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace entmc::aws {

using Json = nlohmann::ordered_json;  // document order kept: positions follow it

class InputError : public std::runtime_error {
 public:
  InputError(const std::string& file, int line, int column, const std::string& message);
};

// "FILE:LINE:COL" of byte `offset` of `text` (1-based line and column).
std::pair<int, int> line_col(std::string_view text, size_t offset);

struct JsonDoc {
  std::string file;
  Json root;
  // The position of every object and array, by address in `root`.
  std::unordered_map<const Json*, std::pair<int, int>> marks;

  [[noreturn]] void fail(const Json& at, const std::string& message) const;
  // Members read case-insensitively (CloudTrail's requestParameters use
  // lowerCamelCase, the CLI's outputs PascalCase): nullptr when absent or null.
  static const Json* member(const Json& obj, std::string_view name);
  // A required string member; fails at `obj` when it is missing or not a string.
  std::string str(const Json& obj, std::string_view name) const;
  std::string opt_str(const Json& obj, std::string_view name) const;  // "" when absent
  const Json& list(const Json& obj, std::string_view name) const;     // a required array
};

JsonDoc parse_json_text(const std::string& text, const std::string& file);
JsonDoc load_json_file(const std::string& path);

}  // namespace entmc::aws
