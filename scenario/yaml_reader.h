// Internal to scenario/: typed, position-aware reads from a YAML document.
// Every failure throws ScenarioError at the offending node, so the parser
// itself reads as a list of what each section may contain.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace entmc::yaml {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;
  [[noreturn]] void fail(SourceMark at, const std::string& message) const;

  // The (key, value) pairs of a map, in document order; a duplicate key, a
  // non-scalar key or a key outside `allowed` (when given) is an error.
  using Entries = std::vector<std::pair<YAML::Node, YAML::Node>>;
  Entries map(const YAML::Node&, std::string_view what, std::span<const std::string_view> allowed = {}) const;
  std::vector<YAML::Node> list(const YAML::Node&, std::string_view what) const;

  std::string scalar(const YAML::Node&, std::string_view what) const;
  std::string string(const YAML::Node&, std::string_view what) const;  // a scalar, quoted or not
  bool boolean(const YAML::Node&, std::string_view what) const;
  uint32_t count(const YAML::Node&, std::string_view what, uint32_t min, uint32_t max) const;
  std::string key(const YAML::Node& key_node) const { return key_node.Scalar(); }

 private:
  std::string file_;
};

}  // namespace entmc::yaml
