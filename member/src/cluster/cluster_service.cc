#include "cluster/cluster_service.h"

#include <algorithm>
#include <future>
#include <thread>

#include "cluster/messenger.h"
#include "discovery/discovery.h"
#include "partition/partition_assignment.h"
#include "util/log.h"
#include "util/scheduler.h"

namespace shoal::cluster {
namespace {

const util::Logger logger("shoal.cluster");
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kTick{100};
constexpr std::chrono::milliseconds kJoinInfoTimeout{1000};
constexpr std::chrono::milliseconds kJoinRequestTimeout{3000};
constexpr std::chrono::milliseconds kMigrateTimeout{120'000};
constexpr std::chrono::milliseconds kHandOffTimeout{30'000};
// A member whose heartbeats are refused this many times in a row is gone (its process died
// but its host answers): failover in about 1.5 s instead of the full heartbeat timeout.
constexpr int kRefusedHeartbeatsForDead = 3;
constexpr std::size_t kMaxParallelMoves = 8;

std::chrono::milliseconds property_ms(const config::MemberConfig& config, const std::string& name,
                                      std::chrono::milliseconds fallback, int unit_ms) {
    auto it = config.properties.find(name);
    if (it == config.properties.end()) return fallback;
    try {
        return std::chrono::milliseconds(std::stoll(it->second) * unit_ms);
    } catch (const std::exception&) {
        return fallback;
    }
}

MemberInfo to_member_info(const MemberRecord& record, const std::string& local_uuid) {
    MemberInfo info;
    info.uuid = util::Uuid::parse(record.uuid).value_or(util::Uuid{});
    info.host = record.host;
    info.port = record.port;
    info.local = record.uuid == local_uuid;
    return info;
}

// A call answered "ok". Out of line: inlined into the reply lambdas, g++ 12 at -O3 warns that the
// moved-in body "may be used uninitialized" (a false positive that -Werror makes fatal).
[[gnu::noinline]] bool answered_ok(bool ok, const std::string& body) {
    return ok && body == "ok";
}

std::string partition_body(int p) {
    util::ByteWriter out;
    out.i32(p);
    return out.take();
}

}  // namespace

ClusterService::ClusterService(const config::MemberConfig& config, partition::MapOperations& maps)
    : config_(config),
      cluster_name_(config.cluster_name),
      maps_(maps),
      stale_join_prevention_(property_ms(config, "hazelcast.stale.join.prevention.duration.seconds", std::chrono::seconds(30), 1000)) {
    local_uuid_ = util::Uuid::random();
    local_.uuid = local_uuid_.to_string();
    view_.cluster_id = util::Uuid::random().to_string();
}

void ClusterService::restore_identity(const util::Uuid& member_uuid) {
    std::lock_guard lock(mutex_);
    local_uuid_ = member_uuid;
    local_.uuid = member_uuid.to_string();
}

void ClusterService::restore_partition_table(partition::PartitionTable table) {
    std::lock_guard lock(mutex_);
    if (table.partition_count() != config_.partition_count) return;
    note_persisted_table_locked(local_.uuid, table);
}

// A member (this one, or a joiner while this master waits to restore) holds data written under
// `table`. The newest table heard of is the one whose members are awaited: a member that was
// down while the others went on (their table is newer) must not bring back its older view of
// who owns what, or the writes made without it would be lost.
void ClusterService::note_persisted_table_locked(const std::string& holder, partition::PartitionTable table) {
    const std::int64_t version = table.version;
    logger.info("persistence: member " + holder + " holds data written under partition table version " + std::to_string(version));
    auto& entry = persisted_tables_[version];
    entry.holders.insert(holder);
    if (!restored_table_ || version > restored_table_->version) {
        if (restored_table_) {
            logger.info("persistence: member " + holder + " brings a newer partition table (version " + std::to_string(version) +
                        ", this one had " + std::to_string(restored_table_->version) + "): restoring that one");
        }
        restored_table_ = table;
    }
    entry.table = std::move(table);
}

// The persisted table the recovery policy picks among those the present members hold:
// PARTIAL_RECOVERY_MOST_COMPLETE the one held by the most present members (the newest of
// equals), otherwise (FULL_RECOVERY_ONLY, PARTIAL_RECOVERY_MOST_RECENT) the newest.
const partition::PartitionTable& ClusterService::table_to_restore_locked(const std::set<std::string>& present) const {
    if (config_.persistence.cluster_data_recovery_policy != config::RecoveryPolicy::kPartialMostComplete) {
        return *restored_table_;
    }
    const partition::PartitionTable* best = &*restored_table_;
    std::size_t best_holders = 0;
    for (const auto& [version, entry] : persisted_tables_) {  // oldest first: ties go to the newer
        const auto holders = static_cast<std::size_t>(
            std::count_if(entry.holders.begin(), entry.holders.end(), [&](const std::string& h) { return present.count(h) > 0; }));
        if (holders >= best_holders && holders > 0) {
            best = &entry.table;
            best_holders = holders;
        }
    }
    return *best;
}

void ClusterService::restore_cluster_state(ClusterState state) {
    std::lock_guard lock(mutex_);
    if (state != ClusterState::kInTransition) restored_state_ = state;
}

ClusterService::~ClusterService() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
}

void ClusterService::enable_clustering(ClusterWiring wiring) {
    messenger_ = &wiring.messenger;
    partitions_ = &wiring.partitions;
    scheduler_ = &wiring.scheduler;
    discovery_ = std::move(wiring.discovery);
    local_.node = wiring.node;
    local_.zone = wiring.zone;
    register_handlers();
}

void ClusterService::start(const std::string& advertised_host, int port) {
    std::unique_lock lock(mutex_);
    local_.host = advertised_host;
    local_.port = port;
    if (messenger_ == nullptr) {  // a cluster of one, without networking
        view_.members = {local_};
        view_.version = view_.member_version = 1;
        joined_ = true;
        logger.info(format_members_block(view_locked()));
        return;
    }
    messenger_->set_local(local_);
    if (discovery_) logger.info("joining through " + discovery_->describe());
    lock.unlock();
    scheduler_->schedule(std::chrono::milliseconds(0), [this] { tick(); });
}

// ---- the tick: join, heartbeats, failure detection, the master's work ---------------------------

void ClusterService::tick() {
    std::vector<discovery::Address> found;
    bool discover = false;
    bool merge_check = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || node_state_ == NodeState::kShutDown) return;
        discover = !joined_ && !join_in_flight_ && Clock::now() >= next_discovery_;
        merge_check = merge_check_due_locked();
    }
    std::string discovery_error;
    if ((discover || merge_check) && discovery_) {
        try {
            found = discovery_->discover();
        } catch (const std::exception& e) {
            discovery_error = e.what();
        }
    }
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (!discovery_error.empty() && discover) {
            logger.error("discovery failed, not starting alone (retrying in 2 s): " + discovery_error);
            next_discovery_ = Clock::now() + std::chrono::seconds(2);
        } else if (discover) {
            join_answers_.clear();
            join_round_pending_ = 0;
            for (const auto& address : found) {
                const std::string a = address.to_string();
                if (a == local_.address()) continue;
                ++join_round_pending_;
                join_in_flight_ = true;
                messenger_->call(a, MessageKind::kJoinInfo, {}, [this, a](bool ok, std::string body) {
                    on_join_info(a, ok, body);
                }, kJoinInfoTimeout);
            }
            // A member merging into another cluster waits for it rather than forming its own.
            if (join_round_pending_ == 0 && merging_into_.empty()) become_master_locked("no other member found");
        }
        if (merge_check && discovery_error.empty()) look_for_other_clusters_locked(found);
        if (joined_) {
            forgive_own_pause_locked();
            heartbeat_locked();
            detect_failures_locked();
            anti_entropy_locked();
            if (is_master_locked()) {
                rebalance_locked();
                finish_leaves_locked();
            }
        }
    }
    reinsert_merged_entries_if_joined();
    scheduler_->schedule(kTick, [this] { tick(); });
}

