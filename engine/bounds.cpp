#include "engine/bounds.h"

namespace entmc::engine {

Bounds Bounds::everything(const World& w) {
  Bounds b;
  for (int op = 0; op < kOpCount; ++op) b.operations.push_back(static_cast<Op>(op));
  for (AccountIx a = 0; a < w.accounts.size(); ++a) {
    b.callers.push_back(a);
    b.targets.push_back(a);
    b.principals.push_back(a);
  }
  for (ProductIx p = 0; p < w.products.size(); ++p) b.products.push_back(p);
  return b;
}

namespace {

bool is_issuer_op(Op op) { return op == Op::DeactivateLicense || op == Op::ExpireLicense; }

// The per-grant parameter cross product of one (op, caller, region, grant).
template <typename Emit>
void versions_of(const Grant& g, const Bounds& b, Emit&& emit) {
  for (VersionChoice v : b.versions) {
    switch (v) {
      case VersionChoice::Current: emit(g.version); break;
      case VersionChoice::Stale:
        if (g.version > 1) emit(g.version - 1);
        break;
      case VersionChoice::Omitted: emit(0u); break;
    }
  }
}

void enumerate_op(const World& w, const Bounds& b, Op op, AccountIx caller, Region region, std::vector<Call>& out) {
  Call c;
  c.op = op;
  c.caller = caller;
  c.region = region;
  const auto nl = LicenseIx(w.licenses.size());
  const auto ng = GrantIx(w.grants.size());
  switch (op) {
    case Op::Subscribe:
    case Op::LaunchWorkload:
    case Op::StopWorkload:
      for (ProductIx p : b.products) {
        c.product = p;
        out.push_back(c);
      }
      break;
    case Op::CancelSubscription:
    case Op::DeactivateLicense:
    case Op::ExpireLicense:
      for (LicenseIx l = 0; l < nl; ++l) {
        c.license = l;
        out.push_back(c);
      }
      break;
    case Op::CreateGrant:
      for (LicenseIx l = 0; l < nl; ++l) {
        c.license = l;
        for (uint8_t ops : b.allowed_ops)
          for (StringId name : b.names)
            for (TokenId token : b.tokens) {
              c.allowed_ops = ops;
              c.name = name;
              c.token = token;
              c.to_org = false;
              for (AccountIx p : b.principals) {
                c.account = p;
                out.push_back(c);
              }
              if (b.principal_organization) {
                c.to_org = true;
                c.account = kNone;
                out.push_back(c);
              }
            }
      }
      break;
    case Op::AcceptGrant:
    case Op::RejectGrant:
      for (GrantIx g = 0; g < ng; ++g) {
        c.grant = g;
        out.push_back(c);
      }
      break;
    case Op::AcceptAndActivateGrant:
      for (GrantIx g = 0; g < ng; ++g)
        for (ActivationOverride ov : b.overrides) {
          c.grant = g;
          c.override_behavior = ov;
          out.push_back(c);
        }
      break;
    case Op::CreateGrantVersion:
      for (GrantIx g = 0; g < ng; ++g) {
        c.grant = g;
        versions_of(w.grants[g], b, [&](uint32_t version) {
          c.version = version;
          for (TokenId token : b.tokens) {
            c.token = token;
            for (GrantStatus s : b.statuses)
              for (ActivationOverride ov : b.overrides)
                for (StringId reason : b.reasons) {
                  c.has_status = true;
                  c.status = s;
                  c.override_behavior = ov;
                  c.reason = reason;
                  c.name = 0;
                  out.push_back(c);
                }
            if (b.version_without_status) {
              c.has_status = false;
              c.status = GrantStatus::PENDING_WORKFLOW;
              c.override_behavior = ActivationOverride::NONE;
              for (StringId name : b.names)
                for (StringId reason : b.reasons) {
                  c.name = name;
                  c.reason = reason;
                  out.push_back(c);
                }
            }
          }
        });
      }
      break;
    case Op::DeleteGrant:
      for (GrantIx g = 0; g < ng; ++g) {
        c.grant = g;
        versions_of(w.grants[g], b, [&](uint32_t version) {
          c.version = version;
          for (StringId reason : b.reasons) {
            c.reason = reason;
            out.push_back(c);
          }
        });
      }
      break;
    case Op::UpdateServiceSettings:
      for (bool e : b.integration) {
        c.enable = e;
        out.push_back(c);
      }
      break;
    case Op::EnableAWSServiceAccess:
      for (Service s : b.access_services) {
        c.service = s;
        out.push_back(c);
      }
      break;
    case Op::CreateServiceLinkedRole:
      for (Service s : b.roles) {
        c.service = s;
        out.push_back(c);
      }
      break;
    case Op::EnableAllFeatures:
    case Op::AcceptHandshake:
    case Op::LeaveOrganization: out.push_back(c); break;
    case Op::InviteAccountToOrganization:
    case Op::RemoveAccountFromOrganization:
    case Op::RegisterDelegatedAdministrator:
    case Op::DeregisterDelegatedAdministrator:
      for (AccountIx t : b.targets) {
        c.account = t;
        out.push_back(c);
      }
      break;
  }
}

}  // namespace

void enumerate_calls(const World& w, const Bounds& b, std::vector<Call>& out) {
  for (Op op : b.operations) {
    for (Region region : b.regions) {
      if (is_issuer_op(op)) {
        enumerate_op(w, b, op, kIssuer, region, out);
        continue;
      }
      for (AccountIx caller : b.callers) enumerate_op(w, b, op, caller, region, out);
    }
  }
}

bool beyond_caps(const World& w, const Bounds& b) {
  if (b.max_licenses && w.licenses.size() > b.max_licenses) return true;
  if (b.max_grants && w.grants.size() > b.max_grants) return true;
  if (b.max_running)
    for (uint8_t n : w.running)
      if (n > b.max_running) return true;
  if (b.max_grant_version)
    for (const Grant& g : w.grants)
      if (g.version > b.max_grant_version) return true;
  return false;
}

}  // namespace entmc::engine
