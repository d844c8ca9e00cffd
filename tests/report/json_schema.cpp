#include "json_schema.h"

#include <regex>
#include <set>

namespace entmc::test {
namespace {

using nlohmann::json;

bool has_type(const json& v, const std::string& t) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  if (t == "integer") return v.is_number_integer() || v.is_number_unsigned();
  if (t == "number") return v.is_number();
  return false;
}

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}
  std::vector<std::string> errors;

  void check(const json& s, const json& v, const std::string& at) {
    static const std::set<std::string> kKnown = {"$schema", "$id", "title", "description", "$defs", "$ref", "type",
                                                 "const", "enum", "required", "properties", "additionalProperties",
                                                 "items", "minimum", "minLength", "pattern"};
    for (const auto& [k, _] : s.items())
      if (!kKnown.count(k)) errors.push_back(at + ": the schema uses '" + k + "', which this validator does not know");
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"];
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
        errors.push_back(at + ": unresolvable $ref " + ref);
        return;
      }
      check(root_["$defs"][ref.substr(prefix.size())], v, at);
    }
    if (s.contains("type")) {
      bool ok = false;
      std::string want;
      for (const json& t : s["type"].is_array() ? s["type"] : json::array({s["type"]})) {
        ok = ok || has_type(v, t.get<std::string>());
        want += (want.empty() ? "" : " or ") + t.get<std::string>();
      }
      if (!ok) {
        errors.push_back(at + ": expected " + want + ", found " + v.dump());
        return;
      }
    }
    if (s.contains("const") && v != s["const"]) errors.push_back(at + ": expected " + s["const"].dump());
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end())
      errors.push_back(at + ": " + v.dump() + " is not one of " + s["enum"].dump());
    if (s.contains("minimum") && v.is_number() && v.get<double>() < s["minimum"].get<double>())
      errors.push_back(at + ": below the minimum " + s["minimum"].dump());
    if (s.contains("minLength") && v.is_string() && v.get<std::string>().size() < s["minLength"].get<size_t>())
      errors.push_back(at + ": shorter than " + s["minLength"].dump());
    if (s.contains("pattern") && v.is_string() &&
        !std::regex_search(v.get<std::string>(), std::regex(s["pattern"].get<std::string>())))
      errors.push_back(at + ": " + v.dump() + " does not match " + s["pattern"].dump());
    if (v.is_object()) {
      for (const json& r : s.value("required", json::array()))
        if (!v.contains(r.get<std::string>())) errors.push_back(at + ": missing required '" + r.get<std::string>() + "'");
      const json props = s.value("properties", json::object());
      for (const auto& [k, item] : v.items()) {
        if (props.contains(k)) {
          check(props[k], item, at + "/" + k);
        } else if (s.contains("additionalProperties")) {
          const json& extra = s["additionalProperties"];
          if (extra.is_boolean()) {
            if (!extra.get<bool>()) errors.push_back(at + ": unexpected property '" + k + "'");
          } else {
            check(extra, item, at + "/" + k);
          }
        }
      }
    }
    if (v.is_array() && s.contains("items"))
      for (size_t i = 0; i < v.size(); ++i) check(s["items"], v[i], at + "/" + std::to_string(i));
  }

 private:
  const json& root_;
};

}  // namespace

std::vector<std::string> validate(const nlohmann::json& schema, const nlohmann::json& doc) {
  Validator v(schema);
  v.check(schema, doc, "");
  return v.errors;
}

}  // namespace entmc::test