void ClusterService::on_join_info(const std::string& address, bool ok, const std::string& body) {
    std::lock_guard lock(mutex_);
    if (ok) {
        try {
            join_answers_[address] = decode_join_info(body);
        } catch (const util::DecodeError& e) {
            logger.warn("bad join answer from " + address + ": " + e.what());
        }
    }
    if (--join_round_pending_ > 0 || joined_) return;
    // Someone is in a cluster: join its master (the one of the largest cluster we heard of).
    const JoinInfo* best = nullptr;
    for (const auto& [a, info] : join_answers_) {
        if (!merging_into_.empty() && info.cluster_id != merging_into_) continue;  // merging: only into the target
        if (info.joined && (best == nullptr || info.member_count > best->member_count)) best = &info;
    }
    if (best != nullptr) {
        const std::string master = best->master_address;
        util::ByteWriter out;
        encode(out, local_);
        // With persistence, the table this member's data was written under: a master that is
        // still waiting to restore its own may learn of a newer one.
        out.boolean(restored_table_.has_value());
        if (restored_table_) partition::encode(out, *restored_table_);
        messenger_->call(master, MessageKind::kJoinRequest, out.take(), [this, master](bool ok, std::string body) {
            std::lock_guard lock(mutex_);
            join_in_flight_ = false;
            if (!answered_ok(ok, body)) {
                logger.warn("join request to master " + master + " failed: " + (ok ? body : std::string("no answer")));
                // A refusal (cluster state, stale join) stands for a while: ask again in a second.
                if (ok) next_discovery_ = Clock::now() + std::chrono::seconds(1);
            }
        }, kJoinRequestTimeout);
        return;
    }
    join_in_flight_ = false;
    if (!merging_into_.empty()) return;  // the target cluster did not answer this round: ask again
    // Nobody is in a cluster yet: the lowest address among those answering becomes master,
    // so members started together form one cluster instead of several.
    bool lowest = true;
    for (const auto& [a, info] : join_answers_) lowest = lowest && local_.address() < a;
    if (lowest) become_master_locked(std::to_string(join_answers_.size()) + " other member(s) starting, this one has the lowest address");
}

void ClusterService::become_master_locked(const std::string& reason) {
    if (!joined_) {
        view_.members = {local_};
        view_.member_version = 1;
        joined_ = true;
        logger.info("forming a new cluster as master: " + reason);
    } else {
        logger.info("taking over as master: " + reason);
    }
    // Move this member to the front: the master is the first (oldest) member of the list.
    auto& members = view_.members;
    auto it = std::find_if(members.begin(), members.end(), [&](const MemberRecord& m) { return m.uuid == local_.uuid; });
    if (it != members.begin() && it != members.end()) std::rotate(members.begin(), it, it + 1);
    moves_.clear();
    publish_locked();
    logger.info(format_members_block(view_locked()));
}

// Owners tell their backups the version of each partition now and then; a backup that differs
// (it missed a message, or applied one its owner never committed) asks for a full copy.
void ClusterService::anti_entropy_locked() {
    const auto now = Clock::now();
    if (now < next_sync_check_) return;
    next_sync_check_ = now + property_ms(config_, "hazelcast.partition.backup.sync.interval", std::chrono::seconds(5), 1000);
    partitions_->sync_tick();
}

// When this process itself was stopped (a long pause, SIGSTOP, a frozen VM), the silence it
// measured is its own: it must not remove every peer for it. The peers decide about us; the
// next heartbeat answers tell us whether we are still a member.
void ClusterService::forgive_own_pause_locked() {
    const auto now = Clock::now();
    const auto gap = now - last_tick_;
    last_tick_ = now;
    if (gap < std::chrono::seconds(2)) return;
    logger.warn("this member was paused for " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(gap).count()) +
                " ms: not counting that silence against the other members");
    for (auto& [uuid, peer] : peers_) peer.last_heard = now;
}

