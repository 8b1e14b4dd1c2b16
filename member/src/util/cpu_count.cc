#include "util/cpu_count.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

namespace shoal::util {
namespace {

int affinity_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    return std::max(1, CPU_COUNT(&set));
}

// cgroup v2 "cpu.max" holds "<quota> <period>" or "max <period>"; v1 splits them in two files.
int cgroup_quota_cpus() {
    std::ifstream v2("/sys/fs/cgroup/cpu.max");
    std::string quota;
    long period = 0;
    if (v2 >> quota >> period && quota != "max" && period > 0) {
        return std::max(1, static_cast<int>(std::ceil(std::stod(quota) / static_cast<double>(period))));
    }
    std::ifstream v1_quota("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
    std::ifstream v1_period("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    long q = -1;
    long p = 0;
    if (v1_quota >> q && v1_period >> p && q > 0 && p > 0) {
        return std::max(1, static_cast<int>(std::ceil(static_cast<double>(q) / static_cast<double>(p))));
    }
    return 0;
}

}  // namespace

int usable_cpu_count() {
    int cpus = affinity_cpus();
    int quota = 0;
    try {
        quota = cgroup_quota_cpus();
    } catch (...) {
        quota = 0;  // an unreadable cgroup file means no quota we can honour
    }
    return quota > 0 ? std::min(cpus, quota) : cpus;
}

}  // namespace shoal::util
