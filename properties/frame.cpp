#include "properties/frame.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "properties/describe.h"
#include "properties/scratch.h"

namespace entmc::props {

TokenRecord Before::token(TokenId t) const {
  if (t_.before) return t < t_.before->tokens.size() ? t_.before->tokens[t] : TokenRecord{};
  for (const auto& [id, rec] : t_.changes.tokens)
    if (id == t) return rec;  // the first entry per token is its before-image
  return t < t_.after.tokens.size() ? t_.after.tokens[t] : TokenRecord{};
}

Grant& Expected::grant(GrantIx g) {
  if (Grant* x = grants_.find(g)) return *x;
  return grants_.add(g, b_.grant(g));
}
License& Expected::license(LicenseIx l) {
  if (License* x = licenses_.find(l)) return *x;
  return licenses_.add(l, b_.license(l));
}
Account& Expected::account(AccountIx a) {
  if (Account* x = accounts_.find(a)) return *x;
  return accounts_.add(a, b_.account(a));
}

void expect_status(Grant& g, GrantStatus s, StringId reason) {
  g.status = s;
  if (reason != kReasonNone) g.status_reason = reason;
  ++g.version;
}

namespace {

// The record without the World's list links.
Grant content(Grant g) {
  g.next_received = 0;
  g.next_on_license = 0;
  return g;
}
License content(License l) {
  l.first_grant = 0;
  l.next_owned = 0;
  return l;
}
// Are the records of `after` from index `first` on exactly `want`, in the same
// order (content only)? Records equal in the same order are equal as a set:
// most calls create none or one, and an organization-wide call creates its
// children in the order the expectation lists them; only other orders (or a
// difference) need the sort.
template <typename Rec, typename List>
bool same_in_order(const std::vector<Rec>& after, size_t first, const List& want) {
  if (after.size() - first != want.size()) return false;
  for (size_t i = 0; i < want.size(); ++i)
    if (!(content(after[first + i]) == content(want[i]))) return false;
  return true;
}
template <typename T>
bool bytes_less(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) < 0;
}

std::string reason_text(const Names& n, StringId r) {
  if (r == kReasonNone) return "no reason";
  return r < n.string_count() ? fmt::format("reason '{}'", n.string(r)) : fmt::format("reason #{}", r);
}

std::string describe(const Names& n, const Grant& g) {
  return fmt::format("{} version {}, {}{}{}", to_string(g.status), g.version, reason_text(n, g.status_reason),
                     g.flags & kBulkActive ? ", bulk-activated" : "",
                     g.name != 0 && g.name < n.string_count() ? fmt::format(", name '{}'", n.string(g.name)) : "");
}

std::string describe_new(const Names& n, const Grant& g) {
  return fmt::format("a grant on {} from {} to {}{}: {}", n.license_id(g.license), account_name(n, g.grantor),
                     account_name(n, g.grantee),
                     g.is_org_parent() ? " (organization grant)" : g.is_org_child() ? " (organization child)" : "",
                     describe(n, g));
}

std::string describe(const Organization& o, const Names& n) {
  return fmt::format("feature set {}, flags {:#x}, delegated administrator {}", to_string(o.feature_set), o.flags,
                     o.delegated_admin == kNone ? std::string("none") : account_name(n, o.delegated_admin));
}

std::string describe(const Account& a) {
  return fmt::format("{}, flags {:#x}", to_string(a.membership), a.flags);
}

std::string describe(const License& l) {
  return fmt::format("{} owned by #{}, product #{}, {}", to_string(l.status), l.owner, l.product,
                     to_string(l.home_region));
}

}  // namespace