void ClusterService::heartbeat_locked() {
    const auto now = Clock::now();
    if (now < next_heartbeat_) return;
    const auto interval = property_ms(config_, "hazelcast.heartbeat.interval.seconds", std::chrono::milliseconds(500), 1000);
    next_heartbeat_ = now + interval;
    for (const auto& member : view_.members) {
        if (member.uuid == local_.uuid) continue;
        const std::string uuid = member.uuid;
        messenger_->call(member.address(), MessageKind::kHeartbeat, {}, [this, uuid](bool ok, std::string reason) {
            std::lock_guard lock(mutex_);
            Peer& peer = peers_[uuid];
            if (ok && reason.rfind(kNotJoined, 0) == 0) {
                ++peer.failures;  // a new process behind the same UUID: the member we knew is gone
            } else if (ok) {
                peer.last_heard = Clock::now();
                peer.failures = 0;
                if (reason.rfind(kNotAMember, 0) == 0) on_dropped_by_master_locked(uuid, reason.substr(kNotAMember.size()));
            } else if (reason.rfind("no answer", 0) != 0) {
                ++peer.failures;  // refused or broken, not merely slow
            }
        }, interval * 2);
    }
}

void ClusterService::detect_failures_locked() {
    const auto timeout = property_ms(config_, "hazelcast.max.no.heartbeat.seconds", std::chrono::milliseconds(10'000), 1000);
    const auto now = Clock::now();
    std::set<std::string> dead;
    for (const auto& member : view_.members) {
        if (member.uuid == local_.uuid) continue;
        auto [it, fresh] = peers_.try_emplace(member.uuid, Peer{now, 0});
        if (it->second.failures >= kRefusedHeartbeatsForDead || now - it->second.last_heard > timeout) dead.insert(member.uuid);
    }
    if (dead.empty()) return;
    if (is_master_locked()) {
        remove_members_locked(dead, "stopped answering heartbeats");
        return;
    }
    const std::string& master = view_.members.front().uuid;
    if (!dead.count(master)) return;
    // The master is gone: the oldest member still alive takes over.
    for (const auto& member : view_.members) {
        if (dead.count(member.uuid)) continue;
        if (member.uuid == local_.uuid) {
            remove_members_locked(dead, "stopped answering heartbeats (the master among them)");
            become_master_locked("the master " + master + " is gone");
        }
        return;
    }
}

// ---- membership changes (master) ------------------------------------------------------------------

void ClusterService::remove_members_locked(const std::set<std::string>& dead, const std::string& why) {
    auto& members = view_.members;
    for (const auto& uuid : dead) {
        if (const MemberRecord* m = member_locked(uuid)) {
            logger.warn("removing member " + m->address() + " " + uuid + ": " + why);
            messenger_->disconnect(m->address());
        }
        peers_.erase(uuid);
        leaving_.erase(uuid);
        if (auto reply = leave_replies_.find(uuid); reply != leave_replies_.end()) {
            reply->second();
            leave_replies_.erase(reply);
        }
    }
    members.erase(std::remove_if(members.begin(), members.end(), [&](const MemberRecord& m) { return dead.count(m.uuid) > 0; }),
                  members.end());
    ++view_.member_version;
    auto& table = view_.table;
    if (keeps_missing_members_locked()) {
        // PASSIVE or FROZEN with persistence: the table is frozen too. The member's replicas
        // stay its own, so when it comes back with its data (the same UUID) it serves them
        // again, and a cluster stopped member by member restarts from one consistent table.
        logger.info("keeping the replicas of the members that left in the partition table: cluster state " +
                    std::string(to_string(view_.state)) + " with persistence (they come back with their data)");
    } else {
        // Promotion: each partition keeps its surviving replicas in order, so the first backup
        // of a lost owner becomes the owner at once, with the data it already has.
        for (auto& row : table.replicas) {
            row.erase(std::remove_if(row.begin(), row.end(), [&](const std::string& r) { return dead.count(r) > 0; }), row.end());
        }
        ++table.version;
    }
    std::vector<int> broken;
    for (const auto& [p, move] : moves_) {
        bool involved = dead.count(move.source) > 0;
        for (const auto& d : move.destinations) involved = involved || dead.count(d) > 0;
        if (involved) broken.push_back(p);
    }
    for (int p : broken) abort_move_locked(p, "a member of the move is gone");
    publish_locked();
    logger.info(format_members_block(view_locked()));
}

bool ClusterService::keeps_missing_members_locked() const {
    return config_.persistence.enabled && (view_.state == ClusterState::kPassive || view_.state == ClusterState::kFrozen);
}

bool ClusterService::in_table_locked(const std::string& uuid) const {
    const auto names = [&](const partition::ReplicaTable& replicas) {
        return std::any_of(replicas.begin(), replicas.end(),
                           [&](const auto& row) { return std::find(row.begin(), row.end(), uuid) != row.end(); });
    };
    // The persisted table being restored counts too: its members are awaited.
    return names(view_.table.replicas) || (restored_table_ && names(restored_table_->replicas));
}

void ClusterService::admit_locked(const MemberRecord& joiner) {
    auto& members = view_.members;
    // A restarted pod comes back on its old address with a new UUID: the old one is gone.
    std::set<std::string> replaced;
    for (const auto& m : members) {
        if (m.address() == joiner.address() && m.uuid != joiner.uuid) replaced.insert(m.uuid);
    }
    if (!replaced.empty()) remove_members_locked(replaced, "restarted as " + joiner.uuid);
    if (member_locked(joiner.uuid) == nullptr) {
        members.push_back(joiner);
        ++view_.member_version;
        if (view_.state == ClusterState::kActive || view_.state == ClusterState::kNoMigration) {
            recently_joined_[joiner.uuid] = Clock::now();
        }
        peers_[joiner.uuid] = Peer{Clock::now(), 0};
        logger.info("member " + joiner.address() + " " + joiner.uuid + " joined" +
                    (joiner.zone.empty() ? "" : " (zone " + joiner.zone + ")"));
        unbalanced_ = true;  // until the next rebalance has planned the newcomer's share
    }
    publish_locked();
    logger.info(format_members_block(view_locked()));
}

void ClusterService::publish_locked() {
    ++view_.version;
    view_.migrating = !moves_.empty() || unbalanced_;
    const std::string body = encode(view_);
    for (const auto& member : view_.members) {
        if (member.uuid != local_.uuid) messenger_->post(member.address(), MessageKind::kView, body);
    }
    partitions_->apply_table(std::make_shared<partition::PartitionTable>(view_.table), view_.members.front().uuid);
    if (view_.state == ClusterState::kActive && !view_.migrating) partitions_->release_retained();
    maps_.set_read_only(view_.state == ClusterState::kPassive);
    notify_view_listeners_locked();
}

void ClusterService::adopt_view_locked(ViewMessage view) {
    if (view.version <= view_.version && joined_) return;
    if (!merging_into_.empty()) {
        if (view.cluster_id != merging_into_) return;  // a late view of the cluster being left
        if (std::none_of(view.members.begin(), view.members.end(), [&](const MemberRecord& m) { return m.uuid == local_.uuid; })) return;
        logger.warn("split brain: joined cluster " + view.cluster_id + "; merging this member's entries into it");
        merging_into_.clear();
    }
    const bool included = std::any_of(view.members.begin(), view.members.end(),
                                      [&](const MemberRecord& m) { return m.uuid == local_.uuid; });
    if (!included) {
        if (joined_ && !view.members.empty() && view.members.front().uuid != local_.uuid) {
            logger.warn("the master's view no longer includes this member: joining again");
            joined_ = false;
        }
        return;
    }
    const bool master_changed = view_.members.empty() || view_.members.front().uuid != view.members.front().uuid;
    const bool members_changed = view.member_version != view_.member_version || !joined_;
    const auto now = Clock::now();
    // Every member notes who joined, so a master taking over still prevents stale joins.
    if (joined_ && (view.state == ClusterState::kActive || view.state == ClusterState::kNoMigration)) {
        for (const auto& m : view.members) {
            if (member_locked(m.uuid) == nullptr) recently_joined_[m.uuid] = now;
        }
    }
    view_ = std::move(view);
    joined_ = true;
    join_in_flight_ = false;
    for (const auto& m : view_.members) peers_.try_emplace(m.uuid, Peer{now, 0});
    moves_.clear();  // only a master keeps moves
    partitions_->apply_table(std::make_shared<partition::PartitionTable>(view_.table), view_.members.front().uuid);
    if (view_.state == ClusterState::kActive && !view_.migrating) partitions_->release_retained();
    maps_.set_read_only(view_.state == ClusterState::kPassive);
    node_state_ = view_.state == ClusterState::kPassive ? NodeState::kPassive
                  : node_state_ == NodeState::kPassive  ? NodeState::kActive
                                                        : node_state_;
    if (members_changed || master_changed) logger.info(format_members_block(view_locked()));
    notify_view_listeners_locked();
    // Handed the cluster by a leaving master: it posted this view to everyone and exited, and a
    // post it had not written out by then is lost. Publishing it again as the master makes sure
    // every member has it (one that missed it would otherwise wait for the next change).
    if (master_changed && view_.members.front().uuid == local_.uuid) publish_locked();
}

// ---- partitions and migration (master) ------------------------------------------------------------

int ClusterService::replica_count_locked() const {
    int most = config_.map_default.backup_count + config_.map_default.async_backup_count;
    for (const auto& [name, map] : config_.maps) most = std::max(most, map.backup_count + map.async_backup_count);
    return std::min(7, 1 + most);
}

std::vector<partition::PlacementMember> ClusterService::placement_locked() const {
    std::vector<partition::PlacementMember> members;
    for (const auto& m : view_.members) {
        if (!leaving_.count(m.uuid)) members.push_back({m.uuid, m.node, m.zone});
    }
    return members;
}

void ClusterService::rebalance_locked() {
    auto& table = view_.table;
    const auto eligible = placement_locked();
    if (eligible.empty()) return;
    const bool first = table.replicas.empty();
    if (!first && view_.state != ClusterState::kActive) return;  // NO_MIGRATION, FROZEN, PASSIVE
    if (!first && moves_.size() >= kMaxParallelMoves) return;
    if (!first && Clock::now() < next_rebalance_) return;  // backing off after an aborted move
    const auto group = config_.partition_group_enabled ? config_.partition_group : config::PartitionGroupType::kPerMember;
    auto assignment = partition::assign_partitions(eligible, group, config_.partition_count, replica_count_locked(), table.replicas);
    if (!assignment.degraded_warning.empty() && assignment.replicas != table.replicas) logger.warn(assignment.degraded_warning);
    if (first) {
        if (restored_table_ && !restore_first_table_locked(eligible, assignment.replicas)) return;  // still waiting
        table.replicas = std::move(assignment.replicas);
        ++table.version;
        publish_locked();
        return;
    }
    bool changed = false;
    const auto plan = plan_moves(table.replicas, assignment.replicas);
    bool waiting = false;  // moves planned that cannot start yet
    for (const Move& move : plan) {
        if (moves_.count(move.partition)) continue;
        if (moves_.size() >= kMaxParallelMoves) {
            waiting = true;
            break;
        }
        if (move.base.empty() || !move.needs_copy()) {
            // Nothing to copy (a partition without data yet, or replicas only dropped/reordered).
            table.replicas[static_cast<std::size_t>(move.partition)] = move.target;
            changed = true;
            continue;
        }
        start_move_locked(move);
    }
    // cluster-safe stays false until the table matches the plan, not only while moves run.
    if (unbalanced_ != waiting) {
        unbalanced_ = waiting;
        changed = true;
    }
    if (changed) {
        ++table.version;
        publish_locked();
    }
}

// The first table of a cluster formed by a member with persisted data: the persisted table
// once its members are back (or the wait is over), each row keeping the members present, a row
// left empty taking the fresh assignment's. Returns false while it should wait; on true,
// `fresh` holds the table to publish.
bool ClusterService::restore_first_table_locked(const std::vector<partition::PlacementMember>& eligible,
                                                partition::ReplicaTable& fresh) {
    const auto now = Clock::now();
    std::set<std::string> present;
    for (const auto& m : eligible) present.insert(m.id);
    // Awaited: every member named by a table a present member holds (the members of the newest
    // and of older ones alike), so the recovery policy chooses among all of them.
    std::set<std::string> missing;
    for (const auto& [version, entry] : persisted_tables_) {
        for (const auto& row : entry.table.replicas) {
            for (const auto& uuid : row) {
                if (!present.count(uuid)) missing.insert(uuid);
            }
        }
    }
    const auto& persistence = config_.persistence;
    if (!restore_deadline_) restore_deadline_ = now + std::chrono::seconds(persistence.validation_timeout_seconds);
    const bool full_only = persistence.cluster_data_recovery_policy == config::RecoveryPolicy::kFullRecoveryOnly;
    if (!missing.empty() && (now < *restore_deadline_ || full_only)) {
        if (now >= next_restore_log_) {
            next_restore_log_ = now + std::chrono::seconds(10);
            std::string names;
            for (const auto& uuid : missing) names += (names.empty() ? "" : ", ") + uuid;
            logger.info("persistence: waiting for " + std::to_string(missing.size()) + " member(s) of the persisted partition table (" +
                        names + ")" + (full_only && now >= *restore_deadline_ ? ": FULL_RECOVERY_ONLY waits for every one" : ""));
        }
        return false;
    }
    const partition::PartitionTable& chosen = table_to_restore_locked(present);
    if (chosen.version != restored_table_->version) {
        logger.info("persistence: PARTIAL_RECOVERY_MOST_COMPLETE restores partition table version " + std::to_string(chosen.version) +
                    ", held by the most members present, not the newest (" + std::to_string(restored_table_->version) + ")");
    }
    int kept = 0;
    int lost = 0;
    for (std::size_t p = 0; p < chosen.replicas.size(); ++p) {
        std::vector<std::string> row;
        for (const auto& uuid : chosen.replicas[p]) {
            if (present.count(uuid)) row.push_back(uuid);
        }
        if (row.empty()) {
            ++lost;  // every replica's member is gone: the partition starts empty
        } else {
            fresh[p] = std::move(row);
            ++kept;
        }
    }
    logger.info("persistence: restored the persisted partition table: " + std::to_string(kept) + " partitions from disk" +
                (lost ? ", " + std::to_string(lost) + " with no member left start empty" : "") +
                (missing.empty() ? "" : "; " + std::to_string(missing.size()) + " member(s) did not come back"));
    restored_table_.reset();
    persisted_tables_.clear();
    unbalanced_ = !missing.empty();  // backups of rows that lost members are rebuilt by the next rebalance
    if (restored_state_ && *restored_state_ != ClusterState::kActive) {
        logger.info("persistence: the cluster comes back in its persisted state " + std::string(to_string(*restored_state_)));
        view_.state = view_.durable_state = *restored_state_;
        node_state_ = view_.state == ClusterState::kPassive ? NodeState::kPassive : NodeState::kActive;
    }
    restored_state_.reset();
    return true;
}

void ClusterService::start_move_locked(const Move& move) {
    const MemberRecord* source = member_locked(move.source);
    if (source == nullptr) return;
    const bool was_idle = moves_.empty();
    moves_[move.partition] = move;
    if (was_idle) publish_locked();  // tells everyone a migration runs (cluster-safe is false)
    util::ByteWriter out;
    out.i32(move.partition);
    out.u32(static_cast<std::uint32_t>(move.destinations.size()));
    for (const auto& d : move.destinations) out.str(d);
    const int p = move.partition;
    messenger_->call(source->address(), MessageKind::kMigrate, out.take(),
                     [this, p](bool ok, std::string body) { on_move_step(p, answered_ok(ok, body), "migrate"); }, kMigrateTimeout);
}

void ClusterService::on_move_step(int p, bool ok, const std::string& step) {
    std::lock_guard lock(mutex_);
    auto it = moves_.find(p);
    if (it == moves_.end()) return;
    if (!ok) {
        abort_move_locked(p, step + " step failed");
        return;
    }
    const Move& move = it->second;
    if (step == "migrate" && move.owner_changes) {
        const MemberRecord* source = member_locked(move.source);
        if (source == nullptr) {
            abort_move_locked(p, "the source is gone");
            return;
        }
        messenger_->call(source->address(), MessageKind::kHandOff, partition_body(p),
                         [this, p](bool ok, std::string body) { on_move_step(p, answered_ok(ok, body), "handoff"); }, kHandOffTimeout);
        return;
    }
    commit_move_locked(p);
}

void ClusterService::commit_move_locked(int p) {
    Move move = moves_.at(p);
    auto& row = view_.table.replicas[static_cast<std::size_t>(p)];
    if (row != move.base) {
        abort_move_locked(p, "the partition changed meanwhile");
        return;
    }
    bool all_present = true;
    for (const auto& m : move.target) all_present = all_present && member_locked(m) != nullptr;
    if (!all_present) {
        abort_move_locked(p, "a target member is gone");
        return;
    }
    row = move.target;
    ++view_.table.version;
    moves_.erase(p);
    util::ByteWriter out;
    out.i32(p);
    out.boolean(true);
    if (const MemberRecord* source = member_locked(move.source)) messenger_->post(source->address(), MessageKind::kFinish, out.take());
    publish_locked();
    // The freed slot takes the next move now, not at the next tick: migration is otherwise
    // bound to kMaxParallelMoves per tick (8 partitions per 100 ms), whatever their size.
    rebalance_locked();
}

void ClusterService::abort_move_locked(int p, const std::string& why) {
    auto it = moves_.find(p);
    if (it == moves_.end()) return;
    logger.warn("migration of partition " + std::to_string(p) + " aborted: " + why);
    util::ByteWriter out;
    out.i32(p);
    out.boolean(false);
    const std::string body = out.take();
    if (const MemberRecord* source = member_locked(it->second.source)) {
        messenger_->post(source->address(), MessageKind::kFinish, body);
    }
    for (const auto& destination : it->second.destinations) {
        if (const MemberRecord* d = member_locked(destination)) messenger_->post(d->address(), MessageKind::kFinish, body);
    }
    moves_.erase(it);
    next_rebalance_ = Clock::now() + std::chrono::milliseconds(200);
}

// Every member of the cluster is shutting down gracefully: nobody is left to take replicas.
bool ClusterService::everyone_leaving_locked() const {
    return std::all_of(view_.members.begin(), view_.members.end(), [&](const MemberRecord& m) { return leaving_.count(m.uuid) > 0; });
}

void ClusterService::finish_leaves_locked() {
    std::set<std::string> done;
    const bool nobody_stays = everyone_leaving_locked();
    if (nobody_stays && view_.members.size() > 1) {
        logger.warn("graceful shutdown: every member is leaving, nobody can take their replicas; letting them go");
    }
    for (const auto& uuid : leaving_) {
        if (uuid == local_.uuid) continue;  // the master's own leave is finished by leave()
        bool busy = !nobody_stays && view_.table.replicas_on(uuid) > 0;
        for (const auto& [p, move] : moves_) busy = busy || move.source == uuid;
        if (!busy) done.insert(uuid);
    }
    if (!done.empty()) remove_members_locked(done, "left gracefully, its data moved");
}

// ---- handlers ------------------------------------------------------------------------------------

void ClusterService::register_handlers() {
    register_merge_handler();
    messenger_->handle(MessageKind::kJoinInfo, [this](const MemberRecord&, std::string, Messenger::Reply reply) {
        std::lock_guard lock(mutex_);
        JoinInfo info;
        info.joined = joined_ && !view_.members.empty();
        if (info.joined) info.master_address = view_.members.front().address();
        info.member_count = static_cast<int>(view_.members.size());
        info.cluster_id = view_.cluster_id;
        reply(encode(info));
    });
    messenger_->handle(MessageKind::kJoinRequest, [this](const MemberRecord&, std::string body, Messenger::Reply reply) {
        util::ByteReader in(body);
        const MemberRecord joiner = decode_member(in);
        std::optional<partition::PartitionTable> joiner_table;
        if (in.boolean("has persisted table")) joiner_table = partition::decode_partition_table(in);
        std::lock_guard lock(mutex_);
        if (joiner_table && restored_table_ && joined_ && is_master_locked() && view_.table.replicas.empty() &&
            joiner_table->partition_count() == config_.partition_count) {
            note_persisted_table_locked(joiner.uuid, std::move(*joiner_table));
        }
        if (!joined_ || !is_master_locked()) {
            reply("this member is not the master");
            return;
        }
        // A member the table still names (it left while the table was frozen) may come back.
        const bool known = member_locked(joiner.uuid) != nullptr ||
                           ((keeps_missing_members_locked() || restored_table_) && in_table_locked(joiner.uuid));
        if (!known && (view_.state == ClusterState::kFrozen || view_.state == ClusterState::kPassive)) {
            reply("cluster state " + std::string(to_string(view_.state)) + " admits no new members");
            logger.warn("refused join of " + joiner.address() + ": cluster state " + std::string(to_string(view_.state)));
            return;
        }
        if (auto refusal = refuse_stale_join_locked(joiner)) {
            logger.warn("refused join of " + joiner.address() + ": " + *refusal);
            reply(*refusal);
            return;
        }
        admit_locked(joiner);
        reply("ok");
    });
    messenger_->handle(MessageKind::kView, [this](const MemberRecord&, std::string body, Messenger::Reply) {
        ViewMessage view = decode_view(body);
        std::lock_guard lock(mutex_);
        adopt_view_locked(std::move(view));
    });
    messenger_->handle(MessageKind::kHeartbeat, [this](const MemberRecord& from, std::string, Messenger::Reply reply) {
        std::string answer;
        {
            std::lock_guard lock(mutex_);
            auto it = peers_.find(from.uuid);
            if (it != peers_.end()) it->second.last_heard = Clock::now();
            // A member this master removed (it was unreachable for a while) still heartbeats:
            // tell it, so it merges back instead of believing it is a member.
            if (joined_ && is_master_locked() && member_locked(from.uuid) == nullptr) answer = std::string(kNotAMember) + view_.cluster_id;
            if (!joined_) answer = std::string(kNotJoined);
        }
        if (reply) reply(answer);
    });
    messenger_->handle(MessageKind::kLeave, [this](const MemberRecord& from, std::string, Messenger::Reply reply) {
        std::lock_guard lock(mutex_);
        if (!is_master_locked()) {
            reply("not the master");
            return;
        }
        logger.info("member " + from.address() + " is leaving: moving its replicas to others");
        leaving_.insert(from.uuid);
        leave_replies_[from.uuid] = [reply] { reply("ok"); };
    });
    messenger_->handle(MessageKind::kChangeState, [this](const MemberRecord&, std::string body, Messenger::Reply reply) {
        // "<STATE>" or "<STATE> transient"
        constexpr std::string_view kTransientSuffix = " transient";
        std::string_view text(body);
        const bool transient = text.ends_with(kTransientSuffix);
        if (transient) text.remove_suffix(kTransientSuffix.size());
        const auto state = parse_cluster_state(text);
        if (!state) {
            reply("unknown cluster state " + body);
            return;
        }
        auto error = change_state(*state, transient ? StateChange::kTransient : StateChange::kDurable);
        reply(error.value_or("ok"));
    });
}

// The refusal when `joiner` is not a member now but joined with the same UUID within the stale
// join prevention duration; nullopt to admit it.
std::optional<std::string> ClusterService::refuse_stale_join_locked(const MemberRecord& joiner) {
    const auto now = Clock::now();
    std::erase_if(recently_joined_, [&](const auto& entry) { return now - entry.second >= stale_join_prevention_; });
    if (member_locked(joiner.uuid) != nullptr) return std::nullopt;
    const auto it = recently_joined_.find(joiner.uuid);
    if (it == recently_joined_.end()) return std::nullopt;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(stale_join_prevention_ - (now - it->second));
    return "member " + joiner.uuid + " already joined " +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now - it->second).count() / 1000) +
           " s ago; the same UUID may join again after hazelcast.stale.join.prevention.duration.seconds (" +
           std::to_string(stale_join_prevention_.count() / 1000) + " s), in " + std::to_string((wait.count() + 999) / 1000) + " s";
}

