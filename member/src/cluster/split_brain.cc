// Split brain: two clusters of the same name that can see each other again become one.
//
// The master of each cluster asks, every hazelcast.merge.next.run.delay.seconds (first after
// hazelcast.merge.first.run.delay.seconds), the addresses discovery returns that are not its
// members whether they are in a cluster. When one is, in another cluster (another id), the
// smaller cluster (fewer members; on a tie, the one whose master has the higher address) merges
// into the larger: its master tells every member to, and each member
//   1. images the partitions it owns and drops every replica it holds (operations wait),
//   2. joins the larger cluster as a new member (the normal join),
//   3. re-inserts its images with the PUT_IF_ABSENT policy: a key the larger cluster already
//      holds keeps the larger cluster's value. Every entry is counted and the counts logged, so
//      nothing is dropped silently.
#include <atomic>

#include "cluster/cluster_service.h"
#include "cluster/messenger.h"
#include "discovery/discovery.h"
#include "util/clock.h"
#include "util/log.h"

namespace shoal::cluster {
namespace {

const util::Logger logger("shoal.split-brain");
using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kMergeInfoTimeout{1000};

std::chrono::seconds seconds_property(const config::MemberConfig& config, const std::string& name, int fallback) {
    auto it = config.properties.find(name);
    if (it == config.properties.end()) return std::chrono::seconds(fallback);
    try {
        return std::chrono::seconds(std::stoll(it->second));
    } catch (const std::exception&) {
        return std::chrono::seconds(fallback);
    }
}

}  // namespace

const std::string_view kNotAMember = "not a member of cluster ";
const std::string_view kNotJoined = "not joined to any cluster";

namespace {

// Counts of one member's re-insertion, logged once every entry is answered.
struct MergeTally {
    explicit MergeTally(std::size_t total) : left(total), total(total) {}
    std::atomic<std::size_t> left, added{0}, kept{0}, expired{0}, failed{0};
    std::size_t total;
};

}  // namespace

bool ClusterService::merge_check_due_locked() {
    if (!joined_ || discovery_ == nullptr || !is_master_locked() || !merging_into_.empty()) return false;
    if (view_.state != ClusterState::kActive) return false;  // as Hazelcast: merge only when ACTIVE
    const auto now = Clock::now();
    if (next_merge_check_ == Clock::time_point{}) {
        next_merge_check_ = now + seconds_property(config_, "hazelcast.merge.first.run.delay.seconds", 5);
        return false;
    }
    if (now < next_merge_check_) return false;
    next_merge_check_ = now + seconds_property(config_, "hazelcast.merge.next.run.delay.seconds", 5);
    return true;
}

void ClusterService::look_for_other_clusters_locked(const std::vector<discovery::Address>& found) {
    for (const auto& address : found) {
        const std::string a = address.to_string();
        const bool member = std::any_of(view_.members.begin(), view_.members.end(),
                                        [&](const MemberRecord& m) { return m.address() == a; });
        if (member) continue;
        messenger_->call(a, MessageKind::kJoinInfo, {}, [this, a](bool ok, std::string body) {
            on_merge_info(a, ok, body);
        }, kMergeInfoTimeout);
    }
}

void ClusterService::on_merge_info(const std::string& address, bool ok, const std::string& body) {
    if (!ok) return;  // not up, or of another cluster name (refused at the handshake)
    JoinInfo info;
    try {
        info = decode_join_info(body);
    } catch (const util::DecodeError& e) {
        logger.warn("bad join answer from " + address + ": " + e.what());
        return;
    }
    std::lock_guard lock(mutex_);
    if (!joined_ || !is_master_locked() || !merging_into_.empty()) return;
    // Another cluster: another id, or ours split in two (each side kept the id but has its own
    // master, one we do not count as a member).
    const bool master_is_ours = std::any_of(view_.members.begin(), view_.members.end(),
                                            [&](const MemberRecord& m) { return m.address() == info.master_address; });
    if (!info.joined || (info.cluster_id == view_.cluster_id && master_is_ours)) return;
    const int ours = static_cast<int>(view_.members.size());
    const bool we_merge = info.member_count > ours || (info.member_count == ours && info.master_address < local_.address());
    const std::string other = "cluster " + info.cluster_id + " (" + std::to_string(info.member_count) + " members, master " +
                              info.master_address + ")";
    if (!we_merge) {
        logger.warn("split brain: found " + other + "; it is the smaller one and will merge into this cluster");
        return;
    }
    logger.warn("split brain: found " + other + "; this cluster (" + std::to_string(ours) +
                " members) merges into it, entries by policy PUT_IF_ABSENT");
    for (const auto& m : view_.members) {
        if (m.uuid != local_.uuid) messenger_->post(m.address(), MessageKind::kMergeInto, info.cluster_id);
    }
    begin_merge_locked(info.cluster_id);
}

void ClusterService::begin_merge_locked(const std::string& target_cluster_id) {
    logger.warn("split brain: leaving cluster " + view_.cluster_id + " to merge into " + target_cluster_id);
    merging_into_ = target_cluster_id;
    joined_ = false;
    join_in_flight_ = false;
    const ClusterState state = view_.state;
    view_ = ViewMessage{};
    view_.cluster_id = util::Uuid::random().to_string();
    view_.state = state;
    peers_.clear();
    moves_.clear();
    leaving_.clear();
    unbalanced_ = false;
    next_merge_check_ = {};
    partitions_->release_for_merge([this](std::vector<partition::EntryChange> entries) {
        std::lock_guard lock(mutex_);
        logger.info("split brain: " + std::to_string(entries.size()) + " entries set aside to merge");
        merge_backlog_ = std::make_shared<std::vector<partition::EntryChange>>(std::move(entries));
    });
}

void ClusterService::on_dropped_by_master_locked(const std::string& master_uuid, const std::string& cluster_id) {
    if (!joined_ || !merging_into_.empty() || view_.members.empty() || view_.members.front().uuid != master_uuid) return;
    logger.warn("split brain: the master no longer counts this member (it was unreachable for a while); "
                "merging back into cluster " + cluster_id);
    begin_merge_locked(cluster_id);
}

void ClusterService::register_merge_handler() {
    messenger_->handle(MessageKind::kMergeInto, [this](const MemberRecord& from, std::string body, Messenger::Reply) {
        std::lock_guard lock(mutex_);
        const bool from_master = joined_ && !view_.members.empty() && view_.members.front().uuid == from.uuid;
        if (!from_master || !merging_into_.empty()) return;
        begin_merge_locked(body);
    });
}

// Once joined to the larger cluster, the set-aside entries go in through the normal write
// path, routed to their new owners and backed up like any write.
void ClusterService::reinsert_merged_entries_if_joined() {
    std::shared_ptr<std::vector<partition::EntryChange>> entries;
    {
        std::lock_guard lock(mutex_);
        if (!merge_backlog_ || !joined_ || !merging_into_.empty() || view_.table.replicas.empty()) return;
        entries = std::move(merge_backlog_);
        merge_backlog_.reset();
    }
    auto tally = std::make_shared<MergeTally>(entries->size());
    auto finish_one = [tally] {
        if (--tally->left != 0) return;
        const std::string counts = std::to_string(tally->added) + " added, " + std::to_string(tally->kept) +
                                   " kept the larger cluster's value, " + std::to_string(tally->expired) +
                                   " expired meanwhile, " + std::to_string(tally->failed) + " failed";
        (tally->failed > 0 ? logger.error("split brain merge of " + std::to_string(tally->total) + " entries: " + counts)
                           : logger.info("split brain merge of " + std::to_string(tally->total) + " entries done: " + counts));
    };
    if (entries->empty()) {
        logger.info("split brain merge done: this member held no entries");
        return;
    }
    const std::int64_t now = util::now_millis();
    for (auto& e : *entries) {
        map::EntryLimits limits;
        limits.ttl_ms = 0;  // no expiry unless the entry had one
        if (e.times.expire_at_ms > 0) {
            limits.ttl_ms = e.times.expire_at_ms - now;
            if (limits.ttl_ms <= 0) {
                ++tally->expired;
                finish_one();
                continue;
            }
        }
        limits.max_idle_ms = e.times.max_idle_ms;
        maps_.put_if_absent(std::move(e.map), std::move(e.key), std::move(e.value), limits,
                            [tally, finish_one](partition::OpResult<std::optional<std::string>> result) {
                                if (!result.ok()) {
                                    ++tally->failed;
                                } else if (result.value) {
                                    ++tally->kept;
                                } else {
                                    ++tally->added;
                                }
                                finish_one();
                            });
    }
}

}  // namespace shoal::cluster