std::optional<std::string> Expected::compare(const Names& n) const {
  const Transition& t = b_.transition();
  const World& after = t.after;
  // The call in words, for a difference only (most calls have none: formatting
  // it up front was a fifth of the explorer's time per successful call).
  auto who = [&] { return fmt::format("{} by {}", to_string(t.call.op), account_name(n, t.call.caller)); };
  if (t.before && (t.before->products != after.products || t.before->accounts.size() != after.accounts.size()))
    return fmt::format("{} changed the products or the number of accounts", who());
  if (after.grants.size() < b_.grant_count() || after.licenses.size() < b_.license_count())
    return fmt::format("{} removed records", who());

  // The organization.
  if (!(after.org == org))
    return fmt::format("{} left the organization with {}; expected {}", who(), describe(after.org, n),
                       describe(org, n));

  // Accounts.
  std::optional<std::string> out;
  if (accounts_.any_of([&](AccountIx a, const Account& want) {
        if (after.accounts[a] == want) return false;
        out = fmt::format("{} left account {} {}; expected {}", who(), account_name(n, a), describe(after.accounts[a]),
                          describe(want));
        return true;
      }))
    return out;
  auto stray_account = [&](AccountIx a, const Account& before) -> std::optional<std::string> {
    if (before == after.accounts[a] || accounts_.contains(a)) return std::nullopt;
    return fmt::format("{} changed account {} ({} -> {}), which it has no business touching", who(),
                       account_name(n, a), describe(before), describe(after.accounts[a]));
  };
  if (!b_.view().same_object()) {
    // Equal arrays hold no stray change: the record-by-record search (which
    // finds the same nothing) runs only where a byte differs.
    if (t.before && !same_bytes(t.before->accounts, after.accounts)) {
      for (AccountIx a = 0; a < after.accounts.size(); ++a)
        if (auto v = stray_account(a, t.before->accounts[a])) return v;
    } else if (!t.before) {
      for (const auto& [a, img] : t.changes.accounts)
        if (auto v = stray_account(a, b_.account(a))) return v;
    }
  }

  // Existing licenses.
  if (licenses_.any_of([&](LicenseIx l, const License& want) {
        if (content(after.licenses[l]) == content(want)) return false;
        out = fmt::format("{} left {} {}; expected {}", who(), license_name(n, after, l), describe(after.licenses[l]),
                          describe(want));
        return true;
      }))
    return out;
  auto stray_license = [&](LicenseIx l, const License& before) -> std::optional<std::string> {
    if (content(before) == content(after.licenses[l]) || licenses_.contains(l)) return std::nullopt;
    return fmt::format("{} changed {} ({} -> {}), which it has no business touching", who(), license_name(n, after, l),
                       describe(before), describe(after.licenses[l]));
  };
  if (!b_.view().same_object()) {
    if (t.before && !same_bytes(t.before->licenses, after.licenses)) {
      for (LicenseIx l = 0; l < b_.license_count(); ++l)
        if (auto v = stray_license(l, t.before->licenses[l])) return v;
    } else if (!t.before) {
      for (const auto& [l, img] : t.changes.licenses)
        if (auto v = stray_license(l, b_.license(l))) return v;
    }
  }
  // New licenses, as a set (sorted, in recycled buffers, unless equal in order).
  if (!same_in_order(after.licenses, b_.license_count(), new_licenses)) {
    Scratch<License> got_s, want_s;  // recycled buffers: no allocation per call
    auto& got = got_s.v;
    auto& want = want_s.v;
    for (LicenseIx l = LicenseIx(b_.license_count()); l < after.licenses.size(); ++l)
      got.push_back(content(after.licenses[l]));
    for (const License& l : new_licenses) want.push_back(content(l));
    std::sort(got.begin(), got.end(), bytes_less<License>);
    std::sort(want.begin(), want.end(), bytes_less<License>);
    if (got != want) {
      if (got.size() != want.size())
        return fmt::format("{} created {} license(s); expected {}", who(), got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i)
        if (!(got[i] == want[i]))
          return fmt::format("{} created a license {}; expected {}", who(), describe(got[i]), describe(want[i]));
    }
  }

  // Existing grants, then new grants (as a set). The new grants are those
  // from the count before the call on, the ones for_each_changed_grant
  // passes without a before-image.
  b_.view().for_each_changed_grant([&](GrantIx g, const Grant* before, const Grant& now) {
    if (out || !before) return;
    if (content(*before) == content(now) || grants_.contains(g)) return;
    out = fmt::format("{} changed {} ({} -> {}), which it has no business touching", who(), grant_name(n, after, g),
                      describe(n, *before), describe(n, now));
  });
  if (out) return out;
  if (grants_.any_of([&](GrantIx g, const Grant& want) {
        if (content(after.grants[g]) == content(want)) return false;
        out = fmt::format("{} left {} {}; expected {}", who(), grant_name(n, after, g), describe(n, after.grants[g]),
                          describe(n, want));
        return true;
      }))
    return out;
  const size_t first_new_grant = b_.grant_count();
  if (!same_in_order(after.grants, first_new_grant, new_grants)) {  // as for licenses
    Scratch<Grant> got_new_s, want_s;
    auto& got_new = got_new_s.v;
    auto& want = want_s.v;
    for (size_t g = first_new_grant; g < after.grants.size(); ++g) got_new.push_back(content(after.grants[g]));
    for (const Grant& g : new_grants) want.push_back(content(g));
    std::sort(got_new.begin(), got_new.end(), bytes_less<Grant>);
    std::sort(want.begin(), want.end(), bytes_less<Grant>);
    if (got_new != want) {
      for (const Grant& g : got_new)
        if (!std::binary_search(want.begin(), want.end(), g, bytes_less<Grant>))
          return fmt::format("{} created {}, which it should not", who(), describe_new(n, g));
      for (const Grant& g : want)
        if (!std::binary_search(got_new.begin(), got_new.end(), g, bytes_less<Grant>))
          return fmt::format("{} did not create {}", who(), describe_new(n, g));
      return fmt::format("{} created {} grants; expected {}", who(), got_new.size(), want.size());
    }
  }

  // The organization-grant index: the new organization grants appended, in order.
  {
    const size_t before_size = t.before ? t.before->org_grants.size()
                                        : size_t(std::count_if(after.org_grants.begin(), after.org_grants.end(),
                                                               [&](GrantIx g) { return g < b_.grant_count(); }));
    bool ok = after.org_grants.size() == before_size + new_org_grants.size() &&
              std::equal(new_org_grants.begin(), new_org_grants.end(), after.org_grants.begin() + long(before_size));
    if (ok && t.before) ok = std::equal(t.before->org_grants.begin(), t.before->org_grants.end(), after.org_grants.begin());
    if (!ok) return fmt::format("{} changed the list of grants to the organization ID wrongly", who());
  }

  // Running workloads.
  for (const WorkloadChange& w : running_)
    if (after.running_at(w.account, w.product) != w.before)
      return fmt::format("{} left {} running {} workload(s) of {}; expected {}", who(), account_name(n, w.account),
                         after.running_at(w.account, w.product), product_name(n, w.product), w.before);
  b_.view().for_each_changed_workload([&](AccountIx a, ProductIx p, uint8_t was, uint8_t now) {
    if (out) return;
    for (const WorkloadChange& w : running_)
      if (w.account == a && w.product == p) return;
    out = fmt::format("{} changed the running workloads of {} for {} ({} -> {}), which it has no business touching",
                      who(), account_name(n, a), product_name(n, p), was, now);
  });
  if (out) return out;

  // Client tokens.
  auto token_after = [&](TokenId id) { return id < after.tokens.size() ? after.tokens[id] : TokenRecord{}; };
  for (const auto& [id, want] : tokens_)
    if (!(token_after(id) == want))
      return fmt::format("{} left client token '{}' wrong (grant #{} version {}; expected #{} version {})", who(),
                         id < n.token_count() + 1 ? n.token(id) : std::string("?"), token_after(id).grant,
                         token_after(id).version, want.grant, want.version);
  auto stray_token = [&](TokenId id) -> std::optional<std::string> {
    if (b_.token(id) == token_after(id)) return std::nullopt;
    for (const auto& e : tokens_)
      if (e.first == id) return std::nullopt;
    return fmt::format("{} changed a client token it was not given", who());
  };
  if (!b_.view().same_object()) {
    if (t.before && !same_bytes(t.before->tokens, after.tokens)) {
      const size_t m = std::max(t.before->tokens.size(), after.tokens.size());
      for (size_t id = 0; id < m; ++id)
        if (auto v = stray_token(TokenId(id))) return v;
    } else if (!t.before) {
      for (const auto& [id, rec] : t.changes.tokens)
        if (auto v = stray_token(id)) return v;
    }
  }
  return std::nullopt;
}