// ---- queries --------------------------------------------------------------------------------------

bool ClusterService::is_master_locked() const {
    return joined_ && !view_.members.empty() && view_.members.front().uuid == local_.uuid;
}

bool ClusterService::is_master() const {
    std::lock_guard lock(mutex_);
    return is_master_locked();
}

const MemberRecord* ClusterService::member_locked(const std::string& uuid) const {
    for (const auto& m : view_.members) {
        if (m.uuid == uuid) return &m;
    }
    return nullptr;
}

std::string ClusterService::address_of(const std::string& uuid) const {
    std::lock_guard lock(mutex_);
    const MemberRecord* m = member_locked(uuid);
    return m ? m->address() : std::string();
}

ClusterView ClusterService::view() const {
    std::lock_guard lock(mutex_);
    return view_locked();
}

void ClusterService::add_view_listener(std::function<void()> listener) {
    std::lock_guard lock(mutex_);
    view_listeners_.push_back(std::move(listener));
}

void ClusterService::notify_view_listeners_locked() {
    for (const auto& listener : view_listeners_) listener();
}

ClusterView ClusterService::view_locked() const {
    ClusterView view;
    for (const auto& m : view_.members) view.members.push_back(to_member_info(m, local_.uuid));
    view.version = static_cast<int>(view_.member_version);
    view.state = view_.state;
    view.durable_state = view_.durable_state;
    view.cluster_id = util::Uuid::parse(view_.cluster_id).value_or(util::Uuid{});
    return view;
}

