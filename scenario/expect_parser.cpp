// `expect:` steps: one map (or a list of maps), each about one subject (a
// grant, a license, an account, the delegated administrator) with one or more
// assertions about it.
#include <fmt/format.h>

#include "scenario/parse_context.h"

namespace entmc::scn {
namespace {

GrantStatus grant_status(Context& cx, const YAML::Node& n) {
  std::string s = cx.reader.scalar(n, "status");
  GrantStatus g{};
  if (!parse(s, g)) cx.reader.fail(n, fmt::format("unknown grant status '{}'", s));
  return g;
}

void parse_grant_subject(Context& cx, const yaml::Reader::Entries& entries, std::vector<Expectation>& out) {
  Expectation base;
  for (auto& [k, v] : entries)
    if (k.Scalar() == "grant") {
      base.grant = cx.record(v, AliasKind::Grant);
      base.mark = mark_of(k);
    }
  for (auto& [k, v] : entries)
    if (k.Scalar() == "recipient") {
      if (base.grant.alias.empty()) cx.reader.fail(k, "recipient names the child of an organization grant given by its alias");
      base.grant.recipient = cx.account(v, "recipient");
    }
  for (auto& [k, v] : entries) {
    const std::string key = k.Scalar();
    Expectation e = base;
    e.mark = mark_of(k);
    if (key == "grant" || key == "recipient") continue;
    if (key == "status") {
      e.what = Expectation::What::GrantStatus;
      e.grant_status = grant_status(cx, v);
    } else if (key == "status_reason") {
      e.what = Expectation::What::GrantReason;
      e.text = cx.reader.string(v, "status_reason");
    } else if (key == "version") {
      e.what = Expectation::What::GrantVersion;
      e.number = cx.reader.count(v, "version", 1, 0xFFFFFFFFu);
    } else if (key == "children") {
      if (base.grant.recipient != kNone) cx.reader.fail(k, "children counts belong to the organization grant itself, not a child");
      for (auto& [sk, sv] : cx.reader.map(v, "children (a map of grant status to count)")) {
        Expectation c = base;
        c.mark = mark_of(sk);
        c.what = Expectation::What::ChildCount;
        c.grant_status = grant_status(cx, sk);
        c.number = cx.reader.count(sv, "a child count", 0, 0xFFFFFFFFu);
        out.push_back(c);
      }
      continue;
    } else {
      cx.reader.fail(k, fmt::format("unknown key '{}' in a grant expectation (recipient, status, status_reason, "
                                    "version, children)", key));
    }
    out.push_back(e);
  }
}

void parse_license_subject(Context& cx, const yaml::Reader::Entries& entries, std::vector<Expectation>& out) {
  Expectation base;
  for (auto& [k, v] : entries)
    if (k.Scalar() == "license") base.license = cx.record(v, AliasKind::License);
  for (auto& [k, v] : entries) {
    const std::string key = k.Scalar();
    if (key == "license") continue;
    if (key != "status") cx.reader.fail(k, fmt::format("unknown key '{}' in a license expectation (status)", key));
    Expectation e = base;
    e.mark = mark_of(k);
    e.what = Expectation::What::LicenseStatus;
    std::string s = cx.reader.scalar(v, "status");
    if (!parse(s, e.license_status)) cx.reader.fail(v, fmt::format("unknown license status '{}'", s));
    out.push_back(e);
  }
}

void parse_account_subject(Context& cx, const yaml::Reader::Entries& entries, std::vector<Expectation>& out) {
  Expectation base;
  bool has_product = false;
  for (auto& [k, v] : entries) {
    if (k.Scalar() == "account") base.account = cx.account(v, "account");
    if (k.Scalar() == "product") {
      base.product = cx.product(v);
      has_product = true;
    }
  }
  for (auto& [k, v] : entries) {
    const std::string key = k.Scalar();
    if (key == "account" || key == "product") continue;
    Expectation e = base;
    e.mark = mark_of(k);
    if (key == "running") {
      e.what = Expectation::What::Running;
      e.number = cx.reader.count(v, "running", 0, 255);
    } else if (key == "can_launch") {
      e.what = Expectation::What::CanLaunch;
      e.flag = cx.reader.boolean(v, "can_launch");
    } else if (key == "member") {
      e.what = Expectation::What::Member;
      e.flag = cx.reader.boolean(v, "member");
    } else {
      cx.reader.fail(k, fmt::format("unknown key '{}' in an account expectation (product, running, can_launch, "
                                    "member)", key));
    }
    if (e.what != Expectation::What::Member && !has_product) cx.reader.fail(k, fmt::format("{} needs a product", key));
    out.push_back(e);
  }
}

void parse_one(Context& cx, const YAML::Node& n, std::vector<Expectation>& out) {
  auto entries = cx.reader.map(n, "an expectation");
  bool grant = false, license = false, account = false, admin = false;
  YAML::Node admin_node;
  for (auto& [k, v] : entries) {
    const std::string key = k.Scalar();
    grant |= key == "grant";
    license |= key == "license";
    account |= key == "account";
    if (key == "delegated_admin") {
      admin = true;
      admin_node.reset(v);
    }
  }
  if (int(grant) + int(license) + int(account) + int(admin) != 1)
    cx.reader.fail(n, "an expectation is about exactly one of: grant, license, account, delegated_admin");
  size_t before = out.size();
  if (grant) parse_grant_subject(cx, entries, out);
  if (license) parse_license_subject(cx, entries, out);
  if (account) parse_account_subject(cx, entries, out);
  if (admin) {
    if (entries.size() != 1) cx.reader.fail(n, "delegated_admin stands alone in its expectation");
    Expectation e;
    e.what = Expectation::What::DelegatedAdmin;
    e.mark = mark_of(entries.front().first);
    e.account = admin_node.IsScalar() && admin_node.Scalar() == "none" ? kNone
                                                                      : cx.account(admin_node, "delegated_admin");
    out.push_back(e);
  }
  if (out.size() == before) cx.reader.fail(n, "this expectation asserts nothing");
}

}  // namespace

std::vector<Expectation> parse_expect(Context& cx, const YAML::Node& expect) {
  std::vector<Expectation> out;
  if (expect.IsSequence()) {
    for (const YAML::Node& item : cx.reader.list(expect, "expect")) parse_one(cx, item, out);
    if (out.empty()) cx.reader.fail(expect, "expect: asserts nothing");
  } else {
    parse_one(cx, expect, out);
  }
  return out;
}

}  // namespace entmc::scn
