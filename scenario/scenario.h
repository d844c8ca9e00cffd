// Scenarios: the YAML format that replay, check, fuzz and simulate share
// (docs/scenario-format.md). A Scenario is the parsed file: the initial World
// (org and products sections, prerequisite shortcuts applied), the Names side
// table, and the steps, each a call or an `expect:` assertion, with aliases
// still symbolic (they are resolved while running: see scenario_run.h).
//
// The parser validates everything that can be checked without running the
// model (operations, parameters, types, account and organization IDs,
// products, aliases defined before use and only once). Every error is a
// ScenarioError whose what() reads "FILE:LINE:COL: error: message".
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/call.h"
#include "model/errors.h"
#include "model/names.h"
#include "model/world.h"

namespace entmc {

// A position in the scenario file, 1-based (0 = unknown).
struct SourceMark {
  int line = 0;
  int column = 0;
};
SourceMark mark_of(const YAML::Node&);

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, SourceMark mark, std::string message);
  const std::string& file() const { return file_; }
  SourceMark mark() const { return mark_; }
  const std::string& message() const { return message_; }  // without the "FILE:LINE:COL: error: " prefix

 private:
  std::string file_;
  SourceMark mark_;
  std::string message_;
};

// How a step names a license or a grant.
//   alias      a name given by an earlier step's `as:`
//   id         a printed license/grant ID (l-... / g-...), as the writer uses
//              for records no alias reaches
//   recipient  with a grant alias of an organization grant: that grant's
//              child received by this account (find_org_child)
struct RecordRef {
  std::string alias;
  std::string id;
  AccountIx recipient = kNone;
  SourceMark mark;
  bool given() const { return !alias.empty() || !id.empty(); }
};

// One assertion of an `expect:` step.
struct Expectation {
  enum class What : uint8_t {
    GrantStatus,     // grant: A [recipient: X] status: S
    GrantReason,     // grant: A ... status_reason: "..."
    GrantVersion,    // grant: A ... version: N
    ChildCount,      // grant: A children: {S: N, ...}   (one Expectation per status)
    LicenseStatus,   // license: A status: S
    Running,         // account: X product: P running: N
    CanLaunch,       // account: X product: P can_launch: true|false
    Member,          // account: X member: true|false
    DelegatedAdmin,  // delegated_admin: X | none
  };
  What what = What::GrantStatus;
  SourceMark mark;
  RecordRef grant;
  RecordRef license;
  AccountIx account = kNone;  // Running, CanLaunch, Member, DelegatedAdmin (kNone = no administrator)
  ProductIx product = 0;
  GrantStatus grant_status = GrantStatus::ACTIVE;
  LicenseStatus license_status = LicenseStatus::AVAILABLE;
  std::string text;     // GrantReason
  uint32_t number = 0;  // GrantVersion, ChildCount, Running
  bool flag = false;    // CanLaunch, Member
};

// One step: a call (with its license/grant references still symbolic) or an
// `expect:` step.
struct Step {
  size_t number = 0;  // 1-based position in `steps`
  SourceMark mark;
  bool is_expect = false;
  Call call;          // license / grant are filled in by the runner from the refs
  RecordRef license;  // the `license:` parameter, when given
  RecordRef grant;    // the `grant:` (+ `recipient:`) parameters, when given
  std::string as;     // alias for the license or grant the call creates
  std::optional<ErrorCode> fails;
  std::vector<Expectation> expect;
};

struct Scenario {
  std::string file;  // as given to the parser; used in error messages
  std::string name;
  std::string description;
  Names names;    // accounts, products, org ID, interned strings/tokens, id_seed (from the name)
  World initial;  // after `org` and `products` (prerequisite shortcuts applied)
  std::vector<Step> steps;
  // Aliases the `start` section gives the records it creates (start_section.h).
  std::unordered_map<std::string, uint32_t> start_licenses, start_grants;
  YAML::Node root;  // the whole document, for the sections other commands read (bounds, simulation)
};

// Top-level keys besides the scenario's own that other commands read; any
// other unknown key is an error.
inline constexpr std::string_view kForeignSections[] = {"bounds", "simulation"};

Scenario parse_scenario_file(const std::string& path);
Scenario parse_scenario_text(std::string_view text, const std::string& filename);

// The id_seed a scenario name gives (stable across runs and machines).
uint64_t id_seed_for(std::string_view scenario_name);

}  // namespace entmc
