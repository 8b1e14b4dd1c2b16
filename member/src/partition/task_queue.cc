#include "partition/task_queue.h"

#include "util/log.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace shoal::partition {
namespace {

const util::Logger logger("shoal.partition");

void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected,
                std::chrono::milliseconds timeout) {
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    ts.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1'000'000);
    syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, &ts,
            nullptr, 0);
}

void futex_wake(std::atomic<std::uint32_t>* word) {
    syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr,
            nullptr, 0);
}

}  // namespace

TaskQueue::TaskQueue() : tail_(&stub_), head_(&stub_) {}

TaskQueue::~TaskQueue() {
    while (Node* node = pop()) delete node;
}

void TaskQueue::push(ThreadTask task, bool wake_consumer, TaskPrefetch prefetch) {
    Node* node = new Node;
    node->task = std::move(task);
    node->prefetch = prefetch;
    // seq_cst on this exchange and on the load below pairs with wait(): either the consumer's
    // emptiness check sees this node, or this load sees the consumer asleep and wakes it.
    Node* previous = tail_.exchange(node, std::memory_order_seq_cst);
    previous->next.store(node, std::memory_order_release);
    if (wake_consumer) wake_if_sleeping();
}

void TaskQueue::wake() {
    sleeping_.store(0, std::memory_order_relaxed);
    futex_wake(&sleeping_);
}

TaskQueue::Node* TaskQueue::pop() {
    Node* head = head_;
    Node* next = head->next.load(std::memory_order_acquire);
    if (head == &stub_) {
        if (next == nullptr) return nullptr;
        head_ = next;
        head = next;
        next = next->next.load(std::memory_order_acquire);
    }
    if (next != nullptr) {
        head_ = next;
        return head;
    }
    if (head != tail_.load(std::memory_order_acquire)) return nullptr;  // a push is mid-way
    // Re-insert the stub so the last real node can be handed out.
    stub_.next.store(nullptr, std::memory_order_relaxed);
    Node* previous = tail_.exchange(&stub_, std::memory_order_acq_rel);
    previous->next.store(&stub_, std::memory_order_release);
    next = head->next.load(std::memory_order_acquire);
    if (next != nullptr) {
        head_ = next;
        return head;
    }
    return nullptr;
}

std::size_t TaskQueue::drain(ThreadContext& context) {
    std::size_t ran = 0;
    Node* batch[kBatch];
    for (;;) {
        std::size_t count = 0;
        while (count < kBatch) {
            Node* node = pop();
            if (node == nullptr) break;
            batch[count++] = node;
        }
        if (count == 0) return ran;
        if (count > 1) {
            prefetch_stage(batch, count, 0, context);
            prefetch_stage(batch, count, 1, context);
        }
        for (std::size_t i = 0; i < count; ++i) {
            ThreadTask task = std::move(batch[i]->task);
            delete batch[i];
            run_one(task, context);
        }
        ran += count;
    }
}

void TaskQueue::prefetch_stage(Node* const* batch, std::size_t count, int stage, ThreadContext& context) {
    for (std::size_t i = 0; i < count; ++i) {
        if (batch[i]->prefetch != nullptr) batch[i]->prefetch(batch[i]->task, context, stage);
    }
}

void TaskQueue::run_one(ThreadTask& task, ThreadContext& context) {
    try {
        task(context);
    } catch (const std::exception& e) {
        // Out of memory and the like: that one operation fails, the partition thread goes on.
        logger.error(std::string("operation failed: ") + e.what());
    }
}

bool TaskQueue::prepare_to_sleep() {
    sleeping_.store(1, std::memory_order_seq_cst);
    // Re-check after announcing sleep: a push that raced with us is seen here.
    Node* head = head_;
    // Only the stub at the head with nothing behind it means empty; a real node at the head is
    // an unfinished push that drain() will hand out shortly.
    const bool empty = head == &stub_ && stub_.next.load(std::memory_order_acquire) == nullptr &&
                       tail_.load(std::memory_order_seq_cst) == &stub_;
    if (!empty) sleeping_.store(0, std::memory_order_relaxed);
    return empty;
}

void TaskQueue::sleep(std::chrono::milliseconds timeout) {
    // A push (or wake()) since prepare_to_sleep() reset the word: the futex returns at once.
    futex_wait(&sleeping_, 1, timeout);
    sleeping_.store(0, std::memory_order_relaxed);
}

}  // namespace shoal::partition
