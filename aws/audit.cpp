// The auditor (audit.h): reorder window -> interpret -> apply -> compare -> check.
#include "aws/audit.h"

#include <fmt/format.h>

#include <deque>
#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "aws/arn.h"
#include "model/apply.h"
#include "model/changes_log.h"
#include "model/entitlement.h"
#include "properties/property.h"
#include "scenario/scenario_run.h"
#include "scenario/scenario_writer.h"

namespace entmc::aws {

std::string_view to_string(Finding::Kind k) {
  switch (k) {
    case Finding::Kind::Violation: return "violation";
    case Finding::Kind::Divergence: return "divergence";
    case Finding::Kind::Uninterpretable: return "uninterpretable";
  }
  return "?";
}

namespace {

using nlohmann::json;

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// A member of requestParameters / responseElements, case-insensitively
// (aws-api-facts.md: the casing is not documented per operation).
const json* member(const json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& k = it.key();
    if (k.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < k.size() && same; ++i) same = lower(k[i]) == lower(name[i]);
    if (same) return it->is_null() ? nullptr : &*it;
  }
  return nullptr;
}
std::string text(const json& obj, std::string_view name) {
  const json* v = member(obj, name);
  if (!v) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return "";
}
// responseElements of License Manager calls sometimes nest the grant.
std::string response_text(const json& resp, std::string_view name) {
  std::string s = text(resp, name);
  if (s.empty())
    if (const json* g = member(resp, "grant")) s = text(*g, name);
  return s;
}

struct Interpreted {
  std::vector<Call> calls;  // usually one; RunInstances launches one per instance
  std::string unreadable;   // why the event cannot be interpreted (when non-empty)
  bool skip = false;        // not a modelled operation (or not one entmc audits)
  std::string grant_id;     // the grant the event names (for binding / comparing)
  std::vector<std::string> instance_ids;  // RunInstances
};

// The operations entmc models, by CloudTrail eventSource and eventName.
bool modelled_name(const std::string& source, const std::string& name) {
  static const std::unordered_set<std::string> kNames = {
      "license-manager.amazonaws.com CreateGrant", "license-manager.amazonaws.com CreateGrantVersion",
      "license-manager.amazonaws.com AcceptGrant", "license-manager.amazonaws.com RejectGrant",
      "license-manager.amazonaws.com DeleteGrant", "license-manager.amazonaws.com UpdateServiceSettings",
      "organizations.amazonaws.com EnableAWSServiceAccess", "organizations.amazonaws.com EnableAllFeatures",
      "organizations.amazonaws.com InviteAccountToOrganization", "organizations.amazonaws.com AcceptHandshake",
      "organizations.amazonaws.com RemoveAccountFromOrganization", "organizations.amazonaws.com LeaveOrganization",
      "organizations.amazonaws.com RegisterDelegatedAdministrator",
      "organizations.amazonaws.com DeregisterDelegatedAdministrator", "iam.amazonaws.com CreateServiceLinkedRole"};
  return kNames.count(source + " " + name) != 0;
}

// The reorder window: the events wait in slots of a pool (reused, so their
// strings keep their buffers) and the heap orders small keys, not ~400-byte
// events (moving whole events in the heap cost 6,000 instructions a record).
struct Ordered {
  int64_t seconds;
  const std::string* event_id;  // in the pool slot, which does not move while queued
  uint32_t slot;
  bool operator>(const Ordered& o) const {
    return seconds != o.seconds ? seconds > o.seconds : *event_id > *o.event_id;
  }
};

}  // namespace

struct Auditor::Impl {
  const Scenario& sc;
  AuditOptions opt;
  Names names;
  World world;
  Changes changes;
  std::vector<Finding> findings;
  AuditStats stats;
  std::priority_queue<Ordered, std::vector<Ordered>, std::greater<>> window;
  std::deque<TrailEvent> pool;   // the window's events (a deque: slots never move)
  std::vector<uint32_t> free_slots;
  int64_t newest = INT64_MIN, released = INT64_MIN;
  std::unordered_map<std::string, AccountIx> accounts;
  std::unordered_map<std::string, GrantIx> grants;      // real grant ID -> index
  std::unordered_map<std::string, LicenseIx> licenses;  // real license ID -> index
  std::unordered_map<std::string, std::pair<AccountIx, ProductIx>> instances;
  std::unordered_map<std::string, ProductIx> amis;
  std::vector<bool> always_broken;  // per property: reported and not yet holding again
  std::vector<const Property*> always, transition;

