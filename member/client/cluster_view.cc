#include "client/cluster_view.h"

namespace shoal::client::detail {

bool ClusterView::apply(const protocol::client::MembersViewEvent& event) {
    std::lock_guard lock(mutex_);
    if (event.version <= members_version_ && members_version_ >= 0) return false;
    members_version_ = event.version;
    members_ = event.members;
    return true;
}

bool ClusterView::apply(const protocol::client::PartitionsViewEvent& event) {
    std::lock_guard lock(mutex_);
    if (event.version <= partitions_version_ && partitions_version_ >= 0) return false;
    partitions_version_ = event.version;
    std::vector<std::optional<util::Uuid>> owners(static_cast<std::size_t>(partition_count_));
    for (const auto& [owner, partitions] : event.partitions.entries) {
        for (std::int32_t p : partitions) {
            if (p < 0) continue;
            if (static_cast<std::size_t>(p) >= owners.size()) owners.resize(static_cast<std::size_t>(p) + 1);
            owners[static_cast<std::size_t>(p)] = owner;
        }
    }
    owners_ = std::move(owners);
    if (partition_count_ == 0) partition_count_ = static_cast<int>(owners_.size());
    return true;
}

void ClusterView::set_partition_count(int count) {
    std::lock_guard lock(mutex_);
    partition_count_ = count;
    if (owners_.size() < static_cast<std::size_t>(count)) owners_.resize(static_cast<std::size_t>(count));
}

int ClusterView::partition_count() const {
    std::lock_guard lock(mutex_);
    return partition_count_;
}

std::optional<util::Uuid> ClusterView::owner(int partition_id) const {
    std::lock_guard lock(mutex_);
    if (partition_id < 0 || static_cast<std::size_t>(partition_id) >= owners_.size()) return std::nullopt;
    return owners_[static_cast<std::size_t>(partition_id)];
}

std::vector<protocol::MemberInfo> ClusterView::members() const {
    std::lock_guard lock(mutex_);
    return members_;
}

bool ClusterView::has_member(const util::Uuid& uuid) const {
    std::lock_guard lock(mutex_);
    for (const auto& m : members_) {
        if (m.uuid == uuid) return true;
    }
    return false;
}

bool ClusterView::complete() const {
    std::lock_guard lock(mutex_);
    if (members_.empty() || partition_count_ == 0 || owners_.size() < static_cast<std::size_t>(partition_count_)) return false;
    for (const auto& owner : owners_) {
        if (!owner) return false;
    }
    return true;
}

void ClusterView::reset_versions() {
    std::lock_guard lock(mutex_);
    members_version_ = -1;
    partitions_version_ = -1;
}

std::vector<std::optional<util::Uuid>> ClusterView::owners() const {
    std::lock_guard lock(mutex_);
    return owners_;
}

}  // namespace shoal::client::detail
