#include "properties/describe.h"

#include <fmt/format.h>

namespace entmc::props {

std::string account_name(const Names& n, AccountIx a) {
  if (a == kNone) return "the organization";
  return n.account(a);
}

std::string product_name(const Names& n, ProductIx p) {
  if (p < n.products.size()) return n.products[p];
  return fmt::format("product#{}", p);
}

std::string grant_name(const Names& n, const World& w, GrantIx g) {
  if (g >= w.grants.size()) return n.grant_id(g);
  const Grant& gr = w.grants[g];
  const ProductIx p = gr.license < w.licenses.size() ? w.licenses[gr.license].product : ProductIx(0);
  return fmt::format("grant {} ({} -> {}, {}{})", n.grant_id(g), account_name(n, gr.grantor),
                     account_name(n, gr.grantee), product_name(n, p),
                     gr.is_org_parent() ? ", organization grant" : gr.is_org_child() ? ", organization child" : "");
}

std::string license_name(const Names& n, const World& w, LicenseIx l) {
  if (l >= w.licenses.size()) return n.license_id(l);
  const License& lic = w.licenses[l];
  return fmt::format("license {} ({} owned by {})", n.license_id(l), product_name(n, lic.product),
                     account_name(n, lic.owner));
}

}  // namespace entmc::props