  Impl(const Scenario& s, AuditOptions o) : sc(s), opt(std::move(o)), names(s.names), world(s.initial) {
    for (AccountIx a = 0; a < names.accounts.size(); ++a) accounts[names.accounts[a]] = a;
    for (LicenseIx l = 0; l < world.licenses.size(); ++l) licenses[names.license_id(l)] = l;
    for (GrantIx g = 0; g < world.grants.size(); ++g) grants[names.grant_id(g)] = g;
    for (const auto& [ami, product] : opt.amis)
      if (auto p = names.find_product(product)) amis[ami] = *p;
    for (const Property& p : all_properties()) {
      if (p.kind == PropertyKind::Always) always.push_back(&p);
      if (p.kind == PropertyKind::Transition) transition.push_back(&p);
    }
    always_broken.assign(always.size(), false);
    // The start state itself.
    for (size_t i = 0; i < always.size(); ++i)
      if (auto v = always[i]->check_state(world, names)) {
        always_broken[i] = true;
        TrailEvent start;
        start.event_id = "(start state)";
        add_finding(Finding::Kind::Violation, std::string(always[i]->name), *v, start, nullptr);
      }
  }

  void add_finding(Finding::Kind kind, std::string what, std::string detail, const TrailEvent& e, const Call* call,
                   const World* before = nullptr) {
    ++stats.findings;
    if (findings.size() >= opt.max_findings) return;
    Finding f;
    f.kind = kind;
    f.what = std::move(what);
    f.detail = std::move(detail);
    f.event_id = e.event_id;
    f.event_time = e.event_time;
    f.event_name = e.event_name;
    f.account = e.account;
    f.region = e.region;
    f.file = e.file;
    f.ordinal = e.ordinal;
    if (call) {
      try {
        ScenarioText t;
        t.name = fmt::format("audit {} {}", to_string(kind), e.event_id);
        t.description = fmt::format("{} at CloudTrail event {} ({} {} by {} in {}): {}", f.what, e.event_id,
                                    e.event_time, e.event_name, e.account, e.region, f.detail);
        t.final_comment = "The start section is the audited state just before the event; the step is its call.";
        f.scenario = write_scenario(names, before ? *before : world, {*call}, t);
      } catch (const std::exception& ex) {
        f.detail += fmt::format(" (no scenario: {})", ex.what());
      }
    }
    findings.push_back(std::move(f));
  }

  void add(TrailEvent&& e) {
    ++stats.records;
    if (e.seconds < 0) {
      add_finding(Finding::Kind::Uninterpretable, "uninterpretable",
                  fmt::format("unreadable eventTime '{}' (record {} of {})", e.event_time, e.ordinal, e.file), e, nullptr);
      return;
    }
    if (e.seconds < released) {
      add_finding(Finding::Kind::Uninterpretable, "uninterpretable",
                  fmt::format("arrived after events {} s later had been audited: outside the reorder window of {} s "
                              "(--reorder-window)",
                              released - e.seconds, opt.reorder_window_s),
                  e, nullptr);
      return;
    }
    newest = std::max(newest, e.seconds);
    uint32_t slot;
    if (free_slots.empty()) {
      slot = uint32_t(pool.size());
      pool.push_back(std::move(e));
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
      pool[slot] = std::move(e);
    }
    window.push(Ordered{pool[slot].seconds, &pool[slot].event_id, slot});
    while (!window.empty() && window.top().seconds < newest - opt.reorder_window_s) release();
  }

  void finish() {
    while (!window.empty()) release();
  }

  void release() {
    const uint32_t slot = window.top().slot;
    window.pop();
    const TrailEvent& e = pool[slot];
    released = std::max(released, e.seconds);
    audit(e);
    free_slots.push_back(slot);
  }

  // --- interpretation ---------------------------------------------------

  std::optional<AccountIx> account(const std::string& id) const {
    auto it = accounts.find(id);
    if (it == accounts.end()) return std::nullopt;
    return it->second;
  }