MemberInfo ClusterService::local_member() const {
    std::lock_guard lock(mutex_);
    return to_member_info(local_, local_.uuid);
}

ClusterState ClusterService::state() const {
    std::lock_guard lock(mutex_);
    return view_.state;
}

NodeState ClusterService::node_state() const {
    std::lock_guard lock(mutex_);
    return node_state_;
}

bool ClusterService::ready() const {
    std::lock_guard lock(mutex_);
    // A cluster member is ready once it has a partition table (a master restoring a persisted
    // one waits for its members first); a cluster of one without networking has none to wait for.
    const bool has_table = messenger_ == nullptr || !view_.table.replicas.empty();
    return joined_ && has_table && (node_state_ == NodeState::kActive || node_state_ == NodeState::kPassive);
}

bool ClusterService::cluster_safe() const {
    std::lock_guard lock(mutex_);
    if (!joined_ || node_state_ == NodeState::kShutDown) return false;
    if (messenger_ == nullptr) return true;  // a cluster of one without networking
    if (view_.migrating || !moves_.empty() || partitions_->out_of_sync() > 0) return false;
    const std::size_t want = std::min<std::size_t>(view_.members.size(), static_cast<std::size_t>(replica_count_locked()));
    if (view_.table.replicas.empty()) return false;
    // Every replica on a member that is here (a frozen table may name members that left).
    std::set<std::string> present;
    for (const auto& m : view_.members) present.insert(m.uuid);
    return std::all_of(view_.table.replicas.begin(), view_.table.replicas.end(), [&](const auto& row) {
        return row.size() >= want && std::all_of(row.begin(), row.end(), [&](const std::string& r) { return present.count(r) > 0; });
    });
}

