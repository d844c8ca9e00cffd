// RapidCheck generators for the entitlements model: worlds, single steps
// generated from the current state, and whole runs. Reused by the tests
// (RC_GTEST_PROP / rc::check) and by `entmc fuzz`, which draws from them with
// an explicit rc::Random seed.
#pragma once

#include <rapidcheck.h>

#include <optional>

#include "proptest/execute.h"
#include "proptest/run.h"

namespace entmc::proptest {

struct Bounds {
  uint32_t max_members = 24;  // "1 to dozens of member accounts"
  uint32_t max_outside = 3;
  uint32_t max_govcloud = 2;
  uint32_t max_products = 4;
  uint32_t max_steps = 40;
  // Percent of steps that are wrong on purpose (wrong caller, wrong region,
  // stale version, terminal grant, non-member, GovCloud region, and
  // WrongCase's calls below).
  int wrong_percent = 20;
};

// A world: feature set, accounts, products of every type (SaaS included),
// prerequisites none / partly / fully set up, GovCloud links, a delegated
// administrator or not.
rc::Gen<WorldSpec> gen_world(const Bounds& = {});

// One step that makes sense in the executor's current state (existing
// grants, members, licenses, current versions), or, `wrong_percent` of the
// time, one that is wrong on purpose. The executor is read immediately:
// evaluate the generator before the executor moves on.
rc::Gen<Step> gen_step(const Executor&, const Bounds& = {});

// Wrong calls that name only existing records and that the guides refuse
// (issue 17; the simulator makes the same, sim/generator.cpp): granting a SaaS
// license, accepting a REJECTED grant, the management account and the
// delegated administrator acting as each other, activating with
// ALL_GRANTS_PERMITTED_BY_ISSUER for a recipient active on another product.
// gen_step makes each of them among its wrong steps; gen_wrong_case makes one
// on its own (tests), or nothing when the state offers none.
enum class WrongCase : uint8_t { SaasGrant, AcceptRejected, OtherAdministrator, OverrideAcrossProducts };
rc::Gen<std::optional<Step>> gen_wrong_case(const Executor&, WrongCase);

// A run: a world and 1..max_steps steps, each generated from the state the
// previous ones reached. Runs generated this way do not shrink through
// RapidCheck's value tree; use shrink_run (shrink.h), which keeps the
// references between steps valid.
// `rules` drives the state the steps are generated from: pass the rule table
// under test so that a planted bug's states are explored too.
rc::Gen<Run> gen_run(const Bounds& = {}, const Rules* rules = &Rules::standard());
// The same steps on a fixed world (entmc fuzz FILE).
rc::Gen<Run> gen_run_from(std::shared_ptr<const Setup> base, const Bounds& = {},
                          const Rules* rules = &Rules::standard());

}  // namespace entmc::proptest