  // The grant an ARN names. An organization grant's children get real IDs
  // that the start state may not hold (they were created by a call the audit
  // replayed): the one child of `caller` that has no real ID yet is it.
  std::optional<GrantIx> grant(const std::string& arn, AccountIx caller, std::string& why) {
    auto a = parse_arn(arn);
    if (!a || a->kind != ArnKind::Grant) {
      why = fmt::format("unreadable grant ARN '{}'", arn);
      return std::nullopt;
    }
    if (auto it = grants.find(a->id); it != grants.end()) return it->second;
    GrantIx found = kNone;
    int candidates = 0;
    for (GrantIx g = 0; g < world.grants.size(); ++g) {
      const Grant& gr = world.grants[g];
      bool unbound = g >= names.given_grant_ids.size() || names.given_grant_ids[g].empty();
      if (unbound && gr.grantee == caller && gr.is_org_child()) found = g, ++candidates;
    }
    if (candidates == 1) {
      bind_grant(found, a->id);
      return found;
    }
    why = fmt::format("grant {} is neither in the start state nor created by an audited event{}", a->id,
                      candidates > 1 ? fmt::format(" ({} organization children of {} could be it)", candidates,
                                                   names.account(caller))
                                     : "");
    return std::nullopt;
  }
  void bind_grant(GrantIx g, const std::string& id) {
    if (names.given_grant_ids.size() <= g) names.given_grant_ids.resize(g + 1);
    names.given_grant_ids[g] = id;
    grants[id] = g;
  }

  static bool service_of(const std::string& s, Service& out) {
    if (s == "license-manager.amazonaws.com") out = Service::LicenseManager;
    else if (s == "license-management.marketplace.amazonaws.com") out = Service::Marketplace;
    else if (s == "license-manager-master-account.amazonaws.com") out = Service::LicenseManagerMaster;
    else return false;
    return true;
  }

