// A simulation file (scenarios/sim/*.yaml): the organization to build and the
// mix of events to run on it. See docs/simulator.md for the format.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/types.h"
#include "sim/event_kind.h"

namespace YAML {
class Node;
}

namespace entmc::sim {

struct ProductConfig {
  std::string name;
  ProductType type = ProductType::AMI;
};

struct SimConfig {
  std::string path;  // the file it came from (for messages)
  std::string name;
  std::string description;

  // org
  FeatureSet feature_set = FeatureSet::ALL;
  std::string org_id;                     // empty: derived from the name
  std::string management_id;              // empty: generated
  std::vector<std::string> member_ids;    // explicit IDs (the first ones); the rest are generated
  std::vector<std::string> outside_ids;
  uint32_t members = 0;                   // total member accounts (>= member_ids.size())
  uint32_t outside = 0;                   // total accounts outside the organization
  std::string delegated_admin;            // "" none, "first-member", or a 12-digit ID
  bool prerequisites = true;              // trusted access, linking, License Manager role everywhere

  std::vector<ProductConfig> products;

  // start: the licenses, grants and workloads the world holds before setup,
  // in the scenario format's `start` section (docs/scenario-format.md),
  // applied by build_initial_org with the scenario's own builder; null when
  // the file has none.
  std::shared_ptr<const YAML::Node> start;

  // setup (applied as calls before the first event)
  bool management_subscribes = true;      // the management account subscribes to every product
  uint32_t org_grant_products = 0;        // the first N distributable products get an organization grant
  bool org_grants_bulk_active = true;     // ... and it is bulk-activated

  // run
  uint64_t events = 10000;
  uint64_t seed = 1;
  uint64_t full_check_every = 0;          // 0: never
  uint64_t sample_every = 0;              // time-series period; 0: events / 200
  std::array<double, kDrawnKindCount> mix{};  // weights per kind
  double invalid_share = 0.0;             // share of deliberately invalid calls
};

// A problem in the file, with where it is (1-based; 0 when unknown).
struct ConfigError : std::runtime_error {
  ConfigError(std::string file_, int line_, int col_, const std::string& msg)
      : std::runtime_error(msg), file(std::move(file_)), line(line_), col(col_) {}
  std::string file;
  int line;
  int col;
  std::string formatted() const;  // FILE:LINE:COL: error: ...
};

// Throws ConfigError for unreadable files, YAML syntax errors, unknown keys,
// bad values.
SimConfig load_config(const std::string& path);
SimConfig parse_config(const std::string& text, const std::string& path);

}  // namespace entmc::sim