bool ClusterService::await_joined(std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        {
            std::lock_guard lock(mutex_);
            if (joined_ && !view_.table.replicas.empty()) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // start-up only
    }
    return false;
}

int ClusterService::migration_queue_size() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(moves_.size());
}

// ---- state changes and leaving ------------------------------------------------------------------

std::optional<std::string> ClusterService::change_state(ClusterState target, StateChange kind) {
    std::lock_guard lock(mutex_);
    if (target == ClusterState::kInTransition) return "IN_TRANSITION cannot be requested";
    if (node_state_ == NodeState::kShuttingDown || node_state_ == NodeState::kShutDown) {
        return "the member is shutting down";
    }
    const bool durable = kind == StateChange::kDurable;
    if (target == view_.state && (!durable || target == view_.durable_state)) return std::nullopt;
    if (messenger_ != nullptr && joined_ && !is_master_locked()) {
        // Only the master changes the state; the answer arrives with its next view.
        messenger_->call(view_.members.front().address(), MessageKind::kChangeState,
                         std::string(to_string(target)) + (durable ? "" : " transient"),
                         [](bool ok, std::string body) {
                             if (!answered_ok(ok, body)) logger.warn("the master refused the state change: " + body);
                         }, std::chrono::milliseconds(5000));
        return std::nullopt;
    }
    logger.info("cluster state " + std::string(to_string(view_.state)) + " -> " + std::string(to_string(target)) +
                (durable ? " (requested)" : " (requested, transient)"));
    apply_state_locked(target, kind);
    return std::nullopt;
}

