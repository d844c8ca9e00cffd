// The AWS CLI exporter (cli_export.h). Each model operation maps to the CLI
// command of the real operation (aws-api-facts.md; the tests check every
// command against the service models), or to a comment saying what to do by
// hand. ARNs the calls create are captured with --query into shell variables:
// LIC<n> / GRANT<n> for the model's license / grant n, so a later step names
// "$GRANT3" where the scenario named the alias.
#include "aws/cli_export.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "model/entitlement.h"
#include "scenario/scenario_run.h"

namespace entmc::aws {
namespace {

std::string sq(std::string_view s) {  // a single-quoted shell word
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string service_principal(Service s) {
  switch (s) {
    case Service::LicenseManager: return "license-manager.amazonaws.com";
    case Service::Marketplace: return "license-management.marketplace.amazonaws.com";
    case Service::LicenseManagerMaster: return "license-manager-master-account.amazonaws.com";
    case Service::NONE: break;
  }
  return "";
}

std::string allowed_ops_words(uint8_t bits) {
  if (bits == 0) bits = kConsumptionOps;
  std::string out;
  for (auto [bit, name] : kAllowedOpNames)
    if (bits & bit) out += " " + std::string(name);
  return out;
}

class Exporter {
 public:
  explicit Exporter(const Scenario& sc) : sc_(sc), n_(sc.names) {
    seed_ = fmt::format("{:08x}", uint32_t(sc.names.id_seed));
  }

  ExportedScript run() {
    header();
    ScenarioRun run(sc_);
    const World& w = run.world();
    start_state(w);
    while (!run.finished()) {
      const size_t grants_before = w.grants.size();
      const StepReport& r = run.step();
      if (r.is_expect) continue;
      step(r, run.world(), grants_before);
    }
    out_.text += "\necho 'entmc: all steps sent'\n";
    return std::move(out_);
  }

 private:
  void line(const std::string& s) { out_.text += s + "\n"; }

  void header() {
    line("#!/usr/bin/env bash");
    line(fmt::format("# AWS CLI calls for the scenario {} (written by `entmc export --aws-cli`; nothing here was run).",
                     sq(sc_.name)));
    line("# One CLI profile per account; configure each before running (aws configure --profile NAME):");
    for (AccountIx a = 0; a < sc_.initial.accounts.size(); ++a) {
      const char* role = sc_.initial.accounts[a].membership == Membership::MANAGEMENT ? "management account"
                         : sc_.initial.accounts[a].membership == Membership::MEMBER   ? "member account"
                                                                                       : "outside account";
      line(fmt::format("#   {}  {}", profile_of(n_.accounts[a]), role));
    }
    line("# Every create call carries a client token: re-running the script creates nothing twice.");
    line("# A step the scenario expects to fail is followed by `|| echo ...` so that the script goes on.");
    line("set -euo pipefail");
  }

  std::string aws(AccountIx caller, Region region, std::string_view service, std::string_view op) const {
    return fmt::format("aws --profile {} --region {} {} {}", profile_of(n_.account(caller)), to_string(region),
                       service, op);
  }

  // A Marketplace license ARN names the seller's (issuer's) account, not the
  // subscriber's (aws-api-facts.md): known only when the scenario gives it
  // (`issuer:`, written by `entmc import` from the real ARN); otherwise the
  // script asks for it rather than print an ARN that does not exist.
  std::string license_value(LicenseIx l) const {
    const std::string arn = n_.license_arn(l);
    if (!arn.empty()) return sq(arn);
    return fmt::format("\"${{LIC{0}:?set LIC{0} to the ARN of license {1} (aws license-manager "
                       "list-received-licenses; it names the issuer's account)}}\"",
                       l + 1, n_.license_id(l));
  }

  void start_state(const World& w) {
    if (w.licenses.empty() && w.grants.empty()) return;
    line("# The start state's records, by the IDs the scenario gives them (an imported organization's real IDs).");
    for (LicenseIx l = 0; l < w.licenses.size(); ++l) {
      line(fmt::format("LIC{}={}", l + 1, license_value(l)));
      bound_licenses_.insert(l);
    }
    for (GrantIx g = 0; g < w.grants.size(); ++g) {
      line(fmt::format("GRANT{}={}", g + 1, sq(n_.grant_arn(g, w.grants[g].grantor))));
      bound_grants_.insert(g);
    }
  }

  std::string lic(LicenseIx l) const { return fmt::format("\"$LIC{}\"", l + 1); }

  // "$GRANTn", after a look-up line for an organization grant's child that no
  // command of the script created directly.
  std::string grant(const World& w, GrantIx g, AccountIx caller) {
    if (!bound_grants_.count(g)) {
      const Grant& gr = w.grants[g];
      if (gr.is_org_child() && bound_grants_.count(gr.parent)) {
        (void)caller;  // the look-up runs as the child's account, which sees the grants it received
        const AccountIx who = gr.grantee;
        line(fmt::format("GRANT{}=$({} --filters \"Name=LicenseArn,Values=$LIC{}\" --query "
                         "\"Grants[?ParentArn=='$GRANT{}'].GrantArn | [0]\" --output text)",
                         g + 1, aws(who, kHomeRegion, "license-manager", "list-received-grants"), gr.license + 1,
                         gr.parent + 1));
        out_.commands++;
      } else {
        line(fmt::format("GRANT{0}=\"${{GRANT{0}:?set GRANT{0} to the ARN of grant {1}}}\"", g + 1, n_.grant_id(g)));
      }
      bound_grants_.insert(g);
    }
    return fmt::format("\"$GRANT{}\"", g + 1);
  }

  std::string token(const Call& c, size_t step) const {
    if (c.token) return sq(n_.token(c.token));
    return fmt::format("entmc-{}-{}", seed_, step);
  }

  void console(const std::string& what) {
    line("# console: " + what);
    out_.console_steps++;
  }

  // Appends the command, with the capture and the expected-failure tail.
  void command(std::string cmd, const StepReport& r, const std::string& capture_var = {},
               const std::string& query = {}) {
    const bool fails = !r.outcome.ok();
    if (!capture_var.empty() && !fails) cmd = fmt::format("{}=$({} --query {} --output text)", capture_var, cmd, query);
    if (fails)
      cmd += fmt::format(" || echo {}", sq(fmt::format("step {} failed, as the model expects ({})", r.number,
                                                       to_string(r.outcome.error.code))));
    line(cmd);
    out_.commands++;
  }

  void step(const StepReport& r, const World& w, size_t grants_before) {
    line("");
    line(fmt::format("# step {}: {}{}", r.number, r.call_text,
                     r.applied && !r.outcome.ok() ? fmt::format(" (the model refuses: {})", r.outcome_text) : ""));
    if (!r.applied) {
      std::string why = r.failures.empty() ? "unresolved" : r.failures.front().detail;
      line("# skipped: " + why);
      out_.problems.push_back(fmt::format("step {}: {}", r.number, why));
      return;
    }
    const Call& c = r.call;
    const AccountIx who = c.caller;
    switch (c.op) {
      case Op::Subscribe:
        console(fmt::format("as {}, subscribe to {} in the AWS Marketplace console (no CLI call subscribes)",
                            n_.account(who), sq(n_.products[c.product])));
        if (r.outcome.ok() && r.outcome.created != kNone) {
          const LicenseIx l = r.outcome.created;
          line(fmt::format("LIC{0}=\"${{LIC{0}:?set LIC{0} to the license ARN of that subscription (aws "
                           "license-manager list-received-licenses)}}\"",
                           l + 1));
          bound_licenses_.insert(l);
        }
        break;
      case Op::CancelSubscription:
        console(fmt::format("as {}, cancel the subscription of license {} in the AWS Marketplace console",
                            n_.account(who), n_.license_id(c.license)));
        break;
      case Op::DeactivateLicense:
      case Op::ExpireLicense:
        console(fmt::format("the license issuer {} license {}: an event of the seller's side, not a buyer's call",
                            c.op == Op::DeactivateLicense ? "deactivates" : "lets expire", n_.license_id(c.license)));
        break;
      case Op::CreateGrant: {
        std::string principal = c.to_org ? n_.organization_arn(0) : "arn:aws:iam::" + n_.account(c.account) + ":root";
        std::string name = c.name ? n_.string(c.name) : fmt::format("entmc-grant-step-{}", r.number);
        std::string cmd = aws(who, c.region, "license-manager", "create-grant") +
                          fmt::format(" --client-token {} --grant-name {} --license-arn {} --principals {} "
                                      "--home-region {} --allowed-operations{}",
                                      token(c, r.number), sq(name), lic(c.license), sq(principal),
                                      to_string(c.region), allowed_ops_words(c.allowed_ops));
        std::string var;
        if (r.outcome.ok() && r.outcome.created >= grants_before) {
          var = fmt::format("GRANT{}", r.outcome.created + 1);
          bound_grants_.insert(r.outcome.created);
        }
        command(cmd, r, var, "GrantArn");
        break;
      }
      case Op::AcceptGrant:
      case Op::RejectGrant: {
        std::string g = grant(w, c.grant, who);
        command(aws(who, c.region, "license-manager", c.op == Op::AcceptGrant ? "accept-grant" : "reject-grant") +
                    " --grant-arn " + g,
                r);
        break;
      }
      case Op::AcceptAndActivateGrant: {
        std::string g = grant(w, c.grant, who);
        line("# The console's 'Accept & Activate' is two calls: accept-grant, then create-grant-version --status ACTIVE.");
        command(aws(who, c.region, "license-manager", "accept-grant") + " --grant-arn " + g, r);
        std::string cmd = aws(who, c.region, "license-manager", "create-grant-version") +
                          fmt::format(" --client-token {} --grant-arn {} --status ACTIVE", token(c, r.number), g);
        if (c.override_behavior != ActivationOverride::NONE)
          cmd += fmt::format(" --options ActivationOverrideBehavior={}", to_string(c.override_behavior));
        command(cmd, r);
        break;
      }
      case Op::CreateGrantVersion: {
        std::string g = grant(w, c.grant, who);
        std::string cmd = aws(who, c.region, "license-manager", "create-grant-version") +
                          fmt::format(" --client-token {} --grant-arn {}", token(c, r.number), g);
        if (c.name) cmd += " --grant-name " + sq(n_.string(c.name));
        if (c.allowed_ops) cmd += " --allowed-operations" + allowed_ops_words(c.allowed_ops);
        if (c.has_status) cmd += fmt::format(" --status {}", to_string(c.status));
        if (c.reason) cmd += " --status-reason " + sq(n_.string(c.reason));
        if (c.version) cmd += fmt::format(" --source-version {}", c.version);
        if (c.override_behavior != ActivationOverride::NONE)
          cmd += fmt::format(" --options ActivationOverrideBehavior={}", to_string(c.override_behavior));
        command(cmd, r);
        break;
      }
      case Op::DeleteGrant: {
        std::string g = grant(w, c.grant, who);
        std::string cmd = aws(who, c.region, "license-manager", "delete-grant") +
                          fmt::format(" --grant-arn {} --version {}", g, c.version);
        if (c.reason) cmd += " --status-reason " + sq(n_.string(c.reason));
        command(cmd, r);
        break;
      }
      case Op::UpdateServiceSettings:
        command(aws(who, c.region, "license-manager", "update-service-settings") +
                    fmt::format(" --organization-configuration EnableIntegration={}", c.enable),
                r);
        break;
      case Op::EnableAWSServiceAccess:
        command(aws(who, c.region, "organizations", "enable-aws-service-access") +
                    " --service-principal " + service_principal(c.service),
                r);
        break;
      case Op::CreateServiceLinkedRole:
        command(aws(who, c.region, "iam", "create-service-linked-role") + " --aws-service-name " +
                    service_principal(c.service),
                r);
        break;
      case Op::EnableAllFeatures:
        line("# Every member must then approve the all-features handshake (aws organizations accept-handshake).");
        command(aws(who, c.region, "organizations", "enable-all-features"), r);
        break;
      case Op::InviteAccountToOrganization:
        command(aws(who, c.region, "organizations", "invite-account-to-organization") +
                    fmt::format(" --target Id={},Type=ACCOUNT", n_.account(c.account)),
                r, "HS_" + n_.account(c.account), "Handshake.Id");
        break;
      case Op::AcceptHandshake:
        line("# The handshake ID of the invitation: set by the invitation above, or fill it in "
             "(aws organizations list-handshakes-for-account).");
        command(aws(who, c.region, "organizations", "accept-handshake") +
                    fmt::format(" --handshake-id \"${{HS_{0}:?set HS_{0} to the handshake ID}}\"", n_.account(who)),
                r);
        break;
      case Op::RemoveAccountFromOrganization:
        command(aws(who, c.region, "organizations", "remove-account-from-organization") +
                    " --account-id " + n_.account(c.account),
                r);
        break;
      case Op::LeaveOrganization:
        command(aws(who, c.region, "organizations", "leave-organization"), r);
        break;
      case Op::RegisterDelegatedAdministrator:
      case Op::DeregisterDelegatedAdministrator:
        command(aws(who, c.region, "organizations",
                    c.op == Op::RegisterDelegatedAdministrator ? "register-delegated-administrator"
                                                               : "deregister-delegated-administrator") +
                    fmt::format(" --account-id {} --service-principal license-manager.amazonaws.com",
                                n_.account(c.account)),
                r);
        break;
      case Op::LaunchWorkload: {
        if (sc_.initial.products[c.product] != ProductType::AMI) {
          console(fmt::format("as {}, start a {} workload of {} (no single CLI call for this product type)",
                              n_.account(who), to_string(sc_.initial.products[c.product]), sq(n_.products[c.product])));
          break;
        }
        std::string var = fmt::format("I{}", r.number);
        command(aws(who, c.region, "ec2", "run-instances") +
                    fmt::format(" --image-id \"${{AMI_{0}:?set AMI_{0} to the AMI ID of {1}}}\" --min-count 1 "
                                "--max-count 1 --client-token entmc-{2}-{3}",
                                c.product + 1, sq(n_.products[c.product]), seed_, r.number),
                r, var, "'Instances[0].InstanceId'");
        if (r.outcome.ok()) instances_[{who, c.product}].push_back(var);
        break;
      }
      case Op::StopWorkload: {
        if (sc_.initial.products[c.product] != ProductType::AMI) {
          console(fmt::format("as {}, stop a {} workload of {}", n_.account(who),
                              to_string(sc_.initial.products[c.product]), sq(n_.products[c.product])));
          break;
        }
        auto& stack = instances_[{who, c.product}];
        std::string id = stack.empty() ? fmt::format("\"${{RUNNING_{0}_{1}:?set to the instance ID of a running {2} "
                                                     "workload of {0}}}\"",
                                                     n_.account(who), c.product + 1, sq(n_.products[c.product]))
                                       : "\"$" + stack.back() + "\"";
        if (!stack.empty() && r.outcome.ok()) stack.pop_back();
        command(aws(who, c.region, "ec2", "terminate-instances") + " --instance-ids " + id, r);
        break;
      }
    }
  }

  const Scenario& sc_;
  const Names& n_;
  std::string seed_;
  ExportedScript out_;
  std::set<LicenseIx> bound_licenses_;
  std::set<GrantIx> bound_grants_;
  std::map<std::pair<AccountIx, ProductIx>, std::vector<std::string>> instances_;
};

}  // namespace

std::string profile_of(const std::string& account_id) { return "acct-" + account_id; }

ExportedScript export_aws_cli(const Scenario& sc) { return Exporter(sc).run(); }

}  // namespace entmc::aws
