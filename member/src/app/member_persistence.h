// MemberPersistence: one member's persistence directory (persistence.base-dir) and what the
// member keeps in it across restarts: its identity (member metadata) and its data (one log per
// partition thread under threads/<n>).
//
// The directory is locked (flock) while the member runs, so two members never share one.
// Recovery replays every thread's log on that thread, all in parallel, before the member joins;
// readiness stays 503 until it is done. Metadata is saved whenever the member list, the cluster
// state or the partition table changed, from a thread of its own (a save syncs the disk).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/member_config.h"
#include "persistence/member_metadata.h"

namespace shoal::partition {
class PartitionThreads;
}

namespace shoal::app {

class MemberPersistence {
public:
    enum class Phase { kLoading, kDone, kFailed };
    struct Status {
        Phase phase = Phase::kLoading;
        std::uint64_t records = 0;
        std::uint64_t bytes = 0;
        std::uint64_t entries = 0;
        std::uint64_t cut_bytes = 0;
        std::int64_t load_ms = 0;
        std::string dir;
        std::int64_t saved_table_version = -1;  // the partition table in the metadata on disk; -1 none
    };

    // Opens and locks the directory and reads the metadata; std::runtime_error naming the
    // directory when it cannot, or when its data was written with another partition count.
    MemberPersistence(const config::MemberConfig& config);
    ~MemberPersistence();
    MemberPersistence(const MemberPersistence&) = delete;
    MemberPersistence& operator=(const MemberPersistence&) = delete;

    // What the member was when it last ran; nullopt on a first start.
    const std::optional<persistence::MemberMetadata>& previous() const { return previous_; }
    // The partition threads to run: the layout the data was written with, if there is data.
    int partition_threads(int configured) const;

    // Replays every thread's log into its stores (in parallel, on the threads, which must be
    // running) and attaches the logs for the writes to come. Throws if a log cannot be opened.
    void recover(partition::PartitionThreads& threads);

    // Saves metadata from `current()` whenever what it returns changed: at once after
    // metadata_changed(), and checked twice a second besides.
    void keep_metadata(std::function<persistence::MemberMetadata()> current);
    // The view changed (members, state, partition table): save soon. Cheap, never blocks.
    void metadata_changed();
    void stop();

    Status status() const;

private:
    void metadata_loop();

    const config::MemberConfig& config_;
    std::filesystem::path dir_;
    int lock_fd_ = -1;
    std::optional<persistence::MemberMetadata> previous_;

    mutable std::mutex mutex_;
    Status status_;
    std::function<persistence::MemberMetadata()> current_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool changed_ = false;
    std::thread metadata_thread_;
};

}  // namespace shoal::app
