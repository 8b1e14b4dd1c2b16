// TaskQueue: many producers, one consumer, no locks (Vyukov's intrusive MPSC queue), plus a
// futex so an idle consumer sleeps instead of spinning.
//
// IO threads push; the owning partition thread pops. A push is one atomic exchange; the consumer
// never blocks producers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

namespace shoal::partition {

class ThreadContext;
using ThreadTask = std::function<void(ThreadContext&)>;
// Warms the cache for a queued task: drain() calls it for every task of a batch, stage 0 and then
// stage 1, before running any of them, so the batch's memory loads overlap instead of each task
// waiting for its own (a key lookup in a large table takes two cache misses: see
// PartitionService::execute). Only a hint: it must not change anything a task can see.
using TaskPrefetch = void (*)(ThreadTask& task, ThreadContext& context, int stage);

class TaskQueue {
public:
    TaskQueue();
    TaskQueue(const TaskQueue&) = delete;
    TaskQueue& operator=(const TaskQueue&) = delete;
    ~TaskQueue();

    // Any thread. Without `wake_consumer` a sleeping consumer is left asleep: the caller
    // drains the queue itself or calls wake_if_sleeping() (see PartitionThreads::submit_from_loop).
    void push(ThreadTask task, bool wake_consumer = true, TaskPrefetch prefetch = nullptr);
    // Wakes the consumer if it sleeps (used on stop).
    void wake();
    void wake_if_sleeping() {
        if (sleeping_.load(std::memory_order_seq_cst) != 0) wake();
    }

    // Consumer only: runs every queued task, in order, and returns how many ran. Tasks are taken
    // up to kBatch at a time, and a batch's prefetches run before its tasks.
    std::size_t drain(ThreadContext& context);
    static constexpr std::size_t kBatch = 32;
    // Consumer only: sleeps until a push, a wake() or the timeout.
    void wait(std::chrono::milliseconds timeout) {
        if (prepare_to_sleep()) sleep(timeout);
    }
    // wait() in two steps, for a queue whose consumer is whoever holds a lock (see
    // PartitionThreads::Worker::runner): prepare_to_sleep() while holding it announces the sleep
    // and tells whether the queue is empty (it reads the consumer's end); sleep() after
    // releasing it sleeps unless a push or wake() came since the announcement.
    bool prepare_to_sleep();
    void sleep(std::chrono::milliseconds timeout);

    // Runs one task the way drain() does: an exception fails that task only.
    static void run_one(ThreadTask& task, ThreadContext& context);

private:
    struct Node {
        std::atomic<Node*> next{nullptr};
        ThreadTask task;
        TaskPrefetch prefetch = nullptr;
    };
    static void prefetch_stage(Node* const* batch, std::size_t count, int stage, ThreadContext& context);
    Node* pop();  // null when empty

    alignas(64) std::atomic<Node*> tail_;  // producers exchange here
    alignas(64) Node* head_;               // consumer only
    Node stub_;
    alignas(64) std::atomic<std::uint32_t> sleeping_{0};
};

}  // namespace shoal::partition
