// Member: one Shoal member, wired from its modules. shoal-member's main() runs one; the embedded
// example and the tests run one in-process.
//
// Services start in dependency order and stop in reverse (partition threads, cluster, IO,
// listener, HTTP), each step logged.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "config/member_config.h"

namespace shoal::partition {
class MapOperations;
}
namespace shoal::cluster {
class ClusterService;
}
namespace shoal::protocol {
class ProtocolService;
}

namespace shoal::persistence {
struct MemberMetadata;
}

namespace shoal::app {

class MemberPersistence;

class Member {
public:
    explicit Member(config::MemberConfig config);
    Member(const Member&) = delete;
    Member& operator=(const Member&) = delete;
    ~Member();

    // Binds the port and joins; throws std::runtime_error with a clear message on failure.
    void start();
    // Runs the shutdown policy (TERMINATE or GRACEFUL), then stops everything. Idempotent,
    // callable from any thread but the member's own.
    void shutdown();
    // Blocks until shutdown() has completed.
    void wait_until_shut_down();

    const config::MemberConfig& config() const { return config_; }
    std::string host() const;       // advertised host
    std::string bind_host() const;  // the address the member port is bound to ("0.0.0.0": all)
    int port() const;          // the bound port (useful when configured as 0)
    partition::MapOperations& maps();
    cluster::ClusterService& cluster();
    protocol::ProtocolService& client_protocol();  // the Hazelcast client protocol's member side
    // Null unless persistence is enabled.
    MemberPersistence* persistence() { return persistence_.get(); }

private:
    void open_listener();
    void wire_cluster();
    void wire_client_sync(const std::string& uuid);
    void recover_data();
    void start_automatic_cluster_state();
    void prepare_statefulset_shutdown();
    void wait_for_backups_in_sync();
    void restore_identity(const persistence::MemberMetadata& previous);

    struct Parts;
    config::MemberConfig config_;
    std::unique_ptr<MemberPersistence> persistence_;  // null unless persistence.enabled
    std::unique_ptr<Parts> parts_;
    std::mutex mutex_;
    std::condition_variable shut_down_cv_;
    bool started_ = false;
    bool shut_down_ = false;
    int pod_ordinal_ = -1;  // this pod's StatefulSet ordinal, with the automatic cluster state
};

}  // namespace shoal::app