std::optional<std::string> frame_check(const Transition& t, const Names& n, uint32_t ops, ExpectFn expect) {
  if (!t.outcome.ok() || !(ops & op_bit(t.call.op))) return std::nullopt;
  const Before b(t);
  Expected e(b);
  expect(b, e);
  if (!e.refused.empty())
    return fmt::format("{} by {} succeeded, but {}", to_string(t.call.op), account_name(n, t.call.caller), e.refused);
  const uint32_t got = t.outcome.created;
  bool created_ok = true;
  switch (e.created_is) {
    case Expected::Created::Unchecked: break;
    case Expected::Created::NewLicense: created_ok = got >= b.license_count() && got < t.after.licenses.size(); break;
    case Expected::Created::NewGrant: created_ok = got >= b.grant_count() && got < t.after.grants.size(); break;
    case Expected::Created::Exactly: created_ok = got == e.created; break;
  }
  if (!created_ok)
    return fmt::format("{} by {} reported {} as the record it created or returned", to_string(t.call.op),
                       account_name(n, t.call.caller), got == kNone ? std::string("nothing") : fmt::format("#{}", got));
  return e.compare(n);
}

bool other_active_license(const Before& b, const Expected& e, AccountIx a, ProductIx p, GrantIx except) {
  if (own_available_subscription(b, a, p)) return true;
  auto active = [&](const Grant& g) {
    return g.status == GrantStatus::ACTIVE && b.license(g.license).status == LicenseStatus::AVAILABLE;
  };
  bool found = false;
  b.received_for(a, p, [&](GrantIx g) {
    if (g == except) return false;
    const Grant* x = e.expected_grant(g);
    return found = active(x ? *x : b.grant(g));  // the walk stops at the first
  });
  for (const Grant& g : e.new_grants)
    found |= g.grantee == a && b.product_of(g) == p && active(g);
  return found;
}

