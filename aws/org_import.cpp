// The importer (org_import.h): AWS CLI outputs -> World + Names -> scenario.
#include "aws/org_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "aws/arn.h"
#include "aws/json_input.h"
#include "model/changes_log.h"
#include "scenario/scenario_writer.h"

namespace entmc::aws {
namespace fs = std::filesystem;
namespace {

struct LicenseIn {
  std::string arn, id, issuer, product, owner, status, region, file;  // issuer: the ARN's account (the seller's)
};
struct GrantIn {
  std::string arn, id, name, parent_arn, license_arn, grantee_arn, status, reason, version, region, file;
  std::vector<std::string> ops;
  std::string override_behavior;
};

class Importer {
 public:
  Importer(std::string dir, const ImportOptions& o) : dir_(std::move(dir)), opt_(o) {}

  ImportedOrg run() {
    read_organization();
    read_settings();
    // The directory's own files, then one folder per other account.
    read_records(dir_, mgmt_);
    std::vector<fs::path> subdirs;
    if (fs::is_directory(dir_))
      for (const auto& e : fs::directory_iterator(dir_))
        if (e.is_directory() && is_account_id(e.path().filename().string())) subdirs.push_back(e.path());
    std::sort(subdirs.begin(), subdirs.end());
    for (const auto& d : subdirs) read_records(d.string(), d.filename().string());
    build();
    return std::move(out_);
  }

 private:
  std::optional<JsonDoc> load(const std::string& dir, const std::string& name, bool required) {
    fs::path p = fs::path(dir) / name;
    if (!fs::exists(p)) {
      if (required) throw InputError(p.string(), 1, 1, "missing: see docs/real-accounts.md for the command that writes it");
      return std::nullopt;
    }
    out_.files.push_back(p.string());
    return load_json_file(p.string());
  }
  void note(std::string s) { out_.notes.push_back(std::move(s)); }

  void read_organization() {
    auto org = load(dir_, "describe-organization.json", true);
    const Json* o = JsonDoc::member(org->root, "Organization");
    if (!o || !o->is_object()) org->fail(org->root, "missing Organization (the output of aws organizations describe-organization)");
    org_id_ = org->str(*o, "Id");
    if (!is_organization_id(org_id_)) org->fail(*o, fmt::format("malformed organization ID '{}'", org_id_));
    std::string fs_name = org->str(*o, "FeatureSet");
    if (!parse(fs_name, feature_set_)) org->fail(*o, fmt::format("unknown FeatureSet '{}'", fs_name));
    mgmt_ = org->str(*o, "MasterAccountId");
    if (!is_account_id(mgmt_)) org->fail(*o, fmt::format("malformed MasterAccountId '{}'", mgmt_));

    auto accounts = load(dir_, "list-accounts.json", true);
    for (const Json& a : accounts->list(accounts->root, "Accounts")) {
      std::string id = accounts->str(a, "Id");
      if (!is_account_id(id)) accounts->fail(a, fmt::format("malformed account ID '{}'", id));
      std::string status = accounts->opt_str(a, "Status");
      if (!status.empty() && status != "ACTIVE")
        note(fmt::format("{}: account {} is {}: the model has no suspended or closing accounts; imported as a member",
                         accounts->file, id, status));
      if (id != mgmt_ && std::find(members_.begin(), members_.end(), id) == members_.end()) members_.push_back(id);
    }
    if (auto admins = load(dir_, "list-delegated-administrators.json", false)) {
      for (const Json& a : admins->list(admins->root, "DelegatedAdministrators")) {
        std::string id = admins->str(a, "Id");
        if (delegated_.empty()) delegated_ = id;
        else note(fmt::format("{}: more than one delegated administrator listed; the model has one: kept {}, left out {} "
                              "(run the command with --service-principal license-manager.amazonaws.com)",
                              admins->file, delegated_, id));
      }
    }
  }

  void read_settings() {
    if (auto s = load(dir_, "get-service-settings.json", false)) {
      const Json* oc = JsonDoc::member(s->root, "OrganizationConfiguration");
      const Json* en = oc ? JsonDoc::member(*oc, "EnableIntegration") : nullptr;
      if (en && !en->is_boolean()) s->fail(*oc, "EnableIntegration is not a boolean");
      linked_ = en && en->get<bool>();
    } else {
      note("get-service-settings.json: absent; 'Link AWS Organizations accounts' assumed off");
    }
    if (auto t = load(dir_, "list-aws-service-access-for-organization.json", false)) {
      trusted_known_ = true;
      for (const Json& p : t->list(t->root, "EnabledServicePrincipals")) {
        std::string sp = t->str(p, "ServicePrincipal");
        if (sp == "license-manager.amazonaws.com") trusted_ |= kTrustedLicenseManager;
        else if (sp == "license-management.marketplace.amazonaws.com") trusted_ |= kTrustedMarketplace;
      }
    }
  }

