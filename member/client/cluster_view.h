// ClusterView: the member list and partition table the client follows, as the cluster-view
// listener (Client.addClusterViewListener) reports them. Thread-safe: events update it on an
// IO thread, every invocation reads a partition's owner.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "protocol/client_messages.h"
#include "util/uuid.h"

namespace shoal::client::detail {

class ClusterView {
public:
    // Applies an event when it is newer than what the view holds; returns whether it changed.
    bool apply(const protocol::client::MembersViewEvent& event);
    bool apply(const protocol::client::PartitionsViewEvent& event);
    void set_partition_count(int count);

    int partition_count() const;
    std::optional<util::Uuid> owner(int partition_id) const;
    std::vector<std::optional<util::Uuid>> owners() const;  // by partition id
    std::vector<protocol::MemberInfo> members() const;
    bool has_member(const util::Uuid& uuid) const;
    // True once a member list and an owner for every partition have arrived.
    bool complete() const;
    // Forgets the versions (a new cluster connection starts a new event stream).
    void reset_versions();

private:
    mutable std::mutex mutex_;
    std::int32_t members_version_ = -1;
    std::int32_t partitions_version_ = -1;
    std::vector<protocol::MemberInfo> members_;
    std::vector<std::optional<util::Uuid>> owners_;  // by partition id
    int partition_count_ = 0;
};

}  // namespace shoal::client::detail
