// CPU time of this process, user and system apart, and its page faults.
// On a virtual machine the system part moves from run to run: memory a
// process touches first can cost the host's work too (docs/peers.md, "Fresh
// memory"), so a single CPU total hides which half of a run changed.
#pragma once

#include <cstdint>

namespace entmc::util {

struct CpuUsage {
  double user_seconds = 0;
  double system_seconds = 0;
  uint64_t page_faults = 0;  // minor and major: each first touch of a page is one

  double seconds() const { return user_seconds + system_seconds; }

  CpuUsage operator-(const CpuUsage& earlier) const {
    return {user_seconds - earlier.user_seconds, system_seconds - earlier.system_seconds,
            page_faults - earlier.page_faults};
  }
};

// Every thread of the process so far (getrusage RUSAGE_SELF).
CpuUsage cpu_usage();

}  // namespace entmc::util
