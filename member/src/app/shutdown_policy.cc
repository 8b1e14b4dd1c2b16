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
    logger.info("shutdown policy GRACEFUL: handing partitions over (at most " +
                std::to_string(config.graceful_shutdown_max_wait.count()) + " s)");
    cluster.leave(std::chrono::duration_cast<std::chrono::milliseconds>(config.graceful_shutdown_max_wait));
}

}  // namespace shoal::app