  Interpreted interpret(const TrailEvent& e, AccountIx caller, Region region) {
    Interpreted r;
    Call c;
    c.caller = caller;
    c.region = region;
    const json& req = e.request;
    const std::string& n = e.event_name;
    auto need_grant = [&]() -> bool {
      std::string arn = text(req, "grantArn");
      if (arn.empty()) {
        r.unreadable = "requestParameters has no grantArn";
        return false;
      }
      std::string why;
      auto g = grant(arn, caller, why);
      if (!g) {
        r.unreadable = why;
        return false;
      }
      c.grant = *g;
      r.grant_id = parse_arn(arn)->id;
      return true;
    };
    auto intern = [&](const std::string& s) -> StringId { return s.empty() ? 0 : names.intern_string(s); };
    if (e.event_source == "license-manager.amazonaws.com") {
      if (n == "CreateGrant") {
        c.op = Op::CreateGrant;
        std::string lic = text(req, "licenseArn");
        auto la = parse_arn(lic);
        auto it = la ? licenses.find(la->id) : licenses.end();
        if (it == licenses.end()) {
          r.unreadable = fmt::format("license '{}' is not in the start state", lic);
          return r;
        }
        c.license = it->second;
        const json* principals = member(req, "principals");
        std::string p = principals && principals->is_array() && !principals->empty() && (*principals)[0].is_string()
                            ? (*principals)[0].get<std::string>()
                            : text(req, "principals");
        auto pa = parse_arn(p);
        if (!pa) {
          r.unreadable = fmt::format("unreadable principal '{}'", p);
          return r;
        }
        if (pa->kind == ArnKind::Organization) {
          c.to_org = true;
        } else if (pa->kind == ArnKind::Account) {
          auto a = account(pa->account);
          if (!a) {
            r.unreadable = fmt::format("principal account {} is not in the start state", pa->account);
            return r;
          }
          c.account = *a;
        } else {
          r.unreadable = "a grant to an organizational unit (not modelled)";
          return r;
        }
        c.name = intern(text(req, "grantName"));
        if (const json* ops = member(req, "allowedOperations"); ops && ops->is_array())
          for (const json& o : *ops)
            for (auto [bit, name] : kAllowedOpNames)
              if (o.is_string() && o.get<std::string>() == name) c.allowed_ops |= bit;
      } else if (n == "AcceptGrant" || n == "RejectGrant") {
        c.op = n == "AcceptGrant" ? Op::AcceptGrant : Op::RejectGrant;
        if (!need_grant()) return r;
      } else if (n == "DeleteGrant") {
        c.op = Op::DeleteGrant;
        if (!need_grant()) return r;
        std::string v = text(req, "version");
        c.version = v.empty() ? world.grants[c.grant].version : uint32_t(std::strtoul(v.c_str(), nullptr, 10));
        c.reason = intern(text(req, "statusReason"));
      } else if (n == "CreateGrantVersion") {
        c.op = Op::CreateGrantVersion;
        if (!need_grant()) return r;
        if (std::string s = text(req, "status"); !s.empty()) {
          if (!parse(s, c.status)) {
            r.unreadable = fmt::format("unknown status '{}'", s);
            return r;
          }
          c.has_status = true;
        }
        c.reason = intern(text(req, "statusReason"));
        c.name = intern(text(req, "grantName"));
        if (std::string v = text(req, "sourceVersion"); !v.empty()) c.version = uint32_t(std::strtoul(v.c_str(), nullptr, 10));
        if (const json* o = member(req, "options"))
          if (std::string b = text(*o, "activationOverrideBehavior"); !b.empty() && !parse(b, c.override_behavior)) {
            r.unreadable = fmt::format("unknown ActivationOverrideBehavior '{}'", b);
            return r;
          }
      } else if (n == "UpdateServiceSettings") {
        c.op = Op::UpdateServiceSettings;
        const json* oc = member(req, "organizationConfiguration");
        const json* en = oc ? member(*oc, "enableIntegration") : nullptr;
        if (!en) {
          r.skip = true;  // settings the model does not hold (S3 bucket, SNS topic, discovery)
          return r;
        }
        c.enable = en->is_boolean() ? en->get<bool>() : (en->is_string() && en->get<std::string>() == "true");
      } else {
        r.skip = true;
        return r;
      }
    } else if (e.event_source == "organizations.amazonaws.com") {
      auto target = [&](std::string_view key) -> bool {
        std::string id = text(req, key);
        auto a = account(id);
        if (!a) {
          r.unreadable = fmt::format("account '{}' is not in the start state", id);
          return false;
        }
        c.account = *a;
        return true;
      };
      if (n == "EnableAWSServiceAccess") {
        c.op = Op::EnableAWSServiceAccess;
        if (!service_of(text(req, "servicePrincipal"), c.service) || c.service == Service::LicenseManagerMaster) {
          r.skip = true;
          return r;
        }
      } else if (n == "RegisterDelegatedAdministrator" || n == "DeregisterDelegatedAdministrator") {
        if (text(req, "servicePrincipal") != "license-manager.amazonaws.com") {
          r.skip = true;
          return r;
        }
        c.op = n[0] == 'R' ? Op::RegisterDelegatedAdministrator : Op::DeregisterDelegatedAdministrator;
        if (!target("accountId")) return r;
      } else if (n == "EnableAllFeatures") {
        c.op = Op::EnableAllFeatures;
      } else if (n == "InviteAccountToOrganization") {
        c.op = Op::InviteAccountToOrganization;
        const json* t = member(req, "target");
        std::string id = t ? text(*t, "id") : "";
        auto a = account(id);
        if (!a) {
          r.unreadable = fmt::format("invited account '{}' is not in the start state", id);
          return r;
        }
        c.account = *a;
      } else if (n == "AcceptHandshake") {
        const json* h = member(e.response, "handshake");
        std::string action = h ? text(*h, "action") : "";
        if (!action.empty() && action != "INVITE") {
          r.skip = true;  // the all-features approval handshake: not a join
          return r;
        }
        c.op = Op::AcceptHandshake;
      } else if (n == "RemoveAccountFromOrganization") {
        c.op = Op::RemoveAccountFromOrganization;
        if (!target("accountId")) return r;
      } else if (n == "LeaveOrganization") {
        c.op = Op::LeaveOrganization;
      } else {
        r.skip = true;
        return r;
      }
    } else if (e.event_source == "iam.amazonaws.com" && n == "CreateServiceLinkedRole") {
      c.op = Op::CreateServiceLinkedRole;
      if (!service_of(text(req, "aWSServiceName"), c.service)) {
        r.skip = true;
        return r;
      }
    } else if (e.event_source == "ec2.amazonaws.com" && (n == "RunInstances" || n == "TerminateInstances")) {
      if (n == "RunInstances") {
        std::string image = text(req, "imageId");
        const json* set = member(req, "instancesSet");
        const json* items = set ? member(*set, "items") : nullptr;
        if (image.empty() && items && items->is_array() && !items->empty()) image = text((*items)[0], "imageId");
        auto it = amis.find(image);
        if (it == amis.end()) {
          r.skip = true;  // an AMI of no modelled product
          return r;
        }
        c.op = Op::LaunchWorkload;
        c.product = it->second;
        const json* rset = member(e.response, "instancesSet");
        const json* ritems = rset ? member(*rset, "items") : nullptr;
        size_t count = ritems && ritems->is_array() && !ritems->empty() ? ritems->size() : 1;
        if (ritems && ritems->is_array())
          for (const json& i : *ritems) r.instance_ids.push_back(text(i, "instanceId"));
        r.calls.assign(count, c);
        return r;
      }
      const json* set = member(req, "instancesSet");
      const json* items = set ? member(*set, "items") : nullptr;
      if (!items || !items->is_array()) {
        r.unreadable = "requestParameters has no instancesSet.items";
        return r;
      }
      for (const json& i : *items) {
        auto it = instances.find(text(i, "instanceId"));
        if (it == instances.end()) continue;  // not an instance of a modelled product launched in this history
        Call s = c;
        s.op = Op::StopWorkload;
        s.caller = it->second.first;
        s.product = it->second.second;
        r.calls.push_back(s);
        instances.erase(it);
      }
      if (r.calls.empty()) r.skip = true;
      return r;
    } else {
      r.skip = true;
      return r;
    }
    r.calls.push_back(c);
    return r;
  }

