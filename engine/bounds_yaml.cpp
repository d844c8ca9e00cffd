#include "engine/bounds_yaml.h"

#include <fmt/format.h>

#include <algorithm>

#include "scenario/yaml_reader.h"

namespace entmc::engine {
namespace {

constexpr std::string_view kKeys[] = {
    "operations", "callers",  "targets",  "principals", "regions",       "products",
    "statuses",   "overrides", "reasons", "names",      "client_tokens", "versions",
    "version_without_status", "services", "roles", "integration", "allowed_operations",
    "max_licenses", "max_grants", "max_running", "max_grant_version", "max_depth"};

template <typename T>
void add_unique(std::vector<T>& v, T x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// A list of account references: 12-digit IDs, or the groups `all`,
// `management`, `members`, `outside` (membership in the start of the
// scenario). `organization` is accepted where `allow_org` (principals).
std::vector<AccountIx> accounts(const yaml::Reader& r, const Scenario& sc, const YAML::Node& n, std::string_view what,
                                bool allow_org, bool* org) {
  std::vector<AccountIx> out;
  std::vector<YAML::Node> items = n.IsScalar() ? std::vector<YAML::Node>{n} : r.list(n, what);
  const World& w = sc.initial;
  for (const YAML::Node& item : items) {
    const std::string s = r.scalar(item, what);
    if (s == "all" || s == "members" || s == "outside" || s == "management") {
      for (AccountIx a = 0; a < w.accounts.size(); ++a) {
        const Membership m = w.accounts[a].membership;
        if (s == "all" || (s == "members" && m == Membership::MEMBER) ||
            (s == "outside" && m == Membership::OUTSIDE) || (s == "management" && m == Membership::MANAGEMENT))
          add_unique(out, a);
      }
      if (s == "all" && org) *org = true;
    } else if (s == "organization" && allow_org) {
      *org = true;
    } else if (auto a = sc.names.find_account(s)) {
      add_unique(out, *a);
    } else {
      r.fail(item, fmt::format("{}: '{}' is not an account of the org section (or all, management, members, "
                               "outside{})",
                               what, s, allow_org ? ", organization" : ""));
    }
  }
  return out;
}

template <typename T>
std::vector<T> enums(const yaml::Reader& r, const YAML::Node& n, std::string_view what) {
  std::vector<T> out;
  for (const YAML::Node& item : r.list(n, what)) {
    T v{};
    const std::string s = r.scalar(item, what);
    if (!parse(s, v)) r.fail(item, fmt::format("{}: unknown value '{}'", what, s));
    add_unique(out, v);
  }
  if (out.empty()) r.fail(n, fmt::format("{} must not be empty", what));
  return out;
}

}  // namespace

Bounds read_bounds(Scenario& sc) {
  yaml::Reader r(sc.file);
  Bounds b = Bounds::everything(sc.initial);
  const YAML::Node node = sc.root.IsMap() ? sc.root["bounds"] : YAML::Node();
  if (node && !node.IsNull()) {
    for (auto& [k, v] : r.map(node, "bounds", kKeys)) {
      const std::string key = k.Scalar();
      if (key == "operations") {
        if (v.IsScalar() && v.Scalar() == "all") continue;
        b.operations.clear();
        for (const YAML::Node& item : r.list(v, "operations")) {
          Op op{};
          const std::string s = r.scalar(item, "an operation");
          if (!parse(s, op)) r.fail(item, fmt::format("unknown operation '{}'", s));
          add_unique(b.operations, op);
        }
        // An empty domain would make `check` pass vacuously (issue 17).
        if (b.operations.empty()) r.fail(v, "operations must not be empty (no call would be tried)");
      } else if (key == "callers") {
        b.callers = accounts(r, sc, v, "callers", false, nullptr);
        if (b.callers.empty()) r.fail(v, "callers must not be empty (no call would be tried)");
      } else if (key == "targets") {
        b.targets = accounts(r, sc, v, "targets", false, nullptr);
      } else if (key == "principals") {
        b.principal_organization = false;
        b.principals = accounts(r, sc, v, "principals", true, &b.principal_organization);
      } else if (key == "regions") {
        b.regions = enums<Region>(r, v, "regions");
      } else if (key == "products") {
        if (v.IsScalar() && v.Scalar() == "all") continue;
        b.products.clear();
        for (const YAML::Node& item : r.list(v, "products")) {
          const std::string s = r.string(item, "a product");
          auto p = sc.names.find_product(s);
          if (!p) r.fail(item, fmt::format("unknown product '{}'", s));
          add_unique(b.products, *p);
        }
        if (b.products.empty()) r.fail(v, "products must not be empty (no product would be subscribed to)");
      } else if (key == "statuses") {
        b.statuses = enums<GrantStatus>(r, v, "statuses");
      } else if (key == "overrides") {
        b.overrides = enums<ActivationOverride>(r, v, "overrides");
      } else if (key == "reasons" || key == "names" || key == "client_tokens") {
        std::vector<uint16_t> ids;
        for (const YAML::Node& item : r.list(v, key)) {
          if (item.IsNull()) {
            add_unique<uint16_t>(ids, 0);
            continue;
          }
          const std::string s = r.string(item, key);
          if (s.empty() || s == "none") add_unique<uint16_t>(ids, 0);
          else if (key == "client_tokens") add_unique<uint16_t>(ids, sc.names.intern_token(s));
          else add_unique<uint16_t>(ids, sc.names.intern_string(s));
        }
        if (ids.empty()) r.fail(v, fmt::format("{} must not be empty (use [none])", key));
        (key == "reasons" ? b.reasons : key == "names" ? b.names : b.tokens) = ids;
      } else if (key == "versions") {
        b.versions.clear();
        for (const YAML::Node& item : r.list(v, "versions")) {
          const std::string s = r.scalar(item, "a version choice");
          if (s == "current") add_unique(b.versions, VersionChoice::Current);
          else if (s == "stale") add_unique(b.versions, VersionChoice::Stale);
          else if (s == "omitted") add_unique(b.versions, VersionChoice::Omitted);
          else r.fail(item, fmt::format("versions: '{}' is not current, stale or omitted", s));
        }
        if (b.versions.empty()) r.fail(v, "versions must not be empty");
      } else if (key == "version_without_status") {
        b.version_without_status = r.boolean(v, key);
      } else if (key == "services" || key == "roles") {
        std::vector<Service> out;
        for (const YAML::Node& item : r.list(v, key)) {
          Service s{};
          const std::string text = r.scalar(item, key);
          if (!parse_service(text, s)) r.fail(item, fmt::format("{}: unknown service '{}'", key, text));
          add_unique(out, s);
        }
        (key == "services" ? b.access_services : b.roles) = out;
      } else if (key == "integration") {
        b.integration.clear();
        for (const YAML::Node& item : r.list(v, key)) {
          const bool e = r.boolean(item, key);
          if (std::find(b.integration.begin(), b.integration.end(), e) == b.integration.end())
            b.integration.push_back(e);
        }
      } else if (key == "allowed_operations") {
        b.allowed_ops.clear();
        for (const YAML::Node& item : r.list(v, key)) {
          const std::string s = r.scalar(item, key);
          if (s == "default") add_unique<uint8_t>(b.allowed_ops, 0);
          else if (s == "with_create_grant") add_unique<uint8_t>(b.allowed_ops, kConsumptionOps | kCreateGrantOp);
          else r.fail(item, fmt::format("{}: '{}' is not default or with_create_grant", key, s));
        }
      } else {
        const uint32_t n = r.count(v, key, 1, 1u << 20);  // 0 is no cap: leave the key out
        if (key == "max_licenses") b.max_licenses = n;
        else if (key == "max_grants") b.max_grants = n;
        else if (key == "max_running") b.max_running = n;
        else if (key == "max_grant_version") b.max_grant_version = n;
        else b.max_depth = n;
      }
    }
  }
  sc.initial.tokens.resize(sc.names.token_count() + 1);
  return b;
}

}  // namespace entmc::engine
