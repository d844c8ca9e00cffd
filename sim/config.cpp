#include "sim/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <sstream>

#include "model/names.h"
#include "scenario/yaml_document.h"
#include "util/input_file.h"

namespace entmc::sim {
namespace {

class Parser {
 public:
  explicit Parser(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
    const YAML::Mark m = n.Mark();  // -1 where the node has no position (an empty document): 1:1
    throw ConfigError(path_, m.line < 0 ? 1 : m.line + 1, m.column < 0 ? 1 : m.column + 1, msg);
  }

  template <typename T>
  T as(const YAML::Node& n, const char* what) const {
    try {
      return n.as<T>();
    } catch (const YAML::Exception&) {
      fail(n, fmt::format("{} has the wrong type", what));
    }
  }

  void expect_map(const YAML::Node& n, const char* what) const {
    if (!n.IsMap()) fail(n, fmt::format("{} must be a mapping", what));
    no_duplicates(n);
  }

  // A key as text, located when it is not one (a list or a map as a key).
  std::string key_text(const YAML::Node& k) const {
    if (!k.IsScalar()) fail(k, "a key must be a plain name");
    return k.Scalar();
  }

  // yaml-cpp keeps the last of two equal keys: a duplicate is an error here,
  // never a silent override.
  void no_duplicates(const YAML::Node& map) const {
    std::map<std::string, YAML::Mark> seen;
    for (const auto& kv : map) {
      const std::string k = key_text(kv.first);
      const auto [it, fresh] = seen.emplace(k, kv.first.Mark());
      if (!fresh)
        fail(kv.first, fmt::format("duplicate key '{}' (first at line {}, column {})", k, it->second.line + 1,
                                   it->second.column + 1));
    }
  }

  std::string account_id(const YAML::Node& n) const {
    std::string id = as<std::string>(n, "an account ID");
    if (!is_account_id(id)) fail(n, fmt::format("'{}' is not a 12-digit account ID", id));
    return id;
  }

  // `members: 1000` or `members: [ids...]` or `members: {count: 1000, ids: [...]}`.
  void accounts(const YAML::Node& n, uint32_t& count, std::vector<std::string>& ids, const char* what) const {
    if (n.IsScalar()) {
      count = as<uint32_t>(n, what);
    } else if (n.IsSequence()) {
      for (const auto& e : n) ids.push_back(account_id(e));
      count = uint32_t(ids.size());
    } else if (n.IsMap()) {
      no_duplicates(n);
      for (const auto& kv : n) {
        const auto key = key_text(kv.first);
        if (key == "count")
          count = as<uint32_t>(kv.second, "count");
        else if (key == "ids" && kv.second.IsSequence())
          for (const auto& e : kv.second) ids.push_back(account_id(e));
        else
          fail(kv.first, fmt::format("unknown key '{}' in {}", key, what));
      }
      if (count < ids.size()) count = uint32_t(ids.size());
    } else {
      fail(n, fmt::format("{} must be a count or a list of account IDs", what));
    }
  }

  void org(const YAML::Node& n, SimConfig& c) const {
    expect_map(n, "org");
    for (const auto& kv : n) {
      const auto key = key_text(kv.first);
      const YAML::Node& v = kv.second;
      if (key == "feature_set") {
        if (!entmc::parse(as<std::string>(v, "feature_set"), c.feature_set))
          fail(v, "feature_set must be ALL or CONSOLIDATED_BILLING");
      } else if (key == "id") {
        c.org_id = as<std::string>(v, "id");
        if (!is_organization_id(c.org_id)) fail(v, fmt::format("'{}' is not an organization ID", c.org_id));
      } else if (key == "management") {
        c.management_id = account_id(v);
      } else if (key == "members") {
        accounts(v, c.members, c.member_ids, "members");
      } else if (key == "outside") {
        accounts(v, c.outside, c.outside_ids, "outside");
      } else if (key == "delegated_admin") {
        c.delegated_admin = as<std::string>(v, "delegated_admin");
        if (c.delegated_admin == "none") c.delegated_admin.clear();
        if (!c.delegated_admin.empty() && c.delegated_admin != "first-member" && !is_account_id(c.delegated_admin))
          fail(v, "delegated_admin must be none, first-member or a 12-digit account ID");
      } else if (key == "prerequisites") {
        c.prerequisites = as<bool>(v, "prerequisites");
      } else if (key == "tags") {
        // account tags for user properties: read by policy/ with `properties:`
      } else {
        fail(kv.first, fmt::format("unknown key '{}' in org", key));
      }
    }
  }

