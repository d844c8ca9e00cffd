#include "cli/require_covers.h"

#include <fmt/format.h>

#include <algorithm>

namespace entmc::cli {

std::vector<std::string> require_covers_gaps(const engine::Bounds& b, const engine::ExploreResult& r, bool covers) {
  std::vector<std::string> gaps;
  auto has = [&](Op op) { return std::find(b.operations.begin(), b.operations.end(), op) != b.operations.end(); };
  // The domains an operation in the bounds draws its parameters from; an
  // empty one leaves that operation (or that variant of it) untried.
  auto empty_for = [&](bool empty, std::string_view domain, std::initializer_list<Op> ops) {
    for (Op op : ops)
      if (empty && has(op)) {
        gaps.push_back(fmt::format("bounds: {} is empty, so {} is never tried", domain, to_string(op)));
        return;
      }
  };
  empty_for(b.regions.empty(), "regions", {Op::Subscribe, Op::CreateGrant, Op::LaunchWorkload});
  empty_for(b.statuses.empty() && !b.version_without_status, "statuses", {Op::CreateGrantVersion});
  empty_for(b.overrides.empty(), "overrides", {Op::AcceptAndActivateGrant, Op::CreateGrantVersion});
  empty_for(b.versions.empty(), "versions", {Op::CreateGrantVersion, Op::DeleteGrant});
  empty_for(b.access_services.empty(), "access_services", {Op::EnableAWSServiceAccess});
  empty_for(b.roles.empty(), "roles", {Op::CreateServiceLinkedRole});
  empty_for(b.integration.empty(), "integration", {Op::UpdateServiceSettings});
  empty_for(b.allowed_ops.empty(), "allowed_operations", {Op::CreateGrant});
  empty_for(b.principals.empty() && !b.principal_organization, "principals", {Op::CreateGrant});
  empty_for(b.targets.empty(), "targets",
            {Op::InviteAccountToOrganization, Op::RemoveAccountFromOrganization, Op::RegisterDelegatedAdministrator,
             Op::DeregisterDelegatedAdministrator});
  for (int op = 0; op < kOpCount; ++op)
    if (r.op_in_bounds[op] && r.coverage[op].succeeded == 0)
      gaps.push_back(fmt::format("operation {} is never enabled (no call of it succeeds in any state)", to_string(Op(op))));
  for (const auto& s : r.sometimes)
    if (covers && !s.reached) gaps.push_back(fmt::format("cover property {} is never reached", s.property));
  return gaps;
}

}  // namespace entmc::cli
