// Internal to properties/: one factory per property, defined in the file that
// implements it, listed in a fixed order by registry.cpp.
#pragma once

#include "properties/property.h"

namespace entmc::props {

Property terminal_grant_states();               // grant_states.cpp
Property grant_version_monotonic();             // grant_states.cpp
Property workloads_survive_license_actions();   // workloads.cpp
Property launch_requires_entitlement();         // workloads.cpp
Property one_active_license_per_product();
Property one_active_license_per_product_transition();      // one_active_license.cpp
Property delegated_admin_grants_not_transferable();
Property delegated_admin_grants_not_transferable_transition();  // delegated_admin.cpp
Property deregistered_admin_org_grants_disabled();   // delegated_admin.cpp
Property org_grant_covers_members();            // org_grants.cpp
Property org_grants_need_all_features();
Property org_grants_need_all_features_transition();        // org_grants.cpp
Property consumption_rights_only();             // license_use.cpp
Property saas_not_distributable();              // license_use.cpp
Property deleted_license_has_no_active_grant(); // license_use.cpp
Property failed_call_changes_nothing();         // failed_call.cpp
Property home_region_only();
Property home_region_only_transition();                    // regions.cpp
Property govcloud_mirrors_commercial();
Property govcloud_mirrors_commercial_transition();         // regions.cpp
// Frame conditions: the whole effect of each successful call (frame_*.cpp).
Property frame_license_calls();
Property frame_grant_calls();
Property frame_organization_calls();
Property frame_workload_calls();
Property birth_states();  // birth.cpp
Property recipient_role_held();      // recipient_role.cpp
Property call_preconditions();       // preconditions.cpp
Property refusal_reasons();          // refusal_reasons.cpp
// Cover properties (cover.cpp).
Property cover_grant_active();
Property cover_org_grant_workflow_completed();
Property cover_workload_outlives_entitlement();
Property cover_delegated_admin_replaced();
Property cover_child_activation_blocked();

}  // namespace entmc::props
