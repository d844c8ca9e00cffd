#include "aws/arn.h"

#include <tuple>
#include <vector>

#include "model/names.h"

namespace entmc::aws {

std::optional<Arn> parse_arn(std::string_view s) {
  if (is_account_id(s)) return Arn{ArnKind::Account, std::string(s), ""};
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {  // arn, partition, service, region, account; the rest is the resource
    size_t colon = s.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(s.substr(start, colon - start));
    start = colon + 1;
  }
  std::string_view resource = s.substr(start);
  if (parts[0] != "arn" || !is_account_id(parts[4])) return std::nullopt;
  Arn out{ArnKind::Account, std::string(parts[4]), ""};
  if (parts[2] == "license-manager") {
    for (auto [prefix, kind, letter] : {std::tuple{"license:", ArnKind::License, 'l'}, {"grant:", ArnKind::Grant, 'g'}})
      if (resource.rfind(prefix, 0) == 0) {
        std::string_view id = resource.substr(std::string_view(prefix).size());
        if (id.size() < 3 || id[0] != letter || id[1] != '-') return std::nullopt;
        out.kind = kind;
        out.id = std::string(id);
        return out;
      }
    return std::nullopt;
  }
  if (parts[2] == "organizations") {
    if (resource.rfind("organization/", 0) == 0) {
      out.kind = ArnKind::Organization;
      out.id = std::string(resource.substr(13));
      return is_organization_id(out.id) ? std::optional<Arn>(out) : std::nullopt;
    }
    if (resource.rfind("ou/", 0) == 0) {
      out.kind = ArnKind::OrganizationalUnit;
      out.id = std::string(resource.substr(resource.rfind('/') + 1));
      return out;
    }
    return std::nullopt;
  }
  if (parts[2] == "iam" && resource == "root") return out;
  return std::nullopt;
}

}  // namespace entmc::aws
