// How many CPUs this process may use: the affinity mask, capped by a cgroup CPU quota, so a
// container given "2" CPUs sizes its thread pools for 2 even on a 64-core node.
#pragma once

namespace shoal::util {

int usable_cpu_count();

}  // namespace shoal::util
