// User properties: the policies a platform team writes in a scenario's,
// model's or simulation's `properties:` section (docs/properties.md), over
// the accounts, tags (`org: tags:`), products, licenses and grants of its
// organization. Each compiles once into the same Property shape as the
// built-in properties (properties/property.h), state check, local check and
// transition check included, so replay, check, fuzz and simulate run them
// like the built-ins; `eventually_possible:` entries are checked by `graph`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/names.h"
#include "model/world.h"
#include "properties/property.h"
#include "scenario/scenario.h"

namespace entmc::policy {

struct CompiledProperty;  // compiled_property.h
struct BoundCheck;        // user_properties.cpp

class UserProperties {
 public:
  UserProperties();
  ~UserProperties();
  UserProperties(const UserProperties&) = delete;
  UserProperties& operator=(const UserProperties&) = delete;

  // The always / never / sometimes / transition entries, as Properties whose
  // checks point into this object: it must outlive every copy of them.
  const std::vector<Property>& properties() const { return properties_; }
  bool empty() const { return properties_.empty() && eventually_.empty(); }

  // An `eventually_possible:` entry: from every reachable state some sequence
  // of calls reaches a state where `holds` is true.
  struct Eventually {
    std::string name, description, where;  // where: FILE:LINE
    const CompiledProperty* predicate = nullptr;
  };
  const std::vector<Eventually>& eventually() const { return eventually_; }
  bool holds(const Eventually&, const World&, const Names&) const;

  // Accounts some property names (by ID or tag): not interchangeable with
  // others, so the explorer may not permute them (symmetry reduction).
  const std::vector<AccountIx>& named_accounts() const { return named_accounts_; }

  // For the compiler.
  void add(std::unique_ptr<CompiledProperty>);
  void name_account(AccountIx a) { named_accounts_.push_back(a); }

 private:
  std::vector<std::unique_ptr<CompiledProperty>> compiled_;
  std::vector<std::unique_ptr<BoundCheck>> bounds_;  // the checks' contexts
  std::vector<Property> properties_;
  std::vector<Eventually> eventually_;
  std::vector<AccountIx> named_accounts_;
};

// Does some property name an account of one of these classes of
// interchangeable accounts (engine/symmetry.h)?
bool names_interchangeable(const UserProperties&, const std::vector<std::vector<AccountIx>>& classes);

// Compiles `root`'s `properties:` section (and `org: tags:`) against the
// organization `names` and `start` describe. Throws ScenarioError
// (FILE:LINE:COL) for anything wrong: an unknown key, account, tag, product,
// status or variable (the known ones listed), a type error said in words, a
// name used twice or taken by a built-in property. Null when the file has no
// `properties:` section.
std::shared_ptr<const UserProperties> compile_user_properties(const YAML::Node& root, const Names& names,
                                                              const World& start, const std::string& file);
inline std::shared_ptr<const UserProperties> compile_user_properties(const Scenario& sc) {
  return compile_user_properties(sc.root, sc.names, sc.initial, sc.file);
}

// `scenario_text` (a scenario written by a tool: fuzz's shrunk failure) with
// the `properties:` section and the org's `tags:` of `source` (the file the
// run came from) added, so that replaying it checks the same user properties.
std::string with_properties_section(const std::string& scenario_text, const YAML::Node& source);

// The built-in properties followed by the user's (when given).
std::vector<Property> with_user_properties(const std::shared_ptr<const UserProperties>&);

}  // namespace entmc::policy
