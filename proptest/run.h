// A random run: a world description plus a sequence of steps. Steps refer to
// the licenses and grants that earlier steps created symbolically (by the
// index of the creating step), never by raw index, so that deleting a step
// while shrinking cannot silently retarget a later step to another grant: a
// step whose reference no longer resolves is dropped (see execute.h).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/call.h"
#include "proptest/world_spec.h"

namespace entmc::proptest {

enum class RefKind : uint8_t {
  None,      // the operation takes no license/grant
  Created,   // the license or grant that step `step` created (or returned, for a repeated ClientToken)
  OrgChild,  // the child, received by `account`, of the organization grant that step `step` created
  Unknown,   // the first index the world does not have when the step runs (a wrong step: a record
             // that does not exist, exactly one past the table's end)
};

struct Ref {
  RefKind kind = RefKind::None;
  uint32_t step = 0;
  AccountIx account = kNone;
  bool operator==(const Ref&) const = default;
};

// DeleteGrant's Version / CreateGrantVersion's SourceVersion.
enum class VersionArg : uint8_t {
  None,     // not given
  Current,  // the grant's current version when the step runs
  Stale,    // a version that is not the current one (wrong on purpose)
};

struct Step {
  // Every field but license, grant, version, name, reason and token is used as
  // is; those are filled in when the step runs (resolve_step in execute.cpp).
  Call call;
  Ref license;
  Ref grant;
  VersionArg version = VersionArg::None;
  // 0 = not given; k > 0 = the k-th generated string ("name-k", "reason-k",
  // "token-k"), interned when the run executes so that a replayed scenario
  // interns them in the same order.
  uint8_t name = 0;
  uint8_t reason = 0;
  uint8_t token = 0;
  bool operator==(const Step&) const = default;
};

struct Run {
  WorldSpec world;
  // When set (entmc fuzz FILE), the run starts from this world instead of
  // build_world(world): the organization and products a scenario file fixed.
  std::shared_ptr<const Setup> base;
  std::vector<Step> steps;
  bool operator==(const Run&) const = default;
};

}  // namespace entmc::proptest
