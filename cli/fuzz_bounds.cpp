#include "cli/fuzz_bounds.h"

#include <fmt/format.h>

#include <string_view>

#include "scenario/yaml_reader.h"

namespace entmc::cli {

FuzzFileBounds read_fuzz_bounds(const Scenario& sc, std::ostream& notes) {
  FuzzFileBounds b;
  if (!sc.root.IsMap()) return b;
  const YAML::Node bounds = sc.root["bounds"];
  if (!bounds || bounds.IsNull()) return b;
  static constexpr std::string_view kKeys[] = {
      "max_steps", "max_members", "wrong_percent", "operations", "callers", "targets", "principals", "regions",
      "products", "statuses", "overrides", "reasons", "names", "client_tokens", "versions", "version_without_status",
      "services", "roles", "integration", "allowed_operations", "max_licenses", "max_grants", "max_running",
      "max_grant_version", "max_depth"};
  const yaml::Reader r(sc.file);
  for (auto& [k, v] : r.map(bounds, "bounds", kKeys)) {
    const std::string key = k.Scalar();
    if (key == "max_steps") {
      b.max_steps = r.count(v, key, 1, kFuzzMaxSteps);
    } else if (key == "max_members") {
      b.max_members = r.count(v, key, 1, kFuzzMaxMembers);
    } else if (key == "wrong_percent") {
      b.wrong_percent = r.count(v, key, 0, kFuzzMaxWrongPercent);
    } else {
      const SourceMark m = mark_of(k);
      notes << fmt::format("{}:{}:{}: note: bounds: {} bounds entmc check's exploration; fuzz does not use it\n",
                           sc.file, m.line, m.column, key);
    }
  }
  return b;
}

}  // namespace entmc::cli
