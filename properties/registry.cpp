// The fixed list of properties and the convenience checkers.
#include <array>

#include "properties/catalog.h"

namespace entmc {

std::string_view to_string(PropertyKind k) {
  static constexpr std::array<std::string_view, 3> kNames{"always", "transition", "sometimes"};
  return kNames[static_cast<size_t>(k)];
}

const std::vector<Property>& all_properties() {
  using namespace props;
  static const std::vector<Property> all{
      terminal_grant_states(),
      workloads_survive_license_actions(),
      launch_requires_entitlement(),
      one_active_license_per_product(),
      one_active_license_per_product_transition(),
      delegated_admin_grants_not_transferable(),
      delegated_admin_grants_not_transferable_transition(),
      deregistered_admin_org_grants_disabled(),
      org_grant_covers_members(),
      consumption_rights_only(),
      saas_not_distributable(),
      deleted_license_has_no_active_grant(),
      org_grants_need_all_features(),
      org_grants_need_all_features_transition(),
      failed_call_changes_nothing(),
      grant_version_monotonic(),
      home_region_only(),
      home_region_only_transition(),
      govcloud_mirrors_commercial(),
      govcloud_mirrors_commercial_transition(),
      frame_license_calls(),
      frame_grant_calls(),
      frame_organization_calls(),
      frame_workload_calls(),
      birth_states(),
      recipient_role_held(),
      call_preconditions(),
      refusal_reasons(),
      cover_grant_active(),
      cover_org_grant_workflow_completed(),
      cover_workload_outlives_entitlement(),
      cover_delegated_admin_replaced(),
      cover_child_activation_blocked(),
  };
  return all;
}

const Property* find_property(std::string_view name) {
  for (const Property& p : all_properties())
    if (p.name == name) return &p;
  return nullptr;
}

const Property* find_property(std::string_view name, PropertyKind kind) {
  for (const Property& p : all_properties())
    if (p.name == name && p.kind == kind) return &p;
  return nullptr;
}

void check_state(const World& w, const Names& n, std::vector<Violation>& out) {
  for (const Property& p : all_properties())
    if (p.kind == PropertyKind::Always && p.check_state)
      if (auto v = p.check_state(w, n)) out.push_back({std::string(p.name), std::move(*v)});
}

void check_local(const World& w, const Changes& ch, const Names& n, std::vector<Violation>& out) {
  const LocalCheckScope shared;
  for (const Property& p : all_properties()) {
    if (p.kind != PropertyKind::Always) continue;
    auto v = p.check_local ? p.check_local(w, ch, n) : p.check_state ? p.check_state(w, n) : std::nullopt;
    if (v) out.push_back({std::string(p.name), std::move(*v)});
  }
}

void check_transition(const Transition& t, const Names& n, std::vector<Violation>& out) {
  for (const Property& p : all_properties())
    if (p.kind == PropertyKind::Transition && p.check_transition)
      if (auto v = p.check_transition(t, n)) out.push_back({std::string(p.name), std::move(*v)});
}

}  // namespace entmc