StringId expect_activation(const Before& b, Expected& e, Grant& target, GrantIx g, ActivationOverride ov,
                           StringId reason, bool member_after) {
  const License& lic = b.license(target.license);
  const AccountIx a = target.grantee;
  if (lic.status != LicenseStatus::AVAILABLE) return kReasonActivationFailedLicenseUnavailable;
  if (target.is_org_child() && (!member_after || !is_admin(b.org(), target.grantor)))
    return kReasonActivationFailedLicenseUnavailable;
  // "Pre-requisite Permissions": the recipient needs the Marketplace role to receive the license.
  if (!b.marketplace_role(a, member_after)) return kReasonActivationFailedLicenseUnavailable;
  const bool others = other_active_license(b, e, a, lic.product, g);
  if (others && (ov != ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER || own_available_subscription(b, a, lic.product)))
    return kReasonActivationFailedActiveLicense;
  if (ov == ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER) {
    // The override replaces every other active grant of the recipient for the product.
    std::vector<GrantIx> replaced;
    b.received_for(a, lic.product, [&](GrantIx o) {
      if (o == g) return;
      const Grant* x = e.expected_grant(o);
      const Grant& now = x ? *x : b.grant(o);
      if (now.status == GrantStatus::ACTIVE && b.license(now.license).status == LicenseStatus::AVAILABLE)
        replaced.push_back(o);
    });
    for (GrantIx o : replaced) expect_status(e.grant(o), GrantStatus::DISABLED, kReasonReplacedByOverride);
  }
  expect_status(target, GrantStatus::ACTIVE, reason);
  return kReasonNone;
}

}  // namespace entmc::props
