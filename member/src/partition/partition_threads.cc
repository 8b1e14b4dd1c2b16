#include "partition/partition_threads.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "partition/partition_journal.h"
#include "persistence/data_log.h"
#include "util/clock.h"
#include "util/log.h"

namespace shoal::partition {
namespace {

const util::Logger logger("shoal.partition");
// The expiry sweeper runs this often and checks this many slots per map and partition, so a
// sweep pass costs microseconds and expired entries vanish within seconds even if never read.
constexpr std::chrono::milliseconds kSweepInterval{100};
constexpr std::size_t kSweepChecksPerStore = 64;
// How soon an idle thread looks again at a batched sync it owes (kBatched persistence).
constexpr std::chrono::milliseconds kSyncCheckInterval{2};

// SCHED_BATCH: a woken partition thread does not preempt the IO thread that woke it. On a
// member with fewer cores than threads (one core in a small pod) the IO thread then reads every
// ready connection and queues all their operations before the partition thread runs them as one
// batch, instead of a context switch pair per request (the top cost under a 50-connection load,
// see README "Benchmarks"). Throughput per core only; priorities are unchanged.
void prefer_batches() {
    sched_param param{};
    if (sched_setscheduler(0, SCHED_BATCH, &param) != 0) logger.debug("SCHED_BATCH refused; partition threads stay SCHED_OTHER");
}

}  // namespace

PartitionThreads::PartitionThreads(int partition_count, int thread_count,
                                   map::PartitionStore::LimitsLookup limits)
    : partition_count_(partition_count) {
    if (thread_count < 1) thread_count = 1;
    if (thread_count > partition_count) thread_count = partition_count;
    for (int i = 0; i < thread_count; ++i) workers_.push_back(std::make_unique<Worker>(i, thread_count));
    for (int p = 0; p < partition_count; ++p) {
        auto& worker = *workers_[static_cast<std::size_t>(p % thread_count)];
        worker.context.add_partition(std::make_unique<map::PartitionStore>(p, limits));
    }
}

PartitionThreads::~PartitionThreads() {
    stop();
    // Tasks pushed after the last drain (a race with stop) still run, so no caller waits forever.
    for (auto& worker : workers_) worker->queue.drain(worker->context);
}

void PartitionThreads::start() {
    if (started_) return;
    started_ = true;
    running_.store(true);
    for (auto& worker : workers_) {
        Worker* w = worker.get();
        w->thread = std::thread([this, w] { run(*w); });
    }
    logger.info(std::to_string(workers_.size()) + " partition threads own " +
                std::to_string(partition_count_) + " partitions");
}

void PartitionThreads::stop() {
    if (!running_.exchange(false)) return;
    for (auto& worker : workers_) worker->queue.wake();
    for (auto& worker : workers_) {
        if (worker->thread.joinable()) worker->thread.join();
    }
}

void PartitionThreads::submit_to_thread(int thread, ThreadTask task) {
    workers_[static_cast<std::size_t>(thread)]->queue.push(std::move(task));
}

void PartitionThreads::run(Worker& worker) {
    util::set_thread_name("partition-" + std::to_string(worker.context.index()));
    prefer_batches();
    auto next_sweep = std::chrono::steady_clock::now() + kSweepInterval;
    while (running_.load(std::memory_order_relaxed)) {
        if (worker.queue.drain(worker.context) == 0) {
            const auto now = std::chrono::steady_clock::now();
            if (now < next_sweep) {
                auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - now) + std::chrono::milliseconds(1);
                if (worker.context.log() != nullptr && worker.context.log()->sync_pending()) wait = std::min(wait, kSyncCheckInterval);
                worker.queue.wait(wait);
            }
        }
        sync_log_if_due(worker.context);
        if (std::chrono::steady_clock::now() >= next_sweep) {
            sweep_expired(worker.context);
            compact_log_if_due(worker.context);
            next_sweep = std::chrono::steady_clock::now() + kSweepInterval;
        }
    }
    worker.queue.drain(worker.context);
    // A batched sync still owed is paid before the thread ends (a graceful stop loses nothing).
    if (persistence::DataLog* log = worker.context.log()) log->sync_if_due(persistence::DataLog::Clock::time_point::max());
}

void PartitionThreads::sync_log_if_due(ThreadContext& context) {
    if (persistence::DataLog* log = context.log()) log->sync_if_due();
}

void PartitionThreads::sweep_expired(ThreadContext& context) {
    const std::int64_t now = util::now_millis();
    for (auto& partition : context.partitions()) {
        partition->for_each_map([&](std::string_view, map::RecordStore& store) {
            store.sweep_expired(now, kSweepChecksPerStore);
        });
    }
}

}  // namespace shoal::partition
