// The `steps` section: each step is a single-key map named after an operation
// (model/call.h; its parameters checked against spec(op)) or `expect:`.
#include <fmt/format.h>

#include <array>

#include "scenario/parse_context.h"

namespace entmc::scn {
namespace {

// The YAML name of each parameter bit. DeleteGrant's Version and
// CreateGrantVersion's SourceVersion share kPVersion (see key_of).
struct ParamKey {
  Param bit;
  std::string_view key;
};
constexpr std::array<ParamKey, 15> kParamKeys{{
    {kPRegion, "region"},
    {kPProduct, "product"},
    {kPLicense, "license"},
    {kPGrant, "grant"},
    {kPAccount, "account"},
    {kPPrincipal, "principal"},
    {kPName, "name"},
    {kPStatus, "status"},
    {kPReason, "reason"},
    {kPVersion, "version"},
    {kPOverride, "override"},
    {kPToken, "client_token"},
    {kPService, "service"},
    {kPEnable, "enable"},
    {kPAllowedOps, "allowed_operations"},
}};

std::string_view key_of(Op op, Param bit) {
  if (bit == kPVersion && op == Op::CreateGrantVersion) return "source_version";
  for (const auto& p : kParamKeys)
    if (p.bit == bit) return p.key;
  return "?";
}


std::string accepted_keys(Op op) {
  std::string out = "caller";
  const OpSpec& sp = spec(op);
  for (const auto& p : kParamKeys)
    if (sp.params & p.bit) {
      out += ", ";
      out += key_of(op, p.bit);
      if (p.bit == kPGrant) out += ", recipient";
    }
  if (op == Op::Subscribe || op == Op::CreateGrant) out += ", as";
  return out + ", fails";
}

StringId intern(Context& cx, const YAML::Node& n, std::string_view what) {
  std::string s = cx.reader.string(n, what);
  if (cx.names.string_count() >= 0xFFF0) cx.reader.fail(n, "too many distinct grant names and reasons");
  return cx.names.intern_string(s);
}

// CreateGrant's principal: an account ID, the organization ID, or the
// organization's principal ARN (aws-api-facts.md).
void parse_principal(Context& cx, const YAML::Node& n, Call& call) {
  std::string s = cx.reader.scalar(n, "principal");
  if (s.rfind("o-", 0) == 0) {
    if (!is_organization_id(s)) cx.reader.fail(n, fmt::format("principal: malformed organization ID '{}'", s));
    if (s != cx.names.org_id)
      cx.reader.fail(n, fmt::format("principal: unknown organization {} (this scenario's is {})", s, cx.names.org_id));
    call.to_org = true;
    return;
  }
  if (s.rfind("arn:aws:organizations::", 0) == 0) {
    // Account 0 is the management account (org_section.cpp adds it first).
    if (s != cx.names.organization_arn(0))
      cx.reader.fail(n, fmt::format("principal: '{}' is not this organization's ARN ({})", s,
                                    cx.names.organization_arn(0)));
    call.to_org = true;
    return;
  }
  if (s.rfind("arn:aws:iam::", 0) == 0 && s.size() == 30 && s.substr(25) == ":root") {
    std::string acc = s.substr(13, 12);
    if (!is_account_id(acc)) cx.reader.fail(n, fmt::format("principal: malformed account ARN '{}'", s));
    auto ix = cx.find_account(acc);
    if (!ix) cx.reader.fail(n, fmt::format("principal: unknown account {}", acc));
    call.account = *ix;
    return;
  }
  call.account = cx.account(n, "principal", false, /*unknown_ok=*/true);
}

void parse_param(Context& cx, Op op, Param bit, const YAML::Node& v, Step& step) {
  Call& c = step.call;
  const std::string key(key_of(op, bit));
  switch (bit) {
    case kPRegion: {
      std::string r = cx.reader.scalar(v, "region");
      if (!parse(r, c.region)) cx.reader.fail(v, fmt::format("unknown region '{}'", r));
      break;
    }
    case kPProduct: c.product = cx.product(v, /*unknown_ok=*/true); break;
    case kPLicense: step.license = cx.record(v, AliasKind::License); break;
    case kPGrant: step.grant = cx.record(v, AliasKind::Grant); break;
    case kPAccount: c.account = cx.account(v, "account", false, /*unknown_ok=*/true); break;
    case kPPrincipal: parse_principal(cx, v, c); break;
    case kPName: c.name = intern(cx, v, "name"); break;
    case kPReason: c.reason = intern(cx, v, "reason"); break;
    case kPStatus: {
      std::string s = cx.reader.scalar(v, "status");
      if (!parse(s, c.status)) cx.reader.fail(v, fmt::format("unknown grant status '{}'", s));
      c.has_status = true;
      break;
    }
    case kPVersion: c.version = cx.reader.count(v, key, 0, 0xFFFFFFFFu); break;  // 0 = not given
    case kPOverride: {
      std::string s = cx.reader.scalar(v, "override");
      if (!parse(s, c.override_behavior))
        cx.reader.fail(v, fmt::format("unknown override '{}' (NONE, DISTRIBUTED_GRANTS_ONLY, "
                                      "ALL_GRANTS_PERMITTED_BY_ISSUER)", s));
      break;
    }
    case kPToken: {
      std::string s = cx.reader.scalar(v, "client_token");
      if (s.empty()) cx.reader.fail(v, "client_token must not be empty (leave it out for none)");
      if (cx.names.token_count() >= 0xFFF0) cx.reader.fail(v, "too many distinct client tokens");
      c.token = cx.names.intern_token(s);
      break;
    }
    case kPService: {
      std::string s = cx.reader.scalar(v, "service");
      if (s != "NONE" && !parse_service(s, c.service)) cx.reader.fail(v, fmt::format("unknown service '{}'", s));
      break;
    }
    case kPEnable: c.enable = cx.reader.boolean(v, "enable"); break;
    case kPAllowedOps: {
      uint8_t bits = 0;
      for (const YAML::Node& o : cx.reader.list(v, "allowed_operations")) {
        std::string s = cx.reader.scalar(o, "an allowed operation");
        bool found = false;
        for (const auto& [b, name] : kAllowedOpNames)
          if (name == s) {
            bits |= b;
            found = true;
          }
        if (!found) cx.reader.fail(o, fmt::format("unknown allowed operation '{}'", s));
      }
      if (bits == 0) cx.reader.fail(v, "allowed_operations must name at least one operation");
      c.allowed_ops = bits;
      break;
    }
    default: break;
  }
}

Step parse_call(Context& cx, const YAML::Node& key, const YAML::Node& body, size_t number) {
  Step step;
  step.number = number;
  step.mark = mark_of(key);
  Op op{};
  const std::string opname = key.Scalar();
  if (!parse(opname, op)) cx.reader.fail(key, fmt::format("unknown operation '{}'", opname));
  step.call.op = op;
  const OpSpec& sp = spec(op);
  uint32_t given = 0;
  YAML::Node caller = absent(), as = absent(), fails = absent(), recipient = absent();
  for (auto& [k, v] : cx.reader.map(body, fmt::format("the {} step", opname))) {
    const std::string name = k.Scalar();
    if (name == "caller") { caller.reset(v); continue; }
    if (name == "as" && (op == Op::Subscribe || op == Op::CreateGrant)) { as.reset(v); continue; }
    if (name == "fails") { fails.reset(v); continue; }
    if (name == "recipient" && (sp.params & kPGrant)) { recipient.reset(v); continue; }
    Param bit{};
    bool known = false;
    for (const auto& p : kParamKeys)
      if ((sp.params & p.bit) && key_of(op, p.bit) == name) {
        bit = p.bit;
        known = true;
      }
    if (!known)
      cx.reader.fail(k, fmt::format("{} has no parameter '{}' (it takes: {})", opname, name, accepted_keys(op)));
    given |= bit;
    parse_param(cx, op, bit, v, step);
  }
  if (!caller) cx.reader.fail(body.IsMap() ? body : key, fmt::format("{} needs a caller", opname));
  step.call.caller = cx.account(caller, "caller", /*issuer_ok=*/true, /*unknown_ok=*/true);
  for (const auto& p : kParamKeys)
    if ((sp.required & p.bit) && !(given & p.bit))
      cx.reader.fail(key, fmt::format("{} needs {}", opname, key_of(op, p.bit)));
  if (recipient) {
    step.grant.recipient = cx.account(recipient, "recipient");
    if (step.grant.alias.empty())
      cx.reader.fail(recipient, "recipient names the child of an organization grant given by its alias");
  }
  if (fails) {
    std::string code = cx.reader.scalar(fails, "fails");
    ErrorCode ec{};
    if (!parse(code, ec) || ec == ErrorCode::None) cx.reader.fail(fails, fmt::format("unknown error code '{}'", code));
    step.fails = ec;
  }
  if (as) {
    std::string alias = cx.reader.scalar(as, "as");
    if (fails) cx.reader.fail(as, "a step that must fail creates nothing to name with `as:`");
    bool ok = !alias.empty() && ((alias[0] >= 'A' && alias[0] <= 'Z') || (alias[0] >= 'a' && alias[0] <= 'z'));
    for (char ch : alias)
      ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                  ch == '-' || ch == '.');
    if (!ok || is_printed_id(alias, 'l') || is_printed_id(alias, 'g'))
      cx.reader.fail(as, fmt::format("malformed alias '{}' (a letter, then letters, digits, _ - .)", alias));
    if (auto it = cx.aliases.find(alias); it != cx.aliases.end())
      cx.reader.fail(as, fmt::format("duplicate alias '{}' (already defined at line {})", alias, it->second.mark.line));
    cx.aliases.emplace(alias, AliasInfo{op == Op::Subscribe ? AliasKind::License : AliasKind::Grant, number,
                                        mark_of(as)});
    step.as = alias;
  }
  return step;
}

}  // namespace

std::vector<Step> parse_steps(Context& cx, const YAML::Node& steps) {
  std::vector<Step> out;
  for (const YAML::Node& item : cx.reader.list(steps, "steps")) {
    auto entries = cx.reader.map(item, "a step");
    if (entries.size() != 1)
      cx.reader.fail(item, "a step is a map with exactly one key: the operation name, or expect");
    const auto& [key, body] = entries.front();
    size_t number = out.size() + 1;
    if (key.Scalar() == "expect") {
      Step step;
      step.number = number;
      step.mark = mark_of(key);
      step.is_expect = true;
      step.expect = parse_expect(cx, body);
      out.push_back(std::move(step));
    } else {
      out.push_back(parse_call(cx, key, body, number));
    }
  }
  return out;
}

}  // namespace entmc::scn