  void products(const YAML::Node& n, SimConfig& c) const {
    if (n.IsScalar()) {  // a count: names product-0.., types cycling over the distributable ones
      const auto count = as<uint32_t>(n, "products");
      if (count == 0 || count > 1000) fail(n, "products must be between 1 and 1000");
      for (uint32_t i = 0; i < count; ++i)
        c.products.push_back({fmt::format("product-{}", i), static_cast<ProductType>(i % 4)});
      return;
    }
    if (!n.IsSequence()) fail(n, "products must be a count or a list of {name, type}");
    for (const auto& e : n) {
      expect_map(e, "a product");
      ProductConfig p;
      for (const auto& kv : e) {
        const auto key = key_text(kv.first);
        if (key == "name")
          p.name = as<std::string>(kv.second, "name");
        else if (key == "type") {
          if (!entmc::parse(as<std::string>(kv.second, "type"), p.type))
            fail(kv.second, "type must be AMI, CONTAINER, ML_MODEL, DATA_EXCHANGE or SAAS");
        } else
          fail(kv.first, fmt::format("unknown key '{}' in a product", key));
      }
      if (p.name.empty()) fail(e, "a product needs a name");
      c.products.push_back(p);
    }
  }

  void setup(const YAML::Node& n, SimConfig& c) const {
    expect_map(n, "setup");
    for (const auto& kv : n) {
      const auto key = key_text(kv.first);
      if (key == "management_subscribes")
        c.management_subscribes = as<bool>(kv.second, key.c_str());
      else if (key == "org_grant_products")
        c.org_grant_products = as<uint32_t>(kv.second, key.c_str());
      else if (key == "org_grants_bulk_active")
        c.org_grants_bulk_active = as<bool>(kv.second, key.c_str());
      else
        fail(kv.first, fmt::format("unknown key '{}' in setup", key));
    }
  }

  void mix(const YAML::Node& n, SimConfig& c) const {
    expect_map(n, "mix");
    for (const auto& kv : n) {
      const auto key = key_text(kv.first);
      EventKind k;
      if (!sim::parse(key, k)) fail(kv.first, fmt::format("unknown event kind '{}' in mix", key));
      const double w = as<double>(kv.second, "a weight");
      // Weights are relative; a bound keeps their sum finite (1e308 + 1e308 is infinity).
      if (!(w >= 0 && w <= 1e12)) fail(kv.second, "a weight must be a number from 0 to 1e12");
      c.mix[static_cast<size_t>(k)] = w;
    }
  }

  SimConfig config(const YAML::Node& root) const {
    SimConfig c;
    c.path = path_;
    if (!root.IsMap()) fail(root, "a simulation file must be a mapping");
    no_duplicates(root);
    for (const auto& kv : root) {
      const auto key = key_text(kv.first);
      const YAML::Node& v = kv.second;
      if (key == "name") c.name = as<std::string>(v, "name");
      else if (key == "description") c.description = as<std::string>(v, "description");
      else if (key == "org") org(v, c);
      else if (key == "products") products(v, c);
      else if (key == "setup") setup(v, c);
      else if (key == "events") c.events = as<uint64_t>(v, "events");
      else if (key == "seed") c.seed = as<uint64_t>(v, "seed");
      else if (key == "full_check_every") c.full_check_every = as<uint64_t>(v, "full_check_every");
      else if (key == "sample_every") c.sample_every = as<uint64_t>(v, "sample_every");
      else if (key == "mix") mix(v, c);
      else if (key == "properties") {}  // user properties: compiled by policy/
      else if (key == "start") {
        // Checked when the organization is built (build_initial_org): its
        // records name the accounts and products the file builds.
        if (!v.IsMap()) fail(v, "start must be a mapping (licenses, grants, workloads)");
        c.start = std::make_shared<const YAML::Node>(v);
      }
      else if (key == "invalid") {
        c.invalid_share = as<double>(v, "invalid");
        if (!(c.invalid_share >= 0 && c.invalid_share <= 1)) fail(v, "invalid must be a share between 0 and 1");
      } else fail(kv.first, fmt::format("unknown key '{}'", key));
    }
    if (c.products.empty()) fail(root, "products are required");
    if (c.products.size() > 1000) fail(root, "at most 1000 products");
    double total = 0;
    for (double w : c.mix) total += w;
    if (total <= 0) fail(root, "mix needs at least one positive weight");
    if (c.delegated_admin == "first-member" && c.members == 0) fail(root, "first-member needs a member account");
    if (uint64_t(c.members) + c.outside + 1 > 0xF0000000ull) fail(root, "too many accounts");
    return c;
  }

 private:
  std::string path_;
};

}  // namespace

std::string ConfigError::formatted() const {
  if (line <= 0) return fmt::format("{}: error: {}", file, what());  // about the whole file: no position to give
  return fmt::format("{}:{}:{}: error: {}", file, line, col, what());
}

SimConfig parse_config(const std::string& text, const std::string& path) {
  yaml::OneDocument doc = yaml::load_one_document(text);  // exactly one document
  if (doc.problem) throw ConfigError(path, doc.problem->line, doc.problem->column, doc.problem->message);
  return Parser(path).config(doc.root);
}

SimConfig load_config(const std::string& path) {
  if (const std::string why = util::input_problem(path); !why.empty()) throw ConfigError(path, 1, 1, why);
  std::ifstream in(path);
  if (!in) throw ConfigError(path, 0, 0, "cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path);
}

}  // namespace entmc::sim
