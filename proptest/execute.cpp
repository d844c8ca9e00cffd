#include "proptest/execute.h"

#include <fmt/format.h>

#include <set>

#include "model/entitlement.h"

namespace entmc::proptest {

std::string generated_name(uint8_t k) { return fmt::format("name-{}", k); }
std::string generated_reason(uint8_t k) { return fmt::format("reason-{}", k); }
std::string generated_token(uint8_t k) { return fmt::format("token-{}", k); }

size_t token_count(const Run& run) {
  std::set<uint8_t> tokens;
  for (const Step& s : run.steps)
    if (s.token) tokens.insert(s.token);
  return tokens.size();
}

Setup initial_setup(const Run& run) {
  if (!run.base) return build_world(run.world, token_count(run));
  Setup s = *run.base;
  for (const Step& st : run.steps)
    if (st.token) s.names.intern_token(generated_token(st.token));
  if (s.world.tokens.size() < s.names.token_count() + 1) s.world.tokens.resize(s.names.token_count() + 1);
  return s;
}

Executor::Executor(const WorldSpec& spec, size_t tokens, ExecOptions opts)
    : Executor(build_world(spec, tokens), opts) {}

Executor::Executor(Setup setup, ExecOptions opts) : setup_(std::move(setup)), opts_(opts) {
  symbols_.license_ref.assign(setup_.world.licenses.size(), Ref{});
  symbols_.grant_ref.assign(setup_.world.grants.size(), Ref{});
  for (const Grant& g : setup_.world.grants) reached_.statuses |= uint16_t(1u << unsigned(g.status));
  covers_ = cover_properties(setup_.extra);
  reached_.covers.assign(covers_.size(), 0);
  check_initial();
  note_covers();
}

std::vector<const Property*> cover_properties(const std::vector<Property>* extra) {
  std::vector<const Property*> out;
  for (const Property& p : all_properties())
    if (p.kind == PropertyKind::Sometimes && p.check_state) out.push_back(&p);
  if (extra)
    for (const Property& p : *extra)
      if (p.kind == PropertyKind::Sometimes && p.check_state) out.push_back(&p);
  return out;
}

// A cover's check_state returns nullopt on a state that is an example. Each
// is evaluated until some state of the run satisfies it (a whole-state
// check: the fuzzer's worlds are small).
void Executor::note_covers() {
  if (!opts_.check_properties) return;
  for (size_t i = 0; i < covers_.size(); ++i)
    if (!reached_.covers[i] && !covers_[i]->check_state(setup_.world, setup_.names)) reached_.covers[i] = 1;
}

namespace {

// The user properties of Setup::extra, after the built-in ones.
void check_extra(const Setup& s, const Transition* t, std::vector<Violation>& out) {
  if (!s.extra) return;
  for (const Property& p : *s.extra) {
    std::optional<std::string> v;
    if (p.kind == PropertyKind::Always && p.check_state) v = p.check_state(s.world, s.names);
    if (p.kind == PropertyKind::Transition && p.check_transition && t) v = p.check_transition(*t, s.names);
    if (v) out.push_back({std::string(p.name), std::move(*v)});
  }
}

}  // namespace

void Executor::check_initial() {
  if (!opts_.check_properties) return;
  scratch_.clear();
  check_state(setup_.world, setup_.names, scratch_);
  check_extra(setup_, nullptr, scratch_);
  if (!scratch_.empty()) found_ = Found{kSetupStep, scratch_.front()};
}

// Turns the step's symbolic references into indices of the current world.
// False when a reference names a step that created nothing (removed while
// shrinking, or it failed), or an organization child that does not exist.
bool Executor::resolve(const Step& s, Call& c) {
  const World& w = setup_.world;
  auto created_by = [&](uint32_t step, bool license) -> uint32_t {
    if (step >= symbols_.created.size() || symbols_.created[step] == kNone) return kNone;
    const Op op = records_[step].call.op;
    if (license != (op == Op::Subscribe)) return kNone;
    return symbols_.created[step];
  };
  if (s.license.kind == RefKind::Unknown) {
    c.license = LicenseIx(w.licenses.size());
  } else if (s.license.kind != RefKind::None) {
    if (s.license.kind != RefKind::Created) return false;
    c.license = created_by(s.license.step, true);
    if (c.license == kNone) return false;
  }
  if (s.grant.kind == RefKind::Unknown) {
    c.grant = GrantIx(w.grants.size());
  } else if (s.grant.kind == RefKind::Created) {
    c.grant = created_by(s.grant.step, false);
    if (c.grant == kNone) return false;
  } else if (s.grant.kind == RefKind::OrgChild) {
    const GrantIx parent = created_by(s.grant.step, false);
    if (parent == kNone || !w.grants[parent].is_org_parent() || !w.valid_account(s.grant.account)) return false;
    c.grant = find_org_child(w, parent, s.grant.account);
    if (c.grant == kNone) return false;
  }
  if (s.version != VersionArg::None) {
    if (c.grant >= w.grants.size()) return false;
    const uint32_t current = w.grants[c.grant].version;
    c.version = s.version == VersionArg::Current ? current : (current > 1 ? current - 1 : current + 1);
  }
  if (s.name) c.name = setup_.names.intern_string(generated_name(s.name));
  if (s.reason) c.reason = setup_.names.intern_string(generated_reason(s.reason));
  if (s.token) c.token = setup_.names.intern_token(generated_token(s.token));
  return true;
}

void Executor::record_symbols(const Step& s, const Outcome& out, const Changes& ch) {
  const World& w = setup_.world;
  const auto index = uint32_t(records_.size());
  symbols_.created.push_back(out.ok() && out.created != kNone ? out.created : kNone);
  while (symbols_.license_ref.size() < w.licenses.size())
    symbols_.license_ref.push_back(Ref{RefKind::Created, index, kNone});
  for (GrantIx g = GrantIx(symbols_.grant_ref.size()); g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    Ref ref;
    if (gr.is_org_child()) {
      const Ref& parent = symbols_.grant_ref[gr.parent];
      if (parent.kind == RefKind::Created) ref = Ref{RefKind::OrgChild, parent.step, gr.grantee};
    } else if (s.call.op == Op::CreateGrant && g == out.created) {
      ref = Ref{RefKind::Created, index, kNone};
    }
    symbols_.grant_ref.push_back(ref);
  }
  (void)ch;
}

void Executor::note_reached(const Call& c, const Outcome& out, const Changes& ch) {
  if (!out.ok()) return;
  reached_.ops |= 1u << unsigned(c.op);
  const World& w = setup_.world;
  for (const auto& [g, before] : ch.grants) reached_.statuses |= uint16_t(1u << unsigned(w.grants[g].status));
  for (GrantIx g = ch.grants_before; g < w.grants.size(); ++g)
    reached_.statuses |= uint16_t(1u << unsigned(w.grants[g].status));
}

const StepRecord& Executor::step(const Step& s) {
  StepRecord rec;
  rec.call = s.call;
  if (!resolve(s, rec.call)) {
    rec.skipped = true;
    records_.push_back(rec);
    symbols_.created.push_back(kNone);
    return records_.back();
  }
  World& w = setup_.world;
  const bool checking = opts_.check_properties && !(found_ && opts_.stop_at_violation);
  if (checking) before_ = w;
  rec.outcome = apply(w, rec.call, &changes_, *opts_.rules);
  record_symbols(s, rec.outcome, changes_);
  records_.push_back(rec);
  note_reached(rec.call, rec.outcome, changes_);
  if (rec.outcome.ok()) note_covers();  // a failed call changes nothing
  if (checking && !found_) {
    scratch_.clear();
    Transition t{&before_, w, rec.call, rec.outcome, changes_};
    check_transition(t, setup_.names, scratch_);
    check_state(w, setup_.names, scratch_);
    check_extra(setup_, &t, scratch_);
    // Checked here too so that the property holds even for a rule table the
    // properties library does not know about (whole-world comparison).
    if (scratch_.empty() && !rec.outcome.ok() && !(w == before_))
      scratch_.push_back(Violation{"failed-call-changes-nothing",
                                   fmt::format("{} failed ({}) but changed the state", to_string(rec.call.op),
                                               reason_name(rec.outcome.error.reason))});
    if (!scratch_.empty()) found_ = Found{records_.size() - 1, scratch_.front()};
  }
  return records_.back();
}

Execution execute(const Run& run, const ExecOptions& opts) {
  std::optional<Executor> ex;
  ex.emplace(initial_setup(run), opts);
  for (const Step& s : run.steps) {
    ex->step(s);
    if (ex->found() && opts.stop_at_violation) break;
  }
  Execution out;
  out.records = ex->records();
  out.found = ex->found();
  out.reached = ex->reached();
  out.digest = ex->world().digest();
  return out;
}

}  // namespace entmc::proptest
