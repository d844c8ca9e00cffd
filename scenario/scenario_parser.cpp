// The top level of a scenario file: name, description, org, products, the
// optional interning tables, steps; and the references every section uses
// (accounts, products, aliases). docs/scenario-format.md describes the format.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "scenario/parse_context.h"
#include "scenario/unknown_ref.h"
#include "scenario/yaml_document.h"
#include "scenario/start_section.h"
#include "util/input_file.h"

namespace entmc {
namespace scn {

bool is_printed_id(std::string_view s, char prefix) {
  if (s.size() != 34 || s[0] != prefix || s[1] != '-') return false;
  for (char c : s.substr(2))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

AccountIx Context::account(const YAML::Node& n, std::string_view what, bool issuer_ok, bool unknown_ok) const {
  std::string id = reader.scalar(n, what);
  if (id == "aws-marketplace") {
    if (issuer_ok) return kIssuer;
    reader.fail(n, fmt::format("{}: 'aws-marketplace' (the license issuer) is not an account here", what));
  }
  if (auto u = unknown_index(id, "account"); u && unknown_ok) return unknown_account(n, *u);
  if (!is_account_id(id)) reader.fail(n, fmt::format("{}: malformed account ID '{}' (12 digits expected)", what, id));
  auto ix = find_account(id);
  if (!ix) reader.fail(n, fmt::format("{}: unknown account {} (not listed in the org section)", what, id));
  return *ix;
}

AccountIx Context::unknown_account(const YAML::Node& n, uint32_t ix) const {
  if (ix < names.accounts.size() || ix >= kIssuer)
    reader.fail(n, fmt::format("'account#{}' names no unknown account: the world has accounts #0-#{}", ix,
                               names.accounts.size() - 1));
  return AccountIx(ix);
}

ProductIx Context::product(const YAML::Node& n, bool unknown_ok) const {
  std::string name = reader.scalar(n, "product");
  auto ix = names.find_product(name);
  if (auto u = unknown_index(name, "product"); u && !ix && unknown_ok) {
    if (*u < names.products.size() || *u > 0xFFFF)
      reader.fail(n, fmt::format("'{}' names no unknown product: the world has products #0-#{}", name,
                                 names.products.size() - 1));
    return ProductIx(*u);
  }
  if (!ix) reader.fail(n, fmt::format("unknown product '{}' (not listed in the products section)", name));
  return *ix;
}

RecordRef Context::record(const YAML::Node& n, AliasKind kind) const {
  const char* what = kind == AliasKind::License ? "license" : "grant";
  std::string s = reader.scalar(n, what);
  RecordRef ref;
  ref.mark = mark_of(n);
  if (is_printed_id(s, kind == AliasKind::License ? 'l' : 'g')) {
    ref.id = s;
    return ref;
  }
  auto it = aliases.find(s);
  if (it == aliases.end()) reader.fail(n, fmt::format("unknown {} alias '{}' (no earlier step says `as: {}`)", what, s, s));
  if (it->second.kind != kind)
    reader.fail(n, fmt::format("'{}' names a {}, not a {} (defined at step {})", s,
                               it->second.kind == AliasKind::License ? "license" : "grant", what, it->second.step));
  ref.alias = s;
  return ref;
}

void parse_products(Context& cx, const YAML::Node& products, std::vector<ProductType>& types) {
  for (const YAML::Node& item : cx.reader.list(products, "products")) {
    YAML::Node name_node = absent(), type_node = absent();
    static constexpr std::string_view kKeys[] = {"name", "type"};
    for (auto& [k, v] : cx.reader.map(item, "a product", kKeys))
      (k.Scalar() == "name" ? name_node : type_node).reset(v);
    if (!name_node) cx.reader.fail(item, "a product needs a name");
    if (!type_node) cx.reader.fail(item, "a product needs a type (AMI, CONTAINER, ML_MODEL, DATA_EXCHANGE, SAAS)");
    std::string name = cx.reader.scalar(name_node, "product name");
    if (name.empty()) cx.reader.fail(name_node, "a product name must not be empty");
    if (cx.names.find_product(name)) cx.reader.fail(name_node, fmt::format("duplicate product '{}'", name));
    ProductType type{};
    std::string t = cx.reader.scalar(type_node, "product type");
    if (!parse(t, type))
      cx.reader.fail(type_node,
                     fmt::format("unknown product type '{}' (AMI, CONTAINER, ML_MODEL, DATA_EXCHANGE, SAAS)", t));
    if (types.size() >= 0xFFFF) cx.reader.fail(item, "too many products");
    cx.names.products.push_back(name);
    types.push_back(type);
  }
}

}  // namespace scn

namespace {

constexpr std::string_view kTopLevel[] = {
    "name", "description", "org", "products", "strings", "client_tokens", "steps", "bounds", "simulation",
    "id_seed", "properties", "start"};  // properties: user properties, compiled by policy/

World build_world(const scn::OrgSection& org, std::vector<ProductType> products, size_t tokens) {
  World w = make_world(org.feature_set, std::move(products), tokens);
  for (const Account& a : org.accounts) add_account(w, a.membership, a.flags, a.govcloud_link);
  w.org.flags = org.org.flags;
  w.org.delegated_admin = org.org.delegated_admin;
  return w;
}

}  // namespace

Scenario parse_scenario_text(std::string_view text, const std::string& filename) {
  Scenario sc;
  sc.file = filename;
  yaml::Reader reader(filename);
  yaml::OneDocument doc = yaml::load_one_document(std::string(text));  // exactly one document
  if (doc.problem) reader.fail(SourceMark{doc.problem->line, doc.problem->column}, doc.problem->message);
  sc.root = doc.root;
  if (!sc.root.IsMap()) reader.fail(sc.root, "a scenario is a map with name, org, products and steps");
  scn::Context cx{reader, sc.names, {}, {}};

  YAML::Node id_seed = scn::absent();
  YAML::Node name = scn::absent(), description = scn::absent(), org = scn::absent(), products = scn::absent(), strings = scn::absent(), tokens = scn::absent(), steps = scn::absent();
  YAML::Node start = scn::absent();
  for (auto& [k, v] : reader.map(sc.root, "the scenario", kTopLevel)) {
    const std::string key = k.Scalar();
    if (key == "name") name.reset(v);
    else if (key == "description") description.reset(v);
    else if (key == "org") org.reset(v);
    else if (key == "products") products.reset(v);
    else if (key == "strings") strings.reset(v);
    else if (key == "client_tokens") tokens.reset(v);
    else if (key == "steps") steps.reset(v);
    else if (key == "id_seed") id_seed.reset(v);
    else if (key == "start") start.reset(v);
  }
  if (!name) reader.fail(sc.root, "the scenario needs a name");
  sc.name = reader.scalar(name, "name");
  if (description) sc.description = reader.string(description, "description");
  sc.names.id_seed = id_seed_for(sc.name);
  if (id_seed) sc.names.id_seed = scn::parse_id_seed(reader, id_seed);
  if (!org) reader.fail(sc.root, "the scenario needs an org section");
  scn::OrgSection org_section = scn::parse_org(cx, org);
  std::vector<ProductType> types;
  if (products) scn::parse_products(cx, products, types);
  for (const YAML::Node& s : reader.list(strings, "strings")) {
    std::string v = reader.scalar(s, "an interned string");
    if (sc.names.string_count() >= 0xFFFF) reader.fail(s, "too many strings");
    sc.names.intern_string(v);
  }
  for (const YAML::Node& t : reader.list(tokens, "client_tokens")) {
    std::string v = reader.scalar(t, "a client token");
    if (v.empty()) reader.fail(t, "a client token must not be empty");
    if (sc.names.token_count() >= 0xFFFE) reader.fail(t, "too many client tokens");
    sc.names.intern_token(v);
  }
  scn::StartSection start_section;
  if (start) start_section = scn::parse_start(cx, start);
  if (steps) sc.steps = scn::parse_steps(cx, steps);
  sc.initial = build_world(org_section, std::move(types), sc.names.token_count());
  if (start) scn::apply_start(cx, start_section, sc);
  return sc;
}

Scenario parse_scenario_file(const std::string& path) {
  // Not /dev/zero, a FIFO or a huge file read whole (docs/limits.md).
  if (const std::string why = util::input_problem(path); !why.empty()) throw ScenarioError(path, SourceMark{1, 1}, why);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, SourceMark{1, 1}, "cannot open the file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_scenario_text(buf.str(), path);
}

}  // namespace entmc