  // --- auditing -----------------------------------------------------------

  void audit(const TrailEvent& e) {
    const bool readonly_name = e.event_name.rfind("List", 0) == 0 || e.event_name.rfind("Get", 0) == 0 ||
                               e.event_name.rfind("Describe", 0) == 0;
    if (readonly_name || e.identity_type == "AWSService") {
      ++stats.skipped;
      return;
    }
    Region region{};
    auto caller = account(e.account);
    Interpreted in;
    if (!parse(e.region, region) && !e.region.empty()) {
      in.unreadable = fmt::format("region '{}' is not one the model knows", e.region);
    } else if (!caller) {
      if (!modelled_name(e.event_source, e.event_name)) {
        ++stats.skipped;
        return;
      }
      in.unreadable = fmt::format("account '{}' is not in the start state", e.account);
    } else {
      in = interpret(e, *caller, region);
    }
    if (in.skip) {
      ++stats.skipped;
      return;
    }
    ++stats.modelled;
    if (e.event_id.empty() || e.event_name.empty()) in.unreadable = "the record has no eventID or eventName";
    if (!in.unreadable.empty()) {
      add_finding(Finding::Kind::Uninterpretable, "uninterpretable", in.unreadable, e, nullptr);
      return;
    }
    for (size_t i = 0; i < in.calls.size(); ++i) {
      apply_one(e, in.calls[i]);
      if (e.error_code.empty() && in.calls[i].op == Op::LaunchWorkload && i < in.instance_ids.size())
        instances[in.instance_ids[i]] = {in.calls[i].caller, in.calls[i].product};
    }
  }

