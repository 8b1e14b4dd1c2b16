// PartitionThreads: the shared-nothing core. Each partition belongs to exactly one thread
// (partition_id % thread_count); only that thread touches its PartitionStore. Other threads
// reach the data only by submitting a task to the owner's queue.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "map/partition_store.h"
#include "partition/operation_stats.h"
#include "partition/replica_state.h"
#include "partition/task_queue.h"

namespace shoal::persistence {
class DataLog;
}

namespace shoal::partition {

// What a task sees: the partitions of the thread it runs on, and that thread's stats.
class ThreadContext {
public:
    ThreadContext(int index, int thread_count) : index_(index), thread_count_(thread_count) {}

    int index() const { return index_; }
    // The store of a partition this thread owns. Precondition: owns(partition_id).
    map::PartitionStore& store(int partition_id) {
        return *partitions_[static_cast<std::size_t>(partition_id / thread_count_)];
    }
    bool owns(int partition_id) const { return partition_id % thread_count_ == index_; }
    ReplicaState& replica(int partition_id) {
        return replicas_[static_cast<std::size_t>(partition_id / thread_count_)];
    }
    std::vector<std::unique_ptr<map::PartitionStore>>& partitions() { return partitions_; }
    // Adds a partition this thread owns (ascending ids); only while the threads are built.
    void add_partition(std::unique_ptr<map::PartitionStore> store) {
        partitions_.push_back(std::move(store));
        replicas_.emplace_back();
    }
    OperationStats& stats() { return stats_; }
    // This thread's persistence log; null when persistence is off (see partition_journal.h).
    persistence::DataLog* log() const { return log_.get(); }
    void set_log(std::shared_ptr<persistence::DataLog> log) { log_ = std::move(log); }

private:
    int index_;
    int thread_count_;
    std::shared_ptr<persistence::DataLog> log_;  // shared_ptr: DataLog stays incomplete here
    std::vector<std::unique_ptr<map::PartitionStore>> partitions_;  // ascending partition ids
    std::vector<ReplicaState> replicas_;                             // beside partitions_
    OperationStats stats_;
};

class PartitionThreads {
public:
    PartitionThreads(int partition_count, int thread_count, map::PartitionStore::LimitsLookup limits);
    PartitionThreads(const PartitionThreads&) = delete;
    PartitionThreads& operator=(const PartitionThreads&) = delete;
    ~PartitionThreads();

    void start();
    // Runs what is queued, then joins the threads. Idempotent.
    void stop();

    int partition_count() const { return partition_count_; }
    int thread_count() const { return static_cast<int>(workers_.size()); }
    int thread_of(int partition_id) const { return partition_id % thread_count(); }

    // Runs `task` on the thread owning `partition_id`.
    void submit(int partition_id, ThreadTask task) { submit_to_thread(thread_of(partition_id), std::move(task)); }
    void submit_to_thread(int thread, ThreadTask task);

    // Whether submit_from_loop may run tasks on the IO thread that submits them. Set before
    // start(); off by default.
    void set_operations_on_io_threads(bool on) { operations_on_io_threads_ = on; }
    bool operations_on_io_threads() const { return operations_on_io_threads_; }

    // submit() for the short operations of the serving path (a key operation, a backup), called
    // from wherever they arrive. On an IO thread (one with a util::this_thread_loop) and with
    // operations_on_io_threads, the task is queued without waking the partition's thread and
    // the IO thread runs that thread's queue itself, after the handlers already ready (so a
    // pipelined burst runs as one batch), unless the partition thread is at work: then it runs
    // them. Waking a partition thread costs a futex call and two context switches per batch,
    // which is most of an operation's cost when both threads share one core. Order per
    // submitter is kept either way: one queue, and one runner at a time (Worker::runner).
    void submit_from_loop(int partition_id, ThreadTask task, TaskPrefetch prefetch = nullptr);

private:
    struct Worker {
        explicit Worker(int index, int thread_count) : context(index, thread_count) {}
        ThreadContext context;
        TaskQueue queue;
        // Held by whoever runs this worker's tasks: its own thread while it drains and sweeps,
        // or an IO thread draining for it (submit_from_loop). Only the holder touches context.
        std::mutex runner;
        std::atomic<bool> drain_posted{false};  // an IO thread will drain this queue soon
        std::atomic<bool> sleeps_long{false};   // its thread sleeps past a batched sync's check
        std::thread thread;
    };
    void run(Worker& worker);
    std::chrono::milliseconds run_once(Worker& worker, std::chrono::steady_clock::time_point& next_sweep);
    void drain_from_loop(Worker& worker);
    static void sweep_expired(ThreadContext& context);
    static void sync_log_if_due(ThreadContext& context);

    int partition_count_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::atomic<bool> running_{false};
    bool started_ = false;
    bool operations_on_io_threads_ = false;
};

}  // namespace shoal::partition
