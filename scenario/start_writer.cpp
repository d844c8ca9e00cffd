// The `start` section writer (start_writer.h). Records are written in index
// order, so the parser appends them in the same order and rebuilds the same
// World: the same records, links and digest.
#include "scenario/start_writer.h"

#include <fmt/format.h>

#include <algorithm>

namespace entmc::scn {

std::string yaml_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += char(ch);
    } else if (ch < 0x20 || ch == 0x7F) {
      out += fmt::format("\\x{:02x}", ch);
    } else {
      out += char(ch);
    }
  }
  return out + "\"";
}

namespace {

std::string ops_list(uint8_t bits) {
  std::string out = "[";
  for (auto [bit, name] : kAllowedOpNames)
    if (bits & bit) {
      if (out.size() > 1) out += ", ";
      out += name;
    }
  return out + "]";
}

bool any_running(const World& w) {
  for (uint8_t r : w.running)
    if (r) return true;
  return false;
}

}  // namespace

std::vector<StringId> start_strings(const World& w) {
  std::vector<StringId> out;
  auto note = [&](StringId id) {
    if (id >= kFirstUserString && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  for (const Grant& g : w.grants) {
    note(g.name);  // the writer puts name before reason
    note(g.status_reason);
  }
  return out;
}

void write_start(std::string& out, const Names& n, const World& w, std::unordered_map<uint32_t, std::string>& licenses,
                 std::unordered_map<uint32_t, std::string>& grants) {
  if (w.licenses.empty() && w.grants.empty() && !any_running(w)) return;
  out += "start:\n";
  if (!w.licenses.empty()) out += "  licenses:\n";
  for (LicenseIx l = 0; l < w.licenses.size(); ++l) {
    const License& lic = w.licenses[l];
    std::string alias = fmt::format("lic{}", l + 1);
    licenses[l] = alias;
    out += fmt::format("    - {{as: {}", alias);
    if (l < n.given_license_ids.size() && !n.given_license_ids[l].empty()) out += ", id: " + n.given_license_ids[l];
    if (l < n.license_issuers.size() && !n.license_issuers[l].empty()) out += ", issuer: " + yaml_quote(n.license_issuers[l]);
    out += fmt::format(", product: {}, owner: {}, status: {}", yaml_quote(n.products.at(lic.product)),
                       yaml_quote(n.accounts.at(lic.owner)), to_string(lic.status));
    if (lic.home_region != kHomeRegion) out += fmt::format(", home_region: {}", to_string(lic.home_region));
    out += "}\n";
  }
  if (!w.grants.empty()) out += "  grants:\n";
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    std::string alias = fmt::format("grant{}", g + 1);
    grants[g] = alias;
    out += fmt::format("    - {{as: {}", alias);
    if (g < n.given_grant_ids.size() && !n.given_grant_ids[g].empty()) out += ", id: " + n.given_grant_ids[g];
    if (gr.is_org_child()) {
      const Grant& parent = w.grants.at(gr.parent);
      out += ", parent: " + grants.at(gr.parent);
      if (gr.license != parent.license) out += ", license: " + licenses.at(gr.license);
      if (gr.grantor != parent.grantor) out += ", grantor: " + yaml_quote(n.accounts.at(gr.grantor));
    } else {
      out += ", license: " + licenses.at(gr.license);
      out += ", grantor: " + yaml_quote(n.accounts.at(gr.grantor));
    }
    out += ", principal: " + (gr.is_org_parent() ? n.org_id : yaml_quote(n.accounts.at(gr.grantee)));
    out += fmt::format(", status: {}, version: {}", to_string(gr.status), gr.version);
    if (gr.name) out += ", name: " + yaml_quote(n.string(gr.name));
    if (gr.status_reason) out += ", reason: " + yaml_quote(n.string(gr.status_reason));
    if (gr.flags & kBulkActive) out += ", bulk_activated: true";
    const uint8_t inherited = gr.is_org_child() ? w.grants[gr.parent].allowed_ops : uint8_t(kConsumptionOps);
    if (gr.allowed_ops != inherited) out += ", allowed_operations: " + ops_list(gr.allowed_ops);
    if (gr.home_region != kHomeRegion) out += fmt::format(", home_region: {}", to_string(gr.home_region));
    out += "}\n";
  }
  if (any_running(w)) {
    out += "  workloads:\n";
    for (AccountIx a = 0; a < w.accounts.size(); ++a)
      for (ProductIx p = 0; p < w.products.size(); ++p)
        if (uint8_t r = w.running_at(a, p))
          out += fmt::format("    - {{account: {}, product: {}, running: {}}}\n", yaml_quote(n.accounts[a]),
                             yaml_quote(n.products[p]), r);
  }
}

}  // namespace entmc::scn
