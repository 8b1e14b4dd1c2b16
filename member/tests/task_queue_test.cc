// TaskQueue: many producers, one consumer; nothing lost, per-producer order kept, and a
// sleeping consumer wakes for a push.
#include "partition/task_queue.h"

#include <gtest/gtest.h>

#include <sched.h>

#include <atomic>
#include <thread>
#include <vector>

#include "partition/partition_threads.h"

namespace shoal::partition {
namespace {

TEST(TaskQueue, ManyProducersOneConsumerLoseNothingAndKeepOrder) {
    TaskQueue queue;
    ThreadContext context(0, 1);
    constexpr int kProducers = 4;
    constexpr int kPerProducer = 50'000;
    std::vector<int> last_seen(kProducers, -1);
    std::atomic<bool> order_ok{true};
    std::atomic<int> done_producers{0};
    long ran = 0;

    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < kPerProducer; ++i) {
                queue.push([&, p, i](ThreadContext&) {
                    if (last_seen[p] != i - 1) order_ok = false;
                    last_seen[p] = i;
                });
            }
            done_producers.fetch_add(1);
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ran < long{kProducers} * kPerProducer && std::chrono::steady_clock::now() < deadline) {
        const auto n = queue.drain(context);
        ran += static_cast<long>(n);
        if (n == 0) queue.wait(std::chrono::milliseconds(1));
    }
    for (auto& t : producers) t.join();
    EXPECT_EQ(ran, long{kProducers} * kPerProducer);
    EXPECT_TRUE(order_ok.load());
}

TEST(TaskQueue, SleepingConsumerWakesOnPush) {
    TaskQueue queue;
    ThreadContext context(0, 1);
    std::atomic<bool> ran{false};
    std::thread consumer([&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!ran && std::chrono::steady_clock::now() < deadline) {
            if (queue.drain(context) == 0) queue.wait(std::chrono::seconds(5));
        }
    });
    std::this_thread::yield();
    const auto pushed_at = std::chrono::steady_clock::now();
    queue.push([&](ThreadContext&) { ran = true; });
    consumer.join();
    EXPECT_TRUE(ran.load());
    // Woken by the push, not by the 5 s timeout.
    EXPECT_LT(std::chrono::steady_clock::now() - pushed_at, std::chrono::seconds(4));
}

TEST(PartitionThreads, EachPartitionRunsOnItsOwnerThread) {
    PartitionThreads threads(271, 3, nullptr);
    threads.start();
    std::atomic<int> wrong{0};
    std::atomic<int> done{0};
    for (int p = 0; p < 271; ++p) {
        threads.submit(p, [&, p](ThreadContext& context) {
            if (!context.owns(p) || context.store(p).partition_id() != p) wrong.fetch_add(1);
            done.fetch_add(1);
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (done < 271 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    threads.stop();
    EXPECT_EQ(done.load(), 271);
    EXPECT_EQ(wrong.load(), 0);
}

TEST(PartitionThreads, StopRunsQueuedTasks) {
    auto threads = std::make_unique<PartitionThreads>(10, 2, nullptr);
    threads->start();
    std::atomic<int> ran{0};
    for (int i = 0; i < 1000; ++i) threads->submit(i % 10, [&](ThreadContext&) { ran.fetch_add(1); });
    threads.reset();  // stop + destroy
    EXPECT_EQ(ran.load(), 1000);
}

// A woken partition thread must not preempt the IO thread that fed it (batches, not a context
// switch per request): partition threads run SCHED_BATCH.
TEST(PartitionThreads, RunAsBatchThreads) {
    PartitionThreads threads(4, 2, nullptr);
    threads.start();
    std::atomic<int> policies{0};
    std::atomic<int> done{0};
    for (int p = 0; p < 2; ++p) {
        threads.submit(p, [&](ThreadContext&) {
            if (sched_getscheduler(0) == SCHED_BATCH) policies.fetch_add(1);
            done.fetch_add(1);
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (done < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    threads.stop();
    EXPECT_EQ(done.load(), 2);
    EXPECT_EQ(policies.load(), 2);
}

}  // namespace
}  // namespace shoal::partition
