// TaskQueue: many producers, one consumer; nothing lost, per-producer order kept, and a
// sleeping consumer wakes for a push.
#include "partition/task_queue.h"

#include <gtest/gtest.h>

#include <sched.h>

#include <atomic>
#include <string>
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

// What the prefetches of a batch saw, in the order they ran, beside the tasks' runs.
struct PrefetchLog {
    std::vector<std::string> events;
};
PrefetchLog* g_prefetch_log = nullptr;

struct LoggedTask {
    int id;
    void operator()(ThreadContext&) const { g_prefetch_log->events.push_back("run " + std::to_string(id)); }
    static void prefetch(ThreadTask& task, ThreadContext&, int stage) {
        g_prefetch_log->events.push_back("stage" + std::to_string(stage) + " " +
                                         std::to_string(task.target<LoggedTask>()->id));
    }
};

TEST(TaskQueue, ABatchRunsBothPrefetchStagesOfEveryTaskBeforeItsTasksInOrder) {
    PrefetchLog log;
    g_prefetch_log = &log;
    TaskQueue queue;
    ThreadContext context(0, 1);
    queue.push(LoggedTask{0}, true, &LoggedTask::prefetch);
    queue.push([&](ThreadContext&) { log.events.push_back("run plain"); });  // no prefetch
    queue.push(LoggedTask{1}, true, &LoggedTask::prefetch);
    EXPECT_EQ(queue.drain(context), 3u);
    const std::vector<std::string> expected{"stage0 0", "stage0 1", "stage1 0", "stage1 1",
                                            "run 0", "run plain", "run 1"};
    EXPECT_EQ(log.events, expected);

    // A lone task has nothing to overlap with: no prefetch.
    log.events.clear();
    queue.push(LoggedTask{2}, true, &LoggedTask::prefetch);
    EXPECT_EQ(queue.drain(context), 1u);
    EXPECT_EQ(log.events, std::vector<std::string>{"run 2"});
    g_prefetch_log = nullptr;
}

TEST(TaskQueue, MoreTasksThanABatchRunInOrderBatchByBatch) {
    PrefetchLog log;
    g_prefetch_log = &log;
    TaskQueue queue;
    ThreadContext context(0, 1);
    const int count = static_cast<int>(TaskQueue::kBatch) * 2 + 3;
    for (int i = 0; i < count; ++i) queue.push(LoggedTask{i}, true, &LoggedTask::prefetch);
    EXPECT_EQ(queue.drain(context), static_cast<std::size_t>(count));
    std::vector<int> runs;
    std::size_t prefetches_before_first_run = 0;
    for (const auto& e : log.events) {
        if (e.rfind("run ", 0) == 0) {
            runs.push_back(std::stoi(e.substr(4)));
        } else if (runs.empty()) {
            ++prefetches_before_first_run;
        }
    }
    std::vector<int> expected(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) expected[static_cast<std::size_t>(i)] = i;
    EXPECT_EQ(runs, expected);
    EXPECT_EQ(prefetches_before_first_run, 2 * TaskQueue::kBatch);  // one batch's two stages
    EXPECT_EQ(log.events.size(), static_cast<std::size_t>(count) * 3);  // 3 last: a batch of 3
    g_prefetch_log = nullptr;
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
