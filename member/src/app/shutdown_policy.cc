#include "app/shutdown_policy.h"

#include <string>

#include "util/log.h"

namespace shoal::app {
namespace {
const util::Logger logger("shoal.lifecycle");
}

void run_shutdown_policy(const config::MemberConfig& config, cluster::ClusterService& cluster) {
    if (config.shutdown_policy == config::ShutdownPolicy::kTerminate) {
        logger.info("shutdown policy TERMINATE: stopping without handing data over");
        return;
    }
    const auto others = cluster.view().members.size() - 1;
    if (others == 0) {
        logger.info("shutdown policy GRACEFUL: no other member to hand partitions to");
        return;
    }
    // Members cannot join yet (clustering is the next step), so this is never reached today;
    // say so loudly rather than pretend a hand-off happened.
    logger.warn("shutdown policy GRACEFUL: " + std::to_string(others) +
                " other member(s) but partition hand-off is not implemented yet");
}

}  // namespace shoal::app