  void read_records(const std::string& dir, const std::string& account) {
    for (const char* f : {"list-licenses.json", "list-received-licenses.json"})
      if (auto d = load(dir, f, false))
        for (const Json& l : d->list(d->root, "Licenses")) {
          LicenseIn in;
          in.file = d->file;
          in.arn = d->str(l, "LicenseArn");
          auto arn = parse_arn(in.arn);
          if (!arn || arn->kind != ArnKind::License) d->fail(l, fmt::format("malformed LicenseArn '{}'", in.arn));
          in.id = arn->id;
          if (is_account_id(arn->account)) in.issuer = arn->account;  // a license ARN names its issuer's account
          in.product = d->opt_str(l, "ProductName");
          if (in.product.empty()) in.product = d->opt_str(l, "ProductSKU");
          if (in.product.empty()) in.product = d->str(l, "LicenseName");
          in.owner = d->opt_str(l, "Beneficiary");
          if (!is_account_id(in.owner)) {
            if (!in.owner.empty())
              note(fmt::format("{}: license {}: Beneficiary '{}' is not an account ID; the subscriber is taken to be {}",
                               d->file, in.id, in.owner, account));
            in.owner = account;
          }
          in.status = d->str(l, "Status");
          in.region = d->opt_str(l, "HomeRegion");
          if (std::none_of(licenses_.begin(), licenses_.end(), [&](const LicenseIn& x) { return x.id == in.id; }))
            licenses_.push_back(in);
        }
    for (const char* f : {"list-distributed-grants.json", "list-received-grants.json"})
      if (auto d = load(dir, f, false))
        for (const Json& g : d->list(d->root, "Grants")) {
          GrantIn in;
          in.file = d->file;
          in.arn = d->str(g, "GrantArn");
          auto arn = parse_arn(in.arn);
          if (!arn || arn->kind != ArnKind::Grant) d->fail(g, fmt::format("malformed GrantArn '{}'", in.arn));
          in.id = arn->id;
          in.name = d->opt_str(g, "GrantName");
          // A grant made on a license names the license as its parent; only a
          // grant ARN there makes it the child of an organization grant.
          in.parent_arn = d->opt_str(g, "ParentArn");
          if (auto p = parse_arn(in.parent_arn); !p || p->kind != ArnKind::Grant) in.parent_arn.clear();
          in.license_arn = d->str(g, "LicenseArn");
          in.grantee_arn = d->str(g, "GranteePrincipalArn");
          in.status = d->str(g, "GrantStatus");
          in.reason = d->opt_str(g, "StatusReason");
          in.version = d->str(g, "Version");
          in.region = d->opt_str(g, "HomeRegion");
          if (const Json* ops = JsonDoc::member(g, "GrantedOperations")) {
            if (!ops->is_array()) d->fail(g, "GrantedOperations is not a list");
            for (const Json& o : *ops) in.ops.push_back(o.is_string() ? o.get<std::string>() : o.dump());
          }
          if (const Json* o = JsonDoc::member(g, "Options")) in.override_behavior = d->opt_str(*o, "ActivationOverrideBehavior");
          auto same = std::find_if(grants_.begin(), grants_.end(), [&](const GrantIn& x) { return x.id == in.id; });
          if (same == grants_.end()) grants_.push_back(in);
          else if (same->version != in.version || same->status != in.status)
            note(fmt::format("{}: grant {} is listed as {} v{} here and {} v{} in {}; kept the first",
                             d->file, in.id, in.status, in.version, same->status, same->version, same->file));
        }
  }

  AccountIx account_ix(const std::string& id, const std::string& why) {
    if (auto it = ix_.find(id); it != ix_.end()) return it->second;
    note(fmt::format("account {} ({}) is not in list-accounts: imported as an account outside the organization", id, why));
    outside_.push_back(id);
    AccountIx a = AccountIx(names_.accounts.size());
    names_.accounts.push_back(id);
    ix_[id] = a;
    return a;
  }

