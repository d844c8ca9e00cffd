#include "service_models.h"

#include <fmt/format.h>

#include <fstream>
#include <regex>

namespace entmc::test {

using nlohmann::json;

std::string cli_name(const std::string& name) {
  static const std::regex special("[A-Z]{2,}s$"), first_cap("(.)([A-Z][a-z]+)"), end_cap("([a-z0-9])([A-Z])");
  std::string n = name;
  std::smatch m;
  if (std::regex_search(n, m, special)) {
    std::string matched = m.str();
    for (char& c : matched) c = char(std::tolower(static_cast<unsigned char>(c)));
    n = n.substr(0, n.size() - matched.size()) + "-" + matched;
  }
  n = std::regex_replace(n, first_cap, "$1-$2");
  n = std::regex_replace(n, end_cap, "$1-$2");
  for (char& c : n) c = char(std::tolower(static_cast<unsigned char>(c)));
  return n;
}

ServiceModels::ServiceModels() {
  for (const char* s : {"license-manager", "organizations", "iam", "ec2", "cloudtrail"}) {
    std::ifstream in(std::string(ENTMC_SOURCE_DIR) + "/tests/aws/models/" + s + ".json");
    models_[s] = json::parse(in);
  }
}

const json& ServiceModels::service(const std::string& s) const { return models_.at(s); }

namespace {

bool is_variable(const std::string& v) { return v.find('$') != std::string::npos; }

// A scalar value of `shape` as the CLI takes it.
void check_value(const json& model, const std::string& shape_name, const std::string& v, const std::string& what,
                 std::vector<std::string>& out) {
  const json& shape = model["shapes"][shape_name];
  const std::string type = shape.value("type", "");
  if (is_variable(v)) return;
  if (type == "string") {
    if (shape.contains("enum")) {
      bool found = false;
      for (const auto& e : shape["enum"]) found = found || e.get<std::string>() == v;
      if (!found) out.push_back(fmt::format("{}: '{}' is not a value of {}", what, v, shape_name));
    }
    if (shape.contains("max") && v.size() > shape["max"].get<size_t>())
      out.push_back(fmt::format("{}: longer than {}", what, shape["max"].get<size_t>()));
    if (shape.contains("pattern") && !std::regex_match(v, std::regex(shape["pattern"].get<std::string>())))
      out.push_back(fmt::format("{}: '{}' does not match {}", what, v, shape["pattern"].get<std::string>()));
  } else if (type == "boolean") {
    if (v != "true" && v != "false") out.push_back(fmt::format("{}: '{}' is not a boolean", what, v));
  } else if (type == "integer" || type == "long") {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
      out.push_back(fmt::format("{}: '{}' is not a number", what, v));
  } else if (type == "structure") {
    // Shorthand: Key=Value,Key2=Value2
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string kv = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      size_t eq = kv.find('=');
      std::string key = kv.substr(0, eq);
      if (eq == std::string::npos || !shape["members"].contains(key)) {
        out.push_back(fmt::format("{}: '{}' is not a member of {}", what, key, shape_name));
      } else {
        std::string member_shape = shape["members"][key]["shape"];
        const json& ms = model["shapes"][member_shape];
        if (ms.value("type", "") == "list") {
          // Name=X,Values=a  (one value in this shorthand)
          check_value(model, ms["member"]["shape"], kv.substr(eq + 1), what + "." + key, out);
        } else {
          check_value(model, member_shape, kv.substr(eq + 1), what + "." + key, out);
        }
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (type == "list") {
    check_value(model, shape["member"]["shape"], v, what, out);
  }
}

}  // namespace

std::vector<std::string> ServiceModels::check_command(const aws::ScriptCommand& c) const {
  std::vector<std::string> out;
  if (!models_.contains(c.service)) return {fmt::format("unknown service '{}'", c.service)};
  const json& model = models_[c.service];
  std::string op_name;
  for (const auto& [name, op] : model["operations"].items())
    if (cli_name(name) == c.operation) op_name = name;
  if (op_name.empty()) return {fmt::format("{} has no operation '{}'", c.service, c.operation)};
  const json& op = model["operations"][op_name];
  if (!op.contains("input")) {
    if (!c.params.empty()) out.push_back(fmt::format("{} takes no parameters", op_name));
    return out;
  }
  const json& input = model["shapes"][op["input"]["shape"].get<std::string>()];
  std::vector<std::string> given;
  for (const auto& [param, values] : c.params) {
    std::string member;
    for (const auto& [name, m] : input["members"].items())
      if (cli_name(name) == param) member = name;
    if (member.empty()) {
      out.push_back(fmt::format("{}: no parameter --{}", op_name, param));
      continue;
    }
    given.push_back(member);
    const std::string shape_name = input["members"][member]["shape"];
    const json& shape = model["shapes"][shape_name];
    if (values.empty()) out.push_back(fmt::format("{}: --{} without a value", op_name, param));
    if (shape.value("type", "") != "list" && values.size() > 1)
      out.push_back(fmt::format("{}: --{} takes one value", op_name, param));
    for (const std::string& v : values) check_value(model, shape_name, v, fmt::format("{} --{}", op_name, param), out);
  }
  for (const auto& r : input.value("required", json::array()))
    if (std::find(given.begin(), given.end(), r.get<std::string>()) == given.end())
      out.push_back(fmt::format("{}: required parameter --{} missing", op_name, cli_name(r)));
  return out;
}

std::vector<std::string> ServiceModels::check_shape(const std::string& service, const std::string& shape_name,
                                                    const json& value, const std::string& path) const {
  std::vector<std::string> out;
  const json& model = models_.at(service);
  const json& shape = model["shapes"][shape_name];
  const std::string type = shape.value("type", "");
  if (type == "structure") {
    if (!value.is_object()) return {path + ": not an object"};
    for (const auto& [k, v] : value.items()) {
      if (!shape["members"].contains(k)) {
        out.push_back(fmt::format("{}.{}: no such member of {}", path, k, shape_name));
        continue;
      }
      auto sub = check_shape(service, shape["members"][k]["shape"], v, path + "." + k);
      out.insert(out.end(), sub.begin(), sub.end());
    }
  } else if (type == "list") {
    if (!value.is_array()) return {path + ": not a list"};
    for (size_t i = 0; i < value.size(); ++i) {
      auto sub = check_shape(service, shape["member"]["shape"], value[i], fmt::format("{}[{}]", path, i));
      out.insert(out.end(), sub.begin(), sub.end());
    }
  } else if (type == "string") {
    if (!value.is_string()) return {path + ": not a string"};
    if (shape.contains("enum")) {
      bool found = false;
      for (const auto& e : shape["enum"]) found = found || e == value;
      if (!found) out.push_back(fmt::format("{}: {} is not a value of {}", path, value.dump(), shape_name));
    }
  } else if (type == "boolean") {
    if (!value.is_boolean()) out.push_back(path + ": not a boolean");
  } else if (type == "timestamp") {
    if (!value.is_string() && !value.is_number()) out.push_back(path + ": not a timestamp");
  }
  return out;
}

std::vector<std::string> ServiceModels::check_output(const std::string& service, const std::string& operation,
                                                     const json& value) const {
  const json& op = models_.at(service)["operations"].at(operation);
  return check_shape(service, op["output"]["shape"], value, operation);
}

}  // namespace entmc::test
