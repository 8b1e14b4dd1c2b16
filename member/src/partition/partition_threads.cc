#include "partition/partition_threads.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "partition/partition_journal.h"
#include "persistence/data_log.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/loop_thread.h"

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
    for (auto& worker : workers_) {
        std::lock_guard hold(worker->runner);
        worker->queue.drain(worker->context);
    }
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
                std::to_string(partition_count_) + " partitions" +
                (operations_on_io_threads_ ? "; IO threads run key operations while they are idle" : ""));
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

void PartitionThreads::submit_from_loop(int partition_id, ThreadTask task, TaskPrefetch prefetch) {
    Worker& worker = *workers_[static_cast<std::size_t>(thread_of(partition_id))];
    const util::LoopPost* loop = operations_on_io_threads_ && running_.load(std::memory_order_acquire)
                                     ? util::this_thread_loop()
                                     : nullptr;
    if (loop == nullptr) {
        worker.queue.push(std::move(task), true, prefetch);
        return;
    }
    worker.queue.push(std::move(task), false, prefetch);
    // seq_cst pairs with drain_from_loop's store: a drain that starts after this exchange saw
    // true sees this push too.
    if (!worker.drain_posted.exchange(true, std::memory_order_seq_cst)) {
        (*loop)([this, w = &worker] { drain_from_loop(*w); });
    }
}

void PartitionThreads::drain_from_loop(Worker& worker) {
    worker.drain_posted.store(false, std::memory_order_seq_cst);
    std::unique_lock hold(worker.runner, std::try_to_lock);
    if (!hold.owns_lock()) {
        // Its thread (or another IO thread) is running the queue; make sure what we pushed
        // without a wake is not left to a sleeping thread.
        worker.queue.wake_if_sleeping();
        return;
    }
    worker.queue.drain(worker.context);
    // A batched sync is paid by the partition thread's loop, which chose its sleep before these
    // writes (up to the 100 ms sweep interval, when nothing was owed): wake it to take the
    // shorter sync-check sleep, so the loss window stays shoal.persistence.fsync-interval-ms.
    if (persistence::DataLog* log = worker.context.log();
        log != nullptr && log->sync_pending() && worker.sleeps_long.load(std::memory_order_relaxed)) {
        worker.queue.wake_if_sleeping();
    }
}

void PartitionThreads::run(Worker& worker) {
    util::set_thread_name("partition-" + std::to_string(worker.context.index()));
    prefer_batches();
    auto next_sweep = std::chrono::steady_clock::now() + kSweepInterval;
    while (running_.load(std::memory_order_relaxed)) {
        const auto idle_wait = run_once(worker, next_sweep);
        if (idle_wait.count() > 0) worker.queue.sleep(idle_wait);
    }
    std::lock_guard hold(worker.runner);
    worker.queue.drain(worker.context);
    // A batched sync still owed is paid before the thread ends (a graceful stop loses nothing).
    if (persistence::DataLog* log = worker.context.log()) log->sync_if_due(persistence::DataLog::Clock::time_point::max());
}

// One round of a partition thread, holding the worker's runner: what is queued, the batched
// log sync, the expiry sweep when due. Returns how long to sleep (0: go on at once); when it
// returns a sleep, the queue was found empty with the sleep announced, under the runner (an IO
// thread may be the queue's consumer as soon as the runner is released).
std::chrono::milliseconds PartitionThreads::run_once(Worker& worker, std::chrono::steady_clock::time_point& next_sweep) {
    std::lock_guard hold(worker.runner);
    const bool idle = worker.queue.drain(worker.context) == 0;
    sync_log_if_due(worker.context);
    auto now = std::chrono::steady_clock::now();
    if (now >= next_sweep) {
        sweep_expired(worker.context);
        compact_log_if_due(worker.context);
        now = std::chrono::steady_clock::now();
        next_sweep = now + kSweepInterval;
    }
    if (!idle || !worker.queue.prepare_to_sleep()) return std::chrono::milliseconds(0);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - now) + std::chrono::milliseconds(1);
    if (worker.context.log() != nullptr && worker.context.log()->sync_pending()) wait = std::min(wait, kSyncCheckInterval);
    worker.sleeps_long.store(wait > kSyncCheckInterval, std::memory_order_relaxed);
    return wait;
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