  void apply_one(const TrailEvent& e, const Call& c) {
    ++stats.applied;
    const bool aws_ok = e.error_code.empty();
    if (!aws_ok) {
      // AWS refused: the model should refuse too. Tried on a copy, since an
      // acceptance must leave the audited state as AWS left it.
      World copy = world;
      Outcome o = apply(copy, c);
      if (o.ok())
        add_finding(Finding::Kind::Divergence, "aws-refused-model-accepts",
                    fmt::format("AWS answered {} ({}); the model accepts {}", e.error_code, e.error_message,
                                describe_call(c, names)),
                    e, &c);
      return;
    }
    Outcome o = apply(world, c, &changes);
    if (!o.ok()) {
      // AWS did what the model refuses.
      World before = world;
      add_finding(Finding::Kind::Divergence, "aws-succeeded-model-refuses",
                  fmt::format("AWS succeeded; the model refuses {}: {} ({})", describe_call(c, names),
                              to_string(o.error.code), reason_message(o.error.reason)),
                  e, &c, &before);
      if (c.op == Op::LaunchWorkload) {
        // Follow AWS: the instance runs. The transition checks then judge a
        // launch that succeeded, from the state it succeeded in.
        changes.begin(world);
        uint8_t n = world.running_at(c.caller, c.product);
        if (n < 255) mut::set_running(world, &changes, c.caller, c.product, uint8_t(n + 1));
        check(e, c, success(), &before);
      }
      return;
    }
    if (c.op == Op::CreateGrant && o.created != kNone) {
      std::string arn = response_text(e.response, "grantArn");
      if (auto a = parse_arn(arn); a && a->kind == ArnKind::Grant) bind_grant(o.created, a->id);
    }
    compare_response(e, c, o);
    check(e, c, o, nullptr);
  }

  // The grant status and version AWS's response reports, against the model's.
  // Statuses the real service passes through asynchronously (PENDING_WORKFLOW,
  // PENDING_DELETE) are not compared: the model never rests in them.
  void compare_response(const TrailEvent& e, const Call& c, const Outcome& o) {
    GrantIx g = c.op == Op::CreateGrant ? o.created : c.grant;
    if (g == kNone || g >= world.grants.size()) return;
    const Grant& gr = world.grants[g];
    std::string status = response_text(e.response, "status");
    if (status.empty()) status = response_text(e.response, "grantStatus");
    GrantStatus s{};
    if (!status.empty() && parse(status, s) && s != GrantStatus::PENDING_WORKFLOW && s != GrantStatus::PENDING_DELETE &&
        s != gr.status) {
      add_finding(Finding::Kind::Divergence, "status-differs",
                  fmt::format("AWS reports {} {}; the model has it {}", names.grant_id(g), status, to_string(gr.status)),
                  e, &c);
      return;
    }
    std::string version = response_text(e.response, "version");
    if (!version.empty() && version != std::to_string(gr.version))
      add_finding(Finding::Kind::Divergence, "version-differs",
                  fmt::format("AWS reports {} at version {}; the model at {}", names.grant_id(g), version, gr.version),
                  e, &c);
  }

  void check(const TrailEvent& e, const Call& c, const Outcome& o, const World* before) {
    const uint8_t changed = changes.kinds(world);
    for (const Property* p : transition) {
      if (!may_break(*p, changed) || !may_judge(*p, c.op, o.ok())) continue;
      Transition t{nullptr, world, c, o, changes};
      if (auto v = p->check_transition(t, names))
        add_finding(Finding::Kind::Violation, std::string(p->name), *v, e, &c, before);
    }
    for (size_t i = 0; i < always.size(); ++i) {
      const Property* p = always[i];
      if (!may_break(*p, changed)) continue;
      std::optional<std::string> v;
      if (always_broken[i] || !p->check_local) v = p->check_state(world, names);
      else v = p->check_local(world, changes, names);
      if (v && !always_broken[i]) add_finding(Finding::Kind::Violation, std::string(p->name), *v, e, &c, before);
      always_broken[i] = v.has_value();
    }
  }
};

Auditor::Auditor(const Scenario& start, AuditOptions opt) : impl_(new Impl(start, std::move(opt))) {}
Auditor::~Auditor() { delete impl_; }
void Auditor::add(TrailEvent&& e) { impl_->add(std::move(e)); }
void Auditor::finish() { impl_->finish(); }
const std::vector<Finding>& Auditor::findings() const { return impl_->findings; }
const AuditStats& Auditor::stats() const { return impl_->stats; }
bool Auditor::reads_parameters(const std::string& source, const std::string& name) {
  if (source == "ec2.amazonaws.com") return name == "RunInstances" || name == "TerminateInstances";
  return modelled_name(source, name);
}

}  // namespace entmc::aws
