// Frame conditions of the workload calls: a launch or a stop changes one
// running count of the caller by one, and nothing else.
#include "properties/catalog.h"
#include "properties/frame.h"

namespace entmc::props {
namespace {

// Seeds: "Grant Activation" (workloads run the product in the account), FAQ 2
// (only their own account stops them).
void expect(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  const uint8_t n = b.running(c.caller, c.product);
  e.running(c.caller, c.product, c.op == Op::LaunchWorkload ? uint8_t(n + 1) : uint8_t(n - 1));
}

constexpr uint32_t kOps = op_bit(Op::LaunchWorkload) | op_bit(Op::StopWorkload);

std::optional<std::string> check(const Transition& t, const Names& n) { return frame_check(t, n, kOps, expect); }

}  // namespace

void expect_workload_call(const Before& b, Expected& e) { expect(b, e); }

Property frame_workload_calls() {
  return {.name = "frame-workload-calls",
          .statement = "A successful LaunchWorkload / StopWorkload raises / lowers the caller's running count for "
                       "the product by one and changes nothing else.",
          .seed = "Grant Activation; FAQ 2",
          .kind = PropertyKind::Transition,
          .check_transition = check,
          .holds_on_failed_noop = true,
          .judges_ops = kOps,
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
