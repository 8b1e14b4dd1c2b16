// ClusterService: membership and the master's duties.
//
// Every member: joins (asks the discovered addresses who the master is, or becomes master when
// it is the lowest address among members that are not in a cluster yet), heartbeats every
// other member, adopts the views the master publishes and hands their partition tables to the
// PartitionService. The master (the oldest member) admits joiners, removes members that stop
// answering, assigns partitions, runs migrations and publishes each change. When the master
// dies, the next oldest member takes over.
//
// Control plane only: one mutex guards the state; network callbacks and the scheduler's tick
// take it briefly and never block under it. Nothing on the data path calls it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "cluster/cluster_state.h"
#include "cluster/member_info.h"
#include "cluster/member_messages.h"
#include "cluster/migration_plan.h"
#include "config/member_config.h"
#include "partition/map_operations.h"
#include "partition/replica_messages.h"

namespace shoal::discovery {
class Discovery;
struct Address;
}
namespace shoal::util {
class Scheduler;
}

namespace shoal::cluster {

class Messenger;

// The master's heartbeat answer to a member it no longer counts, followed by its cluster id.
extern const std::string_view kNotAMember;
// The heartbeat answer of a process that is not in any cluster yet: a member restarted with the
// UUID it had (persistence). Its old incarnation is gone, so it counts as a failed heartbeat.
extern const std::string_view kNotJoined;

// An operator's state change is durable: persisted, and restored when the whole cluster restarts
// from disk. The automatic cluster state's are transient (as Hazelcast's cluster shutdown's
// PASSIVE is), so a StatefulSet scaled to 0 and back does not come back PASSIVE.
enum class StateChange { kDurable, kTransient };

struct ClusterWiring {
    Messenger& messenger;
    partition::PartitionService& partitions;
    util::Scheduler& scheduler;
    std::unique_ptr<discovery::Discovery> discovery;  // null: no join config, a cluster of one
    std::string node;  // placement for NODE_AWARE / ZONE_AWARE
    std::string zone;
};

class ClusterService {
public:
    ClusterService(const config::MemberConfig& config, partition::MapOperations& maps);
    ~ClusterService();

    // Cluster mode (the member always uses it; unit tests of the HTTP layer run without).
    void enable_clustering(ClusterWiring wiring);

    // Persistence: this member comes back as the member it was (before enable_clustering).
    void restore_identity(const util::Uuid& member_uuid);
    // Persistence: the partition table this member last knew. If it forms a new cluster, it
    // waits (validation-timeout-seconds) for the members of that table to come back, then
    // makes it the cluster's first table, so every member keeps the replicas it holds on disk.
    // Replicas of members that did not come back are dropped from it; with FULL_RECOVERY_ONLY
    // the master keeps waiting for them instead (and says so every 10 s).
    void restore_partition_table(partition::PartitionTable table);
    // Persistence: the durable state this member last knew; a cluster formed from the restored
    // table comes back in it.
    void restore_cluster_state(ClusterState state);

    // Forms or joins the cluster advertising host:port. Without clustering: a cluster of one.
    void start(const std::string& advertised_host, int port);

    // Blocks until this member is in a cluster with a partition table, or `timeout` passes.
    bool await_joined(std::chrono::milliseconds timeout) const;

    ClusterView view() const;
    MemberInfo local_member() const;
    ClusterState state() const;
    NodeState node_state() const;
    const std::string& cluster_name() const { return cluster_name_; }
    bool is_master() const;

    bool ready() const;          // running and joined
    bool cluster_safe() const;   // every replica in place and in sync, no migration
    int migration_queue_size() const;

    // Changes the cluster-wide state (through the master). Returns an error when refused.
    std::optional<std::string> change_state(ClusterState target, StateChange kind = StateChange::kDurable);

    // GRACEFUL shutdown: asks the master to move every replica off this member and waits
    // (bounded) until it has; false when it could not in time.
    bool leave(std::chrono::milliseconds max_wait);

    // The shutdown policy calls these: no new work is taken once shutting down.
    void begin_shutdown();
    void finish_shutdown();

    // The member address of a member UUID (empty when unknown); for the transports.
    std::string address_of(const std::string& uuid) const;

    // Calls `listener` after every view this member adopts or publishes (members, state or
    // partition table may have changed), so front ends can tell their clients. It runs under
    // the service's lock: it may only note the change or post work, never call back in here.
    void add_view_listener(std::function<void()> listener);

private:
    struct Peer {
        std::chrono::steady_clock::time_point last_heard;
        int failures = 0;  // consecutive refused/broken heartbeats
    };

