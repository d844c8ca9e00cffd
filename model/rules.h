// Internal to model/: the per-operation rules and the few mutation helpers
// they share. Every rule first checks (returning a failure with no change),
// then mutates through these helpers, which log before-images into Changes.
#pragma once

#include "model/call.h"
#include "model/changes_log.h"
#include "model/entitlement.h"
#include "model/errors.h"
#include "model/world.h"

namespace entmc::rules {

// subscriptions.cpp
Outcome subscribe(World&, const Call&, Changes*);
Outcome cancel_subscription(World&, const Call&, Changes*);
Outcome issuer_license_event(World&, const Call&, Changes*);  // DeactivateLicense, ExpireLicense

// grant_lifecycle.cpp
Outcome create_grant(World&, const Call&, Changes*);
Outcome accept_grant(World&, const Call&, Changes*);
Outcome reject_grant(World&, const Call&, Changes*);
Outcome accept_and_activate_grant(World&, const Call&, Changes*);
Outcome create_grant_version(World&, const Call&, Changes*);
Outcome delete_grant(World&, const Call&, Changes*);

// activation.cpp: the one-active-license rule, shared by every way a grant becomes ACTIVE.
Reason activation_blocker(const World&, GrantIx, ActivationOverride);
void activate(World&, Changes*, GrantIx, ActivationOverride, StringId reason);

// org_grants.cpp: distribution to the organization ID.
Outcome create_org_grant(World&, const Call&, Changes*);
void bulk_set_status(World&, Changes*, GrantIx parent, GrantStatus, ActivationOverride, StringId reason);
void on_account_joined(World&, Changes*, AccountIx);
void on_account_left(World&, Changes*, AccountIx);
void on_admin_deregistered(World&, Changes*, AccountIx former);

// prerequisites.cpp
Outcome enable_service_access(World&, const Call&, Changes*);
Outcome create_service_linked_role(World&, const Call&, Changes*);
Outcome update_service_settings(World&, const Call&, Changes*);
Outcome enable_all_features(World&, const Call&, Changes*);

// organization.cpp
Outcome invite_account(World&, const Call&, Changes*);
Outcome accept_handshake(World&, const Call&, Changes*);
Outcome remove_account(World&, const Call&, Changes*);  // RemoveAccountFromOrganization, LeaveOrganization
Outcome register_delegated_admin(World&, const Call&, Changes*);
Outcome deregister_delegated_admin(World&, const Call&, Changes*);

// workloads.cpp
Outcome launch_workload(World&, const Call&, Changes*);
Outcome stop_workload(World&, const Call&, Changes*);

}  // namespace entmc::rules
