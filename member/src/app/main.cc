// shoal-member: runs one member until SIGTERM or SIGINT, then shuts it down through the
// shutdown policy and exits 0. Exit 2: bad command line or config. Exit 1: could not start.
#include <memory>
#include <string>

#include "app/member.h"
#include "app/member_program.h"
#include "util/log.h"

namespace {

const shoal::util::Logger logger("shoal.main");

int run(const shoal::config::MemberConfig& config) {
    const sigset_t signals = shoal::app::block_shutdown_signals();
    logger.info(std::string("Shoal ") + SHOAL_VERSION + " starting: cluster '" + config.cluster_name +
                "', config " + config.source + ", " + std::to_string(config.partition_count) +
                " partitions, shutdown policy " +
                (config.shutdown_policy == shoal::config::ShutdownPolicy::kGraceful ? "GRACEFUL" : "TERMINATE"));
    for (const auto& warning : config.warnings) logger.warn(warning);
    // Construction can fail too (a persistence directory in use or damaged): the same clear exit.
    std::unique_ptr<shoal::app::Member> member;
    try {
        member = std::make_unique<shoal::app::Member>(config);
        member->start();
    } catch (const std::exception& e) {
        logger.error(std::string("cannot start: ") + e.what());
        return shoal::app::kExitStartFailure;
    }
    shoal::app::wait_for_shutdown_signal(signals);
    member->shutdown();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    shoal::app::MemberProgram program;
    program.name = "shoal-member";
    program.run = [](const shoal::config::MemberConfig& config, const auto&) { return run(config); };
    return shoal::app::run_member_program(argc, argv, program);
}
