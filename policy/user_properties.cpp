// A compiled user property bound into the Property shape the checkers run:
// its state check, its local (change-proportional) check and its transition
// check are functions with the compiled property as their context
// (properties/property.h CheckFn), and its breaks_on / judges claims come
// from what the predicate reads (Footprint).
#include "policy/user_properties.h"

#include <fmt/format.h>

#include <algorithm>

#include "policy/atoms.h"
#include "policy/compiled_property.h"

namespace entmc::policy {

// --- evaluation ----------------------------------------------------------------

bool CompiledProperty::holds(const World& w, const Names& n) const {
  const StateView v(w);
  Env e;
  e.now = &v;
  e.names = &n;
  const bool r = pred->eval(e);
  return never ? !r : r;
}

namespace {

std::string message(const CompiledProperty& cp, std::string why) {
  while (!why.empty() && (why.back() == ' ' || why.back() == ';')) why.pop_back();
  return fmt::format("{} [{}]: {}", cp.description.empty() ? cp.name : cp.description, cp.where,
                     why.empty() ? std::string(cp.never ? "the predicate holds" : "the predicate does not hold")
                                 : "fails for " + why);
}

}  // namespace

std::string CompiledProperty::explain(const World& w, const Names& n) const {
  const StateView v(w);
  std::string why;
  Env e;
  e.now = &v;
  e.names = &n;
  e.why = &why;
  pred->eval(e);
  return message(*this, why);
}

std::string Quantifier::describe(const Env& e, uint32_t x) const {
  const Names& n = *e.names;
  const StateView& v = *e.now;
  switch (over) {
    case VarType::Account: return "account " + n.account(x);
    case VarType::Product: return "product " + n.products[x];
    case VarType::Grant: {
      const Grant& g = v.grant(x);
      const License& l = v.license(g.license);
      return fmt::format("grant {} ({} version {}, {}, grantor {}, product {})", n.grant_id(x), to_string(g.status),
                         g.version,
                         g.is_org_parent() ? "to the organization"
                                           : "grantee " + (g.grantee == kNone ? std::string("none") : n.account(g.grantee)),
                         n.account(g.grantor), l.product < n.products.size() ? n.products[l.product] : "?");
    }
    case VarType::License: {
      const License& l = v.license(x);
      return fmt::format("license {} ({}, owner {}, product {})", n.license_id(x), to_string(l.status),
                         n.account(l.owner), l.product < n.products.size() ? n.products[l.product] : "?");
    }
  }
  return "?";
}

bool CallMatch::eval(Env& e) const {
  if (!e.t) return false;
  const Call& c = e.t->call;
  if (ops && !(ops & op_bit(c.op))) return false;
  const bool ok = e.t->outcome.ok();
  if (outcome && !(outcome & (ok ? kSucceeded : kFailed))) return false;
  if (!codes.empty() && (ok || std::find(codes.begin(), codes.end(), e.t->outcome.error.code) == codes.end()))
    return false;
  if (caller.any() && !caller.contains(e, c.caller)) return false;
  if (account.any() && !account.contains(e, c.account)) return false;
  if (has_product && !product.contains(e, c.product)) return false;
  if (status && !(c.has_status && (status & (1u << unsigned(c.status))))) return false;
  if (regions && !(regions & (1u << unsigned(c.region)))) return false;
  return true;
}

// --- local checks --------------------------------------------------------------

// One conjunct of an Always property as the local check runs it: a
// quantifier walked over the instances the call touched (`q`), or a
// predicate that reads no quantifier's worth of records, evaluated whole.
struct LocalPart {
  const Pred* whole = nullptr;
  const Quantifier* q = nullptr;
  bool negated = false;  // `never: exists`: an instance where the body holds violates it
};

namespace {


// A quantifier whose body reads only its own instance (and the organization,
// the call, fixed products).
bool instance_local(const Quantifier& q) {
  if (q.over == VarType::Product) return false;
  const Footprint& b = q.body ? q.body->fp : Footprint{};
  if (b.global || (b.vars & ~(1u << q.slot)) != 0) return false;
  if (q.over == VarType::Grant && q.by_grantee) return false;
  return true;
}

bool plan(const Pred* p, bool never, std::vector<LocalPart>& out) {
  if (!never) {
    if (auto* a = dynamic_cast<const And*>(p)) {
      for (const PredPtr& part : a->parts)
        if (!plan(part.get(), false, out)) return false;
      return true;
    }
    if (auto* n = dynamic_cast<const Not*>(p)) return plan(n->inner.get(), true, out);
    if (auto* q = dynamic_cast<const Quantifier*>(p); q && !q->exists && instance_local(*q)) {
      out.push_back({nullptr, q, false});
      return true;
    }
  } else {
    if (auto* o = dynamic_cast<const Or*>(p)) {
      for (const PredPtr& part : o->parts)
        if (!plan(part.get(), true, out)) return false;
      return true;
    }
    if (auto* n = dynamic_cast<const Not*>(p)) return plan(n->inner.get(), false, out);
    if (auto* q = dynamic_cast<const Quantifier*>(p); q && q->exists && instance_local(*q)) {
      out.push_back({nullptr, q, true});
      return true;
    }
  }
  // Evaluated whole after each call it may break: a predicate of no
  // variable that reads fixed records alone (a fixed account's running
  // count, the delegated administrator), not one that scans every record.
  if (p->fp.scans || p->fp.vars) return false;
  out.push_back({p, nullptr, never});
  return true;
}

// The instances of `q` whose verdict the call may have changed.
void touched(const Quantifier& q, const CompiledProperty& cp, const World& w, const Changes& ch,
             std::vector<uint32_t>& out) {
  out.clear();
  const uint32_t grants_before = std::min<uint32_t>(ch.grants_before, uint32_t(w.grants.size()));
  const uint32_t licenses_before = std::min<uint32_t>(ch.licenses_before, uint32_t(w.licenses.size()));
  auto on_license = [&](LicenseIx l, auto&& f) {
    for (GrantIx g = w.licenses[l].first_grant; g != kNone; g = w.grants[g].next_on_license) f(g);
  };
  // A license change that a predicate can see: its status, product or owner
  // (not the index link a new grant on it updates: at 10k members a license
  // carries 10k organization children, and most grant calls touch it so).
  auto visible = [&](LicenseIx l, const License& before) {
    const License& now = w.licenses[l];
    return before.status != now.status || before.product != now.product || before.owner != now.owner;
  };
  switch (q.over) {
    case VarType::Grant:
      for (const auto& [g, _] : ch.grants) out.push_back(g);
      for (GrantIx g = grants_before; g < w.grants.size(); ++g) out.push_back(g);
      // Grants on a new license are new grants, listed above.
      for (const auto& [l, before] : ch.licenses)
        if (l < licenses_before && visible(l, before)) on_license(l, [&](GrantIx g) { out.push_back(g); });
      break;
    case VarType::License:
      for (const auto& [l, _] : ch.licenses) out.push_back(l);
      for (LicenseIx l = licenses_before; l < w.licenses.size(); ++l) out.push_back(l);
      for (const auto& [g, _] : ch.grants) out.push_back(w.grants[g].license);
      break;
    case VarType::Account: {
      auto grantee = [&](GrantIx g) {
        if (w.grants[g].grantee != kNone) out.push_back(w.grants[g].grantee);
      };
      for (const auto& [a, _] : ch.accounts) out.push_back(a);
      for (const auto& c : ch.workloads) out.push_back(c.account);
      for (const auto& [g, _] : ch.grants) grantee(g);
      for (GrantIx g = grants_before; g < w.grants.size(); ++g) grantee(g);
      for (const auto& [l, before] : ch.licenses)
        if (l >= licenses_before || visible(l, before)) {
          out.push_back(w.licenses[l].owner);
          if (l < licenses_before) on_license(l, grantee);  // a new license's grants are new grants
        }
      for (LicenseIx l = licenses_before; l < w.licenses.size(); ++l) out.push_back(w.licenses[l].owner);
      const size_t direct = out.size();
      for (size_t i = 0; i < direct; ++i)
        if (out[i] < cp.govcloud_of.size())
          for (AccountIx g : cp.govcloud_of[out[i]]) out.push_back(g);
      break;
    }
    case VarType::Product: break;
  }
  // Duplicates stay: checking an instance twice costs less than sorting.
}

}  // namespace

// --- the Property ------------------------------------------------------------

struct BoundCheck {
  const CompiledProperty* cp;
  std::vector<LocalPart> local;
  // The predicate when it is a quantifier (most are): the state check calls
  // its plain scan directly, not through Pred::eval's virtual call and the
  // explaining path's test (check_state runs on every state `check` reaches).
  const Quantifier* top = nullptr;
};
using Bound = BoundCheck;

namespace {

// The rare path apart, so that the common one saves no registers for it.
[[gnu::noinline]] std::optional<std::string> state_failed(const CompiledProperty& cp, const World& w, const Names& n) {
  if (cp.kind == PropertyKind::Sometimes) return std::string();
  return cp.explain(w, n);
}

std::optional<std::string> state_check(const void* ctx, const World& w, const Names& n) {
  const Bound& b = *static_cast<const Bound*>(ctx);
  const CompiledProperty& cp = *b.cp;
  const StateView v(w);
  Env e;
  e.now = &v;
  e.names = &n;
  const bool r = b.top ? b.top->scan(e) : cp.pred->eval(e);  // as CompiledProperty::holds
  if (r != cp.never) return std::nullopt;
  return state_failed(cp, w, n);
}

std::optional<std::string> local_check(const void* ctx, const World& w, const Changes& ch, const Names& n) {
  const Bound& b = *static_cast<const Bound*>(ctx);
  const CompiledProperty& cp = *b.cp;
  const StateView v(w);
  Env e;
  e.now = &v;
  e.names = &n;
  thread_local std::vector<uint32_t> instances;
  for (const LocalPart& part : b.local) {
    bool fails = false;
    if (part.whole) {
      fails = part.whole->eval(e) == part.negated;
    } else {
      const Quantifier& q = *part.q;
      const Footprint& all = q.fp;
      const bool whole = (ch.org_changed && (all.kinds & kOrgChange)) || (!ch.accounts.empty() && all.other_accounts);
      if (whole) {
        fails = q.eval(e) == part.negated;
      } else {
        touched(q, cp, w, ch, instances);
        for (uint32_t x : instances)
          if (q.decides(e, x)) {
            fails = true;
            break;
          }
      }
    }
    if (fails) return cp.explain(w, n);
  }
  return std::nullopt;
}

std::optional<std::string> transition_check(const void* ctx, const Transition& t, const Names& n) {
  const CompiledProperty& cp = *static_cast<const Bound*>(ctx)->cp;
  const StateView after(t.after);
  const StateView before = t.before ? StateView(*t.before) : StateView(t.after, t.changes);
  Env e;
  e.now = &after;
  e.before = &before;
  e.after = &after;
  e.t = &t;
  e.names = &n;
  if (cp.pred->eval(e)) return std::nullopt;
  std::string why;
  e.why = &why;
  cp.pred->eval(e);
  return message(cp, why);
}

// The calls a transition property can judge: with `implies: {if: {call: ...}}`
// (or an `and:` holding one) at the top, every other call satisfies it.
void judges(const Pred* p, uint32_t& ops, uint8_t& outcome) {
  auto* imp = dynamic_cast<const Implies*>(p);
  if (!imp) return;
  const CallMatch* cm = dynamic_cast<const CallMatch*>(imp->if_.get());
  if (!cm)
    if (auto* a = dynamic_cast<const And*>(imp->if_.get()))
      for (const PredPtr& part : a->parts)
        if ((cm = dynamic_cast<const CallMatch*>(part.get()))) break;
  if (!cm) return;
  if (cm->ops) ops = cm->ops;
  if (cm->outcome) outcome = cm->outcome;
}

}  // namespace

UserProperties::UserProperties() = default;
UserProperties::~UserProperties() = default;

void UserProperties::add(std::unique_ptr<CompiledProperty> cp) {
  const CompiledProperty& c = *cp;
  compiled_.push_back(std::move(cp));
  if (c.eventually) {
    eventually_.push_back({c.name, c.description, c.where, &c});
    return;
  }
  auto bound = std::make_unique<Bound>();
  bound->cp = &c;
  bound->top = dynamic_cast<const Quantifier*>(c.pred.get());
  Property p;
  p.name = c.name;
  p.statement = c.description;
  p.seed = c.where;
  p.kind = c.kind;
  if (c.kind == PropertyKind::Transition) {
    p.check_transition = {transition_check, bound.get()};
    judges(c.pred.get(), p.judges_ops, p.judges_outcome);
  } else {
    p.check_state = {state_check, bound.get()};
    if (c.kind == PropertyKind::Always) {
      p.breaks_on = c.fp.kinds ? uint8_t(c.fp.kinds & kEveryChange) : uint8_t(kEveryChange);
      if (plan(c.pred.get(), c.never, bound->local)) p.check_local = {local_check, bound.get()};
      else bound->local.clear();
    }
  }
  properties_.push_back(p);
  bounds_.push_back(std::move(bound));
}

bool UserProperties::holds(const Eventually& ev, const World& w, const Names& n) const {
  return ev.predicate->holds(w, n);
}

// The text is kept as written (its quoting and its comments: the violation
// the writer notes after the last step); the sections are added as blocks.
std::string with_properties_section(const std::string& scenario_text, const YAML::Node& source) {
  if (!source || !source.IsMap() || !source["properties"]) return scenario_text;
  auto block = [](const char* key, const YAML::Node& value, const std::string& indent) {
    YAML::Node n;
    n[key] = value;
    std::string out, dumped = YAML::Dump(n) + "\n";
    size_t from = 0;
    for (size_t nl; (nl = dumped.find('\n', from)) != std::string::npos; from = nl + 1)
      if (nl > from) out += indent + dumped.substr(from, nl - from) + "\n";
    return out;
  };
  std::string text = scenario_text;
  if (source["org"] && source["org"].IsMap() && source["org"]["tags"]) {
    const size_t org = text.rfind("org:\n", 0) == 0 ? 0 : text.find("\norg:\n");
    if (org == std::string::npos) {  // not the writer's layout: through the YAML tree (comments are lost)
      YAML::Node root = YAML::Load(text);
      if (root["org"]) root["org"]["tags"] = source["org"]["tags"];
      text = YAML::Dump(root) + "\n";
    } else {
      const size_t at = text.find('\n', org == 0 ? 0 : org + 1) + 1;
      text.insert(at, block("tags", source["org"]["tags"], "  "));
    }
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text + block("properties", source["properties"], "");
}

bool names_interchangeable(const UserProperties& u, const std::vector<std::vector<AccountIx>>& classes) {
  for (const auto& c : classes)
    for (AccountIx a : u.named_accounts())
      if (std::find(c.begin(), c.end(), a) != c.end()) return true;
  return false;
}

std::vector<Property> with_user_properties(const std::shared_ptr<const UserProperties>& user) {
  std::vector<Property> all = all_properties();
  if (user) all.insert(all.end(), user->properties().begin(), user->properties().end());
  return all;
}

}  // namespace entmc::policy