void ClusterService::apply_state_locked(ClusterState state, StateChange kind) {
    view_.state = state;
    if (kind == StateChange::kDurable) view_.durable_state = state;
    maps_.set_read_only(state == ClusterState::kPassive);
    node_state_ = state == ClusterState::kPassive ? NodeState::kPassive : NodeState::kActive;
    if (messenger_ != nullptr && joined_) publish_locked();
}

bool ClusterService::leave(std::chrono::milliseconds max_wait) {
    const auto deadline = Clock::now() + max_wait;
    std::unique_lock lock(mutex_);
    if (messenger_ == nullptr || !joined_ || view_.members.size() <= 1) {
        logger.info("graceful shutdown: no other member to hand partitions to");
        return true;
    }
    if (view_.state != ClusterState::kActive) {
        logger.info("graceful shutdown in cluster state " + std::string(to_string(view_.state)) +
                    ": partitions stay where they are (no migration in this state)");
        return true;
    }
    if (is_master_locked()) return leave_as_master_locked(lock, deadline);
    logger.info("graceful shutdown: asking the master to move " + std::to_string(view_.table.replicas_on(local_.uuid)) +
                " partition replicas off this member");
    // The master may itself be leaving or die meanwhile: ask whoever is master until one confirms.
    const std::uint64_t bytes_before = partitions_->snapshot_bytes_sent();
    while (Clock::now() < deadline) {
        if (!joined_ || view_.members.empty()) break;
        // The master left meanwhile and this member is the oldest: it hands over as the master.
        if (is_master_locked()) return leave_as_master_locked(lock, deadline);
        const std::string master = view_.members.front().address();
        lock.unlock();
        auto answered = std::make_shared<std::promise<bool>>();
        auto result = answered->get_future();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        messenger_->call(master, MessageKind::kLeave, {}, [answered](bool ok, std::string body) {
            answered->set_value(answered_ok(ok, body));
        }, std::max(left, std::chrono::milliseconds(1)));
        // Progress once a second: replicas still here (as the latest table says) and bytes sent.
        bool became_master = false;
        while (result.wait_for(std::chrono::seconds(1)) != std::future_status::ready && Clock::now() < deadline) {
            lock.lock();
            const int held = view_.table.replicas_on(local_.uuid);
            became_master = is_master_locked();  // the request went to a master that has left
            const ClusterState state = view_.state;
            lock.unlock();
            if (became_master) break;
            // The master stopped migrations meanwhile (a rolling restart's NO_MIGRATION, decided
            // from the same pod deletion that sent SIGTERM): nothing will move, so waiting would
            // only burn the grace period. Leave as a shutdown in that state does.
            if (state != ClusterState::kActive) {
                logger.info("graceful shutdown: the cluster went " + std::string(to_string(state)) +
                            ": partitions stay where they are (no migration in this state)");
                return true;
            }
            logger.info("graceful shutdown: " + std::to_string(held) + " partition replicas left here, " +
                        std::to_string((partitions_->snapshot_bytes_sent() - bytes_before) / 1024) + " KiB sent");
        }
        if (became_master) {
            lock.lock();
            return leave_as_master_locked(lock, deadline);
        }
        const bool ok = result.wait_until(deadline + std::chrono::milliseconds(100)) == std::future_status::ready && result.get();
        if (ok) {
            logger.info("graceful shutdown: every replica moved to other members (" +
                        std::to_string((partitions_->snapshot_bytes_sent() - bytes_before) / 1024) + " KiB sent)");
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a new master needs a moment to take over
        lock.lock();
    }
    logger.error("graceful shutdown: no master confirmed the hand-over in time; leaving anyway");
    return false;
}

// A leaving master moves its replicas itself, then hands the cluster to the next oldest member.
bool ClusterService::leave_as_master_locked(std::unique_lock<std::mutex>& lock, Clock::time_point deadline) {
    // The others may have left before this member became the master: nobody to hand to.
    if (view_.members.size() <= 1) {
        logger.info("graceful shutdown: no other member to hand partitions to");
        return true;
    }
    leaving_.insert(local_.uuid);
    logger.info("graceful shutdown: moving every replica off this member (the master)");
    const std::uint64_t bytes_before = partitions_->snapshot_bytes_sent();
    auto next_progress = Clock::now() + std::chrono::seconds(1);
    while (Clock::now() < deadline) {
        if (view_.members.size() <= 1) {
            logger.info("graceful shutdown: the other members left too; nobody to hand partitions to");
            return true;
        }
        if (Clock::now() >= next_progress) {
            next_progress += std::chrono::seconds(1);
            logger.info("graceful shutdown: " + std::to_string(view_.table.replicas_on(local_.uuid)) +
                        " partition replicas left here, " +
                        std::to_string((partitions_->snapshot_bytes_sent() - bytes_before) / 1024) + " KiB sent");
        }
        bool busy = !everyone_leaving_locked() && view_.table.replicas_on(local_.uuid) > 0;
        for (const auto& [p, move] : moves_) busy = busy || move.source == local_.uuid;
        // Members leaving at the same moment finish first: they wait on this master.
        for (const auto& uuid : leaving_) busy = busy || (uuid != local_.uuid && member_locked(uuid) != nullptr);
        if (!busy) {
            // Hand the cluster to the next oldest member: it sees a view without us.
            std::set<std::string> self{local_.uuid};
            view_.members.erase(view_.members.begin());
            ++view_.member_version;
            ++view_.version;
            const std::string body = encode(view_);
            for (const auto& m : view_.members) messenger_->post(m.address(), MessageKind::kView, body);
            logger.info("graceful shutdown: every replica moved; " + view_.members.front().address() + " is master now");
            return true;
        }
        lock.unlock();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // waits on the tick's progress
        lock.lock();
    }
    logger.error("graceful shutdown: replicas still here after the max wait; leaving anyway");
    return false;
}

void ClusterService::begin_shutdown() {
    std::lock_guard lock(mutex_);
    node_state_ = NodeState::kShuttingDown;
}

void ClusterService::finish_shutdown() {
    std::lock_guard lock(mutex_);
    node_state_ = NodeState::kShutDown;
    joined_ = false;
    stopping_ = true;
}

}  // namespace shoal::cluster