  void build() {
    // Accounts that grants name but list-accounts does not are added as
    // outside accounts after the members, which the writer's order allows.
    names_.org_id = org_id_;
    for (const auto& id : std::vector<std::string>{mgmt_}) names_.accounts.push_back(id), ix_[id] = 0;
    for (const auto& id : members_) ix_[id] = AccountIx(names_.accounts.size()), names_.accounts.push_back(id);
    // Products, in order of first appearance.
    std::vector<ProductType> types;
    for (const LicenseIn& l : licenses_)
      if (!names_.find_product(l.product)) {
        names_.products.push_back(l.product);
        ProductType t = ProductType::AMI;
        if (auto it = opt_.product_types.find(l.product); it != opt_.product_types.end()) {
          if (!parse(it->second, t)) throw InputError("--product-type", 1, 1, "unknown product type " + it->second);
        } else {
          note(fmt::format("product {}: its type is not in the CLI outputs; taken as AMI (use --product-type)", l.product));
        }
        types.push_back(t);
      }
    // Outside accounts first named by licenses and grants: found before the world is built.
    std::map<std::string, LicenseIx> license_ix;
    for (const LicenseIn& l : licenses_) account_ix(l.owner, "a license's subscriber");
    for (const GrantIn& g : grants_) {
      if (auto a = parse_arn(g.arn)) account_ix(a->account, "a grantor");
      if (auto p = parse_arn(g.grantee_arn); p && p->kind == ArnKind::Account) account_ix(p->account, "a grantee");
    }
    World& w = out_.world;
    w = make_world(feature_set_, types, 0);
    for (AccountIx a = 0; a < names_.accounts.size(); ++a)
      add_account(w, a == 0 ? Membership::MANAGEMENT : a <= members_.size() ? Membership::MEMBER : Membership::OUTSIDE,
                  kSlrLicenseManager | kSlrMarketplace | (a == 0 ? kSlrLicenseManagerMaster : 0));
    note("service-linked roles are not in the CLI outputs: assumed present in every account");
    note("running workloads are not in the CLI outputs: none imported (add a start `workloads:` list by hand)");
    w.org.management = 0;
    if (!delegated_.empty()) {
      auto it = ix_.find(delegated_);
      if (it == ix_.end() || w.accounts[it->second].membership != Membership::MEMBER)
        note(fmt::format("delegated administrator {} is not a member account: left out", delegated_));
      else
        w.org.delegated_admin = it->second;
    }
    if (feature_set_ == FeatureSet::ALL) {
      if (linked_) w.org.flags |= kLinkedAccounts;
      if (trusted_known_) {
        w.org.flags |= trusted_;
      } else {
        bool org_grant = std::any_of(grants_.begin(), grants_.end(), [](const GrantIn& g) {
          auto p = parse_arn(g.grantee_arn);
          return p && p->kind == ArnKind::Organization;
        });
        if (org_grant) w.org.flags |= kTrustedLicenseManager | kTrustedMarketplace;
        note(fmt::format("trusted access not read (add list-aws-service-access-for-organization.json): assumed {}",
                         org_grant ? "enabled, since the organization has grants to its ID" : "off"));
      }
    }
    for (const LicenseIn& l : licenses_) {
      License rec;
      rec.product = *names_.find_product(l.product);
      rec.owner = ix_.at(l.owner);
      if (!parse(l.status, rec.status)) {
        note(fmt::format("{}: license {}: unknown Status '{}': left out", l.file, l.id, l.status));
        continue;
      }
      if (!l.region.empty() && !parse(l.region, rec.home_region))
        note(fmt::format("{}: license {}: HomeRegion {} is not one the model knows: taken as us-east-1", l.file, l.id, l.region));
      LicenseIx ix = mut::add_license(w, nullptr, rec);
      names_.given_license_ids.push_back(l.id);
      names_.license_issuers.push_back(l.issuer);
      license_ix[l.id] = ix;
    }
    // Grants to the organization first: every child's parent then exists.
    std::stable_sort(grants_.begin(), grants_.end(), [](const GrantIn& a, const GrantIn& b) {
      return a.parent_arn.empty() > b.parent_arn.empty();
    });
    std::map<std::string, GrantIx> grant_ix;
    for (const GrantIn& g : grants_) add_grant(g, license_ix, grant_ix);
    out_.names = names_;
    out_.scenario = write_scenario(names_, w, {}, ScenarioText{opt_.name, description(), comment()});
  }

