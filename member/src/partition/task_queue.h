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

class TaskQueue {
public:
    TaskQueue();
    TaskQueue(const TaskQueue&) = delete;
    TaskQueue& operator=(const TaskQueue&) = delete;
    ~TaskQueue();

    // Any thread.
    void push(ThreadTask task);
    // Wakes the consumer if it sleeps (used on stop).
    void wake();

    // Consumer only: runs every queued task and returns how many ran.
    std::size_t drain(ThreadContext& context);
    // Consumer only: sleeps until a push, a wake() or the timeout.
    void wait(std::chrono::milliseconds timeout);

private:
    struct Node {
        std::atomic<Node*> next{nullptr};
        ThreadTask task;
    };
    Node* pop();  // null when empty

    alignas(64) std::atomic<Node*> tail_;  // producers exchange here
    alignas(64) Node* head_;               // consumer only
    Node stub_;
    alignas(64) std::atomic<std::uint32_t> sleeping_{0};
};

}  // namespace shoal::partition
