// Birth rules: the status, version and status reason every new record starts
// with, and when a grant is auto-accepted. Independent of the frame
// conditions (frame_*.cpp), which state the same births as part of a call's
// whole effect: these read only the new records and the few facts before the
// call that decide their start (the organization's settings, the
// recipient's membership, the parent's bulk activation).
#include <fmt/format.h>

#include "properties/before_view.h"
#include "properties/catalog.h"
#include "properties/describe.h"

namespace entmc::props {
namespace {

std::string start(const Names& n, const Grant& g) {
  return fmt::format("{} version {}{}", to_string(g.status), g.version,
                     g.status_reason == kReasonNone ? std::string()
                     : g.status_reason < n.string_count() ? fmt::format(" reason '{}'", n.string(g.status_reason))
                                                          : fmt::format(" reason #{}", g.status_reason));
}

bool fresh(const Grant& g, GrantStatus s) {
  return g.status == s && g.version == 1 && g.status_reason == kReasonNone;
}

std::optional<std::string> births(const Transition& t, const Names& n) {
  if (!t.outcome.ok()) return std::nullopt;
  const Call& c = t.call;
  const World& w = t.after;
  const BeforeView view(t);
  const size_t licenses_before = t.before ? t.before->licenses.size() : size_t(t.changes.licenses_before);
  // Seeds "Terminology", "License Home Region": a subscription is an
  // AVAILABLE license of the subscriber in us-east-1.
  for (LicenseIx l = LicenseIx(licenses_before); l < w.licenses.size(); ++l) {
    const License& lic = w.licenses[l];
    if (lic.status != LicenseStatus::AVAILABLE || lic.home_region != kHomeRegion || lic.owner != c.caller ||
        c.op != Op::Subscribe)
      return fmt::format("{} by {} created {} in {} ({}), not an AVAILABLE us-east-1 subscription of the caller",
                         to_string(c.op), account_name(n, c.caller), license_name(n, w, l), to_string(lic.status),
                         to_string(lic.home_region));
  }
  const Organization& org = view.org();
  auto member_before = [&](AccountIx a) {
    const Account* acc = a == kNone ? nullptr : view.account(a);
    return acc && acc->membership != Membership::OUTSIDE;
  };
  for (GrantIx g = GrantIx(view.grant_count()); g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    auto wrong = [&](std::string_view should) {
      return fmt::format("{} by {} created {} as {}; {}", to_string(c.op), account_name(n, c.caller),
                         grant_name(n, w, g), start(n, gr), should);
    };
    if (c.op == Op::CreateGrant && gr.is_org_parent()) {
      // Seed "Creating Grants to an AWS Organizations ID": the organization
      // grant shows Disabled until it is activated.
      if (!fresh(gr, GrantStatus::DISABLED) || gr.flags != kOrgParent)
        return wrong("an organization grant starts DISABLED at version 1, not bulk-activated");
    } else if (c.op == Op::CreateGrant && gr.is_org_child()) {
      // Same seed: "automatically accepted across member accounts".
      if (!fresh(gr, GrantStatus::DISABLED)) return wrong("a child starts auto-accepted: DISABLED at version 1");
    } else if (c.op == Op::CreateGrant) {
      // Seed "Grant Acceptance": auto-accepted (DISABLED) in an all-features
      // organization with 'Link AWS Organizations accounts' on, from the
      // management account or the delegated administrator to a member
      // account; otherwise the recipient accepts (PENDING_ACCEPT).
      const bool auto_accept = org.feature_set == FeatureSet::ALL && (org.flags & kLinkedAccounts) &&
                               is_admin(org, gr.grantor) && member_before(gr.grantee);
      const GrantStatus s = auto_accept ? GrantStatus::DISABLED : GrantStatus::PENDING_ACCEPT;
      if (!fresh(gr, s) || gr.flags != 0)
        return wrong(auto_accept ? "auto-accepted: it starts DISABLED at version 1"
                                 : "not auto-accepted: it starts PENDING_ACCEPT at version 1");
    } else if (c.op == Op::AcceptHandshake && gr.is_org_child() && gr.grantee == c.caller) {
      // Seed "Keeping track of grants to accounts in your organization": a
      // joiner receives an auto-accepted child, activated at once when the
      // organization grant was bulk-activated (one more version), or left
      // DISABLED with a reason saying why it could not be.
      const Grant* parent = view.grant(gr.parent);
      const bool bulk = parent && (parent->flags & kBulkActive);
      const bool ok = !bulk ? fresh(gr, GrantStatus::DISABLED)
                            : gr.version == 2 &&
                                  ((gr.status == GrantStatus::ACTIVE && gr.status_reason == kReasonNone) ||
                                   (gr.status == GrantStatus::DISABLED &&
                                    (gr.status_reason == kReasonActivationFailedActiveLicense ||
                                     gr.status_reason == kReasonActivationFailedLicenseUnavailable)));
      if (!ok || gr.flags != 0)
        return wrong(bulk ? "a joiner's child of a bulk-activated grant starts ACTIVE at version 2, or DISABLED "
                            "at version 2 with an activation-failed reason"
                          : "a joiner's child starts auto-accepted: DISABLED at version 1");
    } else {
      return wrong("no such call creates a grant");
    }
  }
  return std::nullopt;
}

}  // namespace

Property birth_states() {
  return {.name = "birth-states",
          .statement = "A new license is an AVAILABLE us-east-1 subscription of the caller; a new grant to an "
                       "account starts at version 1 with no reason, DISABLED when auto-accepted (all features, "
                       "linking on, from an administrator to a member) else PENDING_ACCEPT; an organization grant "
                       "and its children start DISABLED at version 1; a joiner's child of a bulk-activated grant "
                       "starts ACTIVE (version 2) or DISABLED with an activation-failed reason (version 2).",
          .seed = "Terminology; License Home Region; Grant Acceptance; Creating Grants to an AWS Organizations ID; "
                  "Keeping track of grants to accounts in your organization",
          .kind = PropertyKind::Transition,
          .check_transition = births,
          .holds_on_failed_noop = true,
          .breaks_on = kLicenseChange | kGrantCreated,
          .judges_ops = kEveryOp,
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