    void register_handlers();
    void tick();
    void try_join_locked();
    void on_join_info(const std::string& address, bool ok, const std::string& body);
    void heartbeat_locked();
    void forgive_own_pause_locked();
    void anti_entropy_locked();
    // Split brain (split_brain.cc): the master looks for other clusters of the same name among
    // the discovered addresses; the smaller cluster merges into the larger.
    bool merge_check_due_locked();
    void look_for_other_clusters_locked(const std::vector<discovery::Address>& found);
    void on_merge_info(const std::string& address, bool ok, const std::string& body);
    void begin_merge_locked(const std::string& target_cluster_id);
    void register_merge_handler();
    void on_dropped_by_master_locked(const std::string& master_uuid, const std::string& cluster_id);
    void reinsert_merged_entries_if_joined();
    void detect_failures_locked();
    void become_master_locked(const std::string& reason);
    void remove_members_locked(const std::set<std::string>& dead, const std::string& why);
    void admit_locked(const MemberRecord& joiner);
    void publish_locked();
    void adopt_view_locked(ViewMessage view);
    void rebalance_locked();
    void start_move_locked(const Move& move);
    void on_move_step(int partition, bool ok, const std::string& step);
    void commit_move_locked(int partition);
    void abort_move_locked(int partition, const std::string& why);
    void finish_leaves_locked();
    int replica_count_locked() const;
    bool is_master_locked() const;
    const MemberRecord* member_locked(const std::string& uuid) const;
    std::vector<partition::PlacementMember> placement_locked() const;
    void apply_state_locked(ClusterState state, StateChange kind);
    ClusterView view_locked() const;

    const config::MemberConfig& config_;
    std::string cluster_name_;
    partition::MapOperations& maps_;
    Messenger* messenger_ = nullptr;
    partition::PartitionService* partitions_ = nullptr;
    util::Scheduler* scheduler_ = nullptr;
    std::unique_ptr<discovery::Discovery> discovery_;

    mutable std::mutex mutex_;
    MemberRecord local_;
    util::Uuid local_uuid_;
    ViewMessage view_;  // the latest adopted (on the master: published) view
    NodeState node_state_ = NodeState::kActive;
    bool joined_ = false;
    bool join_in_flight_ = false;
    std::chrono::steady_clock::time_point next_discovery_{};  // after a discovery error, back off
    std::map<std::string, JoinInfo> join_answers_;  // address -> answer, this join round
    int join_round_pending_ = 0;
    std::chrono::steady_clock::time_point next_heartbeat_;
    std::chrono::steady_clock::time_point last_tick_ = std::chrono::steady_clock::now();
    std::map<std::string, Peer> peers_;  // uuid -> liveness
    // Master only:
    std::map<int, Move> moves_;                    // partition -> move in flight
    std::set<std::string> leaving_;                // members shutting down gracefully
    std::map<std::string, std::function<void()>> leave_replies_;
    bool unbalanced_ = false;  // the master has planned moves it has not started yet
    // Persistence: the table to restore when forming a cluster, and until when to wait for its
    // members (set when the wait starts); see restore_partition_table.
    std::optional<partition::PartitionTable> restored_table_;  // the newest persisted table heard of
    std::optional<ClusterState> restored_state_;
    // Master forming a cluster from disk: every persisted table version the members brought
    // (their own included), with the members that hold it; the recovery policy picks one.
    struct PersistedTable {
        partition::PartitionTable table;
        std::set<std::string> holders;
    };
    std::map<std::int64_t, PersistedTable> persisted_tables_;
    void note_persisted_table_locked(const std::string& holder, partition::PartitionTable table);
    const partition::PartitionTable& table_to_restore_locked(const std::set<std::string>& present) const;
    std::optional<std::chrono::steady_clock::time_point> restore_deadline_;
    std::chrono::steady_clock::time_point next_restore_log_;
    bool leave_as_master_locked(std::unique_lock<std::mutex>& lock, std::chrono::steady_clock::time_point deadline);
    bool keeps_missing_members_locked() const;
    bool in_table_locked(const std::string& uuid) const;
    bool restore_first_table_locked(const std::vector<partition::PlacementMember>& eligible,
                                    partition::ReplicaTable& fresh);
    std::chrono::steady_clock::time_point next_sync_check_{};
    // Stale join prevention (master): when each member UUID last joined while joins were
    // allowed. The same UUID asking to join again within
    // hazelcast.stale.join.prevention.duration.seconds is refused, as Hazelcast does: a member
    // restarted with its persisted UUID waits until its previous incarnation is surely gone.
    std::map<std::string, std::chrono::steady_clock::time_point> recently_joined_;
    std::chrono::milliseconds stale_join_prevention_;
    std::optional<std::string> refuse_stale_join_locked(const MemberRecord& joiner);
    // Split brain (split_brain.cc):
    std::chrono::steady_clock::time_point next_merge_check_{};  // master: next look for other clusters
    std::string merging_into_;  // the cluster id this member is merging into; empty otherwise
    std::shared_ptr<std::vector<partition::EntryChange>> merge_backlog_;  // to re-insert once joined
    std::chrono::steady_clock::time_point next_rebalance_;
    bool stopping_ = false;
    std::vector<std::function<void()>> view_listeners_;  // guarded by mutex_
    void notify_view_listeners_locked();
};

}  // namespace shoal::cluster