  void add_grant(const GrantIn& g, const std::map<std::string, LicenseIx>& license_ix,
                 std::map<std::string, GrantIx>& grant_ix) {
    World& w = out_.world;
    auto left_out = [&](const std::string& why) { note(fmt::format("{}: grant {}: {}: left out", g.file, g.id, why)); };
    Grant rec;
    auto lic = parse_arn(g.license_arn);
    if (!lic || !license_ix.count(lic->id)) return left_out("its license " + g.license_arn + " is in no license list");
    rec.license = license_ix.at(lic->id);
    rec.grantor = ix_.at(parse_arn(g.arn)->account);
    auto principal = parse_arn(g.grantee_arn);
    if (!principal) return left_out("unreadable GranteePrincipalArn " + g.grantee_arn);
    if (principal->kind == ArnKind::Organization) {
      if (principal->id != names_.org_id) return left_out("granted to another organization " + principal->id);
      if (!g.parent_arn.empty()) return left_out("a grant to the organization with a parent");
      rec.grantee = kNone;
      rec.flags |= kOrgParent;
    } else if (principal->kind == ArnKind::Account) {
      rec.grantee = ix_.at(principal->account);
    } else {
      return left_out("granted to an organizational unit (" + g.grantee_arn + "), which the model does not represent");
    }
    if (!g.parent_arn.empty()) {
      auto parent = parse_arn(g.parent_arn);
      if (!parent || !grant_ix.count(parent->id)) return left_out("its parent " + g.parent_arn + " is not listed");
      rec.parent = grant_ix.at(parent->id);
      if (!w.grants[rec.parent].is_org_parent()) return left_out("its parent is not a grant to the organization");
    }
    if (!parse(g.status, rec.status)) return left_out("unknown GrantStatus " + g.status);
    try {
      size_t used = 0;
      unsigned long v = std::stoul(g.version, &used);
      if (used != g.version.size() || v == 0 || v > 0xFFFFFFFEul) throw std::invalid_argument(g.version);
      rec.version = uint32_t(v);
    } catch (const std::exception&) {
      return left_out("Version '" + g.version + "' is not a positive whole number");
    }
    if (!g.region.empty() && !parse(g.region, rec.home_region))
      note(fmt::format("{}: grant {}: HomeRegion {} unknown to the model: taken as us-east-1", g.file, g.id, g.region));
    uint8_t ops = 0;
    for (const std::string& o : g.ops) {
      bool found = false;
      for (auto [bit, name] : kAllowedOpNames)
        if (name == o) found = true, ops |= bit;
      if (!found) note(fmt::format("{}: grant {}: unknown operation {} left out of its operations", g.file, g.id, o));
      if (o == "CreateGrant") {
        ops &= uint8_t(~kCreateGrantOp);
        note(fmt::format("{}: grant {}: CreateGrant among its operations: the model's grants carry consumption "
                         "rights only; left out of its operations", g.file, g.id));
      }
    }
    rec.allowed_ops = ops ? ops : kConsumptionOps;
    if (!g.override_behavior.empty())
      note(fmt::format("{}: grant {}: ActivationOverrideBehavior {} is an option of the call that activated it; the "
                       "model keeps no such field on a grant", g.file, g.id, g.override_behavior));
    if (!g.name.empty()) rec.name = names_.intern_string(g.name);
    if (!g.reason.empty()) rec.status_reason = names_.intern_string(g.reason);
    GrantIx ix = mut::add_grant(w, nullptr, rec);
    if (rec.is_org_parent()) w.org_grants.push_back(ix);
    names_.given_grant_ids.resize(ix + 1);
    names_.given_grant_ids[ix] = g.id;
    grant_ix[g.id] = ix;
  }

  std::string description() const {
    return fmt::format("Imported by `entmc import` from {} ({} files): organization {}, {} accounts, {} licenses, {} "
                       "grants. Real IDs kept.",
                       dir_, out_.files.size(), org_id_, names_.accounts.size(), out_.world.licenses.size(),
                       out_.world.grants.size());
  }
  std::string comment() const {
    std::string s = "Import notes (what the model does not represent, or what was assumed):";
    for (const auto& n : out_.notes) s += "\n- " + n;
    return s;
  }

  std::string dir_;
  ImportOptions opt_;
  ImportedOrg out_;
  Names names_;
  std::string org_id_, mgmt_, delegated_;
  FeatureSet feature_set_ = FeatureSet::ALL;
  std::vector<std::string> members_, outside_;
  std::map<std::string, AccountIx> ix_;
  bool linked_ = false, trusted_known_ = false;
  uint8_t trusted_ = 0;
  std::vector<LicenseIn> licenses_;
  std::vector<GrantIn> grants_;
};

}  // namespace

ImportedOrg import_directory(const std::string& dir, const ImportOptions& opt) {
  if (!fs::is_directory(dir)) throw InputError(dir, 1, 1, "not a directory");
  return Importer(dir, opt).run();
}

}  // namespace entmc::aws
