#include "app/member_persistence.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <stdexcept>
#include <vector>

#include "partition/partition_journal.h"
#include "partition/partition_table.h"
#include "partition/partition_threads.h"
#include "util/log.h"

namespace shoal::app {
namespace {

const util::Logger logger("shoal.persistence");
constexpr std::chrono::milliseconds kMetadataCheckInterval{500};

persistence::FsyncPolicy fsync_of(config::FsyncPolicy policy) {
    switch (policy) {
        case config::FsyncPolicy::kEveryWrite: return persistence::FsyncPolicy::kEveryWrite;
        case config::FsyncPolicy::kBatched: return persistence::FsyncPolicy::kBatched;
        case config::FsyncPolicy::kNever: return persistence::FsyncPolicy::kNever;
    }
    return persistence::FsyncPolicy::kEveryWrite;
}

// Equal except for what changes with every write (nothing here does), so a save happens only
// when the member list, the state or the table moved on.
bool same(const persistence::MemberMetadata& a, const persistence::MemberMetadata& b) { return a == b; }

std::int64_t table_version_of(const persistence::MemberMetadata& m) {
    if (m.partition_table.empty()) return -1;
    try {
        util::ByteReader in(m.partition_table);
        return partition::decode_partition_table(in).version;
    } catch (const util::DecodeError&) {
        return -1;
    }
}

// "123 MB/s": a load speed in the unit Hazelcast publishes its restore speed in.
std::string speed(std::uint64_t bytes, std::int64_t micros) {
    if (micros <= 0) return "- MB/s";
    return std::to_string(bytes / static_cast<std::uint64_t>(micros)) + " MB/s";
}

}  // namespace

MemberPersistence::MemberPersistence(const config::MemberConfig& config)
    : config_(config), dir_(std::filesystem::absolute(config.persistence.base_dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("persistence: cannot create base-dir " + dir_.string() + ": " + ec.message());
    const auto lock_path = dir_ / "LOCK";
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) throw std::runtime_error("persistence: cannot open " + lock_path.string() + ": " + std::strerror(errno));
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        throw std::runtime_error("persistence: base-dir " + dir_.string() +
                                 " is in use by another member (each member needs a directory of its own)");
    }
    try {
        previous_ = persistence::load_metadata(dir_);
    } catch (const persistence::MetadataError& e) {
        ::close(lock_fd_);
        throw std::runtime_error(std::string("persistence: ") + e.what() +
                                 "; move the directory away to start this member empty");
    }
    if (previous_ && previous_->partition_count != config.partition_count) {
        ::close(lock_fd_);
        throw std::runtime_error("persistence: the data in " + dir_.string() + " was written with " +
                                 std::to_string(previous_->partition_count) + " partitions, the config says " +
                                 std::to_string(config.partition_count));
    }
    status_.dir = dir_.string();
}

MemberPersistence::~MemberPersistence() {
    stop();
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

int MemberPersistence::partition_threads(int configured) const {
    if (!previous_ || previous_->partition_thread_count <= 0 || previous_->partition_thread_count == configured) return configured;
    logger.info("using " + std::to_string(previous_->partition_thread_count) + " partition threads (not " +
                std::to_string(configured) + "): the data in " + dir_.string() + " was written by that many");
    return previous_->partition_thread_count;
}

void MemberPersistence::recover(partition::PartitionThreads& threads) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::future<partition::ThreadRecovery>> loads;
    for (int t = 0; t < threads.thread_count(); ++t) {
        auto promise = std::make_shared<std::promise<partition::ThreadRecovery>>();
        loads.push_back(promise->get_future());
        persistence::DataLogOptions options;
        options.dir = dir_ / "threads" / std::to_string(t);
        options.fsync = fsync_of(config_.persistence.fsync);
        options.fsync_interval = config_.persistence.fsync_interval;
        threads.submit_to_thread(t, [promise, options](partition::ThreadContext& context) {
            try {
                promise->set_value(partition::recover_thread(context, options));
            } catch (...) {
                promise->set_exception(std::current_exception());
            }
        });
    }
    Status loaded;
    loaded.dir = dir_.string();
    std::int64_t thread_us = 0;  // the threads' replay times added up
    const auto deadline = started + std::chrono::seconds(config_.persistence.data_load_timeout_seconds);
    try {
        for (auto& load : loads) {
            if (load.wait_until(deadline) != std::future_status::ready) {
                throw std::runtime_error("loading took longer than data-load-timeout-seconds (" +
                                         std::to_string(config_.persistence.data_load_timeout_seconds) + ")");
            }
            const partition::ThreadRecovery r = load.get();
            loaded.records += r.report.records;
            loaded.bytes += r.report.bytes;
            loaded.entries += r.entries;
            loaded.cut_bytes += r.report.cut_bytes;
            thread_us += r.load_us;
            for (const auto& problem : r.report.problems) logger.warn("persistence: " + problem);
        }
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        status_.phase = Phase::kFailed;
        throw std::runtime_error(std::string("persistence: cannot load ") + dir_.string() + ": " + e.what());
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    loaded.load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    loaded.phase = Phase::kDone;
    const auto member_us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    logger.info("persistence: loaded " + std::to_string(loaded.entries) + " entries (" + std::to_string(loaded.records) +
                " records, " + std::to_string(loaded.bytes / 1024) + " KiB) from " + dir_.string() + " in " +
                std::to_string(loaded.load_ms) + " ms: " + speed(loaded.bytes, member_us) + " for the member, " +
                speed(loaded.bytes, thread_us) + " per thread over " + std::to_string(threads.thread_count()) + " threads" +
                (loaded.cut_bytes ? "; cut " + std::to_string(loaded.cut_bytes) + " bytes of torn or corrupt tail" : ""));
    std::lock_guard lock(mutex_);
    status_ = loaded;
}

void MemberPersistence::keep_metadata(std::function<persistence::MemberMetadata()> current) {
    {
        std::lock_guard lock(mutex_);
        current_ = std::move(current);
    }
    metadata_thread_ = std::thread([this] { metadata_loop(); });
}

void MemberPersistence::metadata_changed() {
    {
        std::lock_guard lock(mutex_);
        changed_ = true;
    }
    wake_.notify_one();
}

void MemberPersistence::metadata_loop() {
    util::set_thread_name("persistence-meta");
    std::optional<persistence::MemberMetadata> saved;
    std::unique_lock lock(mutex_);
    for (;;) {
        auto current = current_;
        lock.unlock();
        persistence::MemberMetadata now = current();
        if (!saved || !same(*saved, now)) {
            try {
                persistence::save_metadata(dir_, now);
                const std::int64_t table_version = table_version_of(now);
                saved = std::move(now);
                std::lock_guard status_lock(mutex_);
                status_.saved_table_version = table_version;
            } catch (const std::exception& e) {
                logger.error(std::string("persistence: cannot save metadata: ") + e.what());
            }
        }
        lock.lock();
        if (stopping_) return;
        wake_.wait_for(lock, kMetadataCheckInterval, [this] { return stopping_ || changed_; });
        changed_ = false;
        // One last save after stop was asked: the final table and state reach the disk.
        if (stopping_) {
            lock.unlock();
            try {
                persistence::MemberMetadata last = current();
                if (!saved || !same(*saved, last)) persistence::save_metadata(dir_, last);
            } catch (const std::exception& e) {
                logger.error(std::string("persistence: cannot save metadata: ") + e.what());
            }
            return;
        }
    }
}

void MemberPersistence::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (metadata_thread_.joinable()) metadata_thread_.join();
}

MemberPersistence::Status MemberPersistence::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

}  // namespace shoal::app
