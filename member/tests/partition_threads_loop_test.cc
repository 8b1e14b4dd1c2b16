// PartitionThreads::submit_from_loop: an IO thread runs key operations itself while the
// partition's thread is idle; nothing runs twice or concurrently, order per submitter is kept,
// and without the setting (or off an IO thread) everything stays on the partition threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "partition/partition_threads.h"
#include "test_support.h"
#include "util/loop_thread.h"

namespace shoal::partition {
namespace {

using namespace std::chrono_literals;

// A thread running a minimal event loop, as an IO thread does: work posted to it runs on it,
// in order, and it installs itself as the thread's util::this_thread_loop.
class FakeLoop {
public:
    FakeLoop() : thread_([this] { run(); }) {}
    ~FakeLoop() {
        post({});  // an empty function ends the loop
        thread_.join();
    }
    void post(std::function<void()> work) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(work));
        ready_.notify_one();
    }
    std::thread::id id() const { return thread_.get_id(); }

private:
    void run() {
        util::set_this_thread_loop([this](std::function<void()> work) { post(std::move(work)); });
        while (true) {
            std::function<void()> work;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return !queue_.empty(); });
                work = std::move(queue_.front());
                queue_.pop_front();
            }
            if (!work) break;
            work();
        }
        util::set_this_thread_loop(nullptr);
    }
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> queue_;
    std::thread thread_;
};

// Submits `count` tasks to partition 0 from `loop`'s thread; returns the threads they ran on.
std::vector<std::thread::id> run_batch_from(FakeLoop& loop, PartitionThreads& threads, int count) {
    auto ran_on = std::make_shared<std::vector<std::thread::id>>();
    std::atomic<int> done{0};
    loop.post([&, ran_on] {
        for (int i = 0; i < count; ++i) {
            threads.submit_from_loop(0, [&, ran_on](ThreadContext&) {
                ran_on->push_back(std::this_thread::get_id());  // only the runner touches it
                done.fetch_add(1);
            });
        }
    });
    EXPECT_TRUE(test::eventually([&] { return done.load() == count; }, 10s));
    return *ran_on;
}

TEST(PartitionThreadsOnLoop, AnIdlePartitionThreadIsNotWokenTheIoThreadRunsTheBatch) {
    PartitionThreads threads(4, 2, nullptr);
    threads.set_operations_on_io_threads(true);
    threads.start();
    FakeLoop loop;
    // The partition thread takes the runner for its expiry sweep every 100 ms; a batch that
    // meets one runs there instead, so look for a batch that ran wholly on the loop thread.
    bool one_on_loop = false;
    for (int attempt = 0; attempt < 20 && !one_on_loop; ++attempt) {
        const auto ran_on = run_batch_from(loop, threads, 16);
        one_on_loop = std::all_of(ran_on.begin(), ran_on.end(), [&](auto id) { return id == loop.id(); });
    }
    EXPECT_TRUE(one_on_loop);
    threads.stop();
}

TEST(PartitionThreadsOnLoop, OffByDefaultAndOffAnIoThreadTasksRunOnThePartitionThread) {
    PartitionThreads threads(4, 2, nullptr);
    threads.start();
    FakeLoop loop;
    for (auto id : run_batch_from(loop, threads, 16)) EXPECT_NE(id, loop.id()) << "the setting is off";
    threads.stop();

    PartitionThreads on(4, 2, nullptr);
    on.set_operations_on_io_threads(true);
    on.start();
    std::atomic<int> done{0};
    std::atomic<int> on_caller{0};
    const auto caller = std::this_thread::get_id();  // the test's thread runs no loop
    for (int i = 0; i < 16; ++i) {
        on.submit_from_loop(1, [&](ThreadContext&) {
            if (std::this_thread::get_id() == caller) on_caller.fetch_add(1);
            done.fetch_add(1);
        });
    }
    EXPECT_TRUE(test::eventually([&] { return done.load() == 16; }, 10s));
    EXPECT_EQ(on_caller.load(), 0);
    on.stop();
}

// Two IO threads and a plain thread feed the same partitions while the partition threads work
// too: every task runs once, one at a time per partition thread (a plain counter per partition
// thread, checked by TSan in the concurrency run), in each submitter's order.
TEST(PartitionThreadsOnLoop, IoThreadsAndPartitionThreadsNeverRunOneQueueAtOnce) {
    PartitionThreads threads(8, 2, nullptr);
    threads.set_operations_on_io_threads(true);
    threads.start();
    constexpr int kSubmitters = 3;
    constexpr int kPerSubmitter = 20'000;
    std::vector<long> ran_per_thread(2, 0);                                // runner-only
    std::vector<std::vector<int>> last(kSubmitters, std::vector<int>(8, -1));  // runner-only per partition
    std::atomic<int> out_of_order{0};
    std::atomic<int> done{0};
    auto submit_all = [&](int submitter) {
        for (int i = 0; i < kPerSubmitter; ++i) {
            const int p = i % 8;
            threads.submit_from_loop(p, [&, submitter, p, i](ThreadContext& context) {
                ++ran_per_thread[static_cast<std::size_t>(context.index())];
                int& previous = last[static_cast<std::size_t>(submitter)][static_cast<std::size_t>(p)];
                if (previous >= i) out_of_order.fetch_add(1);
                previous = i;
                done.fetch_add(1);
            });
        }
    };
    {
        FakeLoop first, second;
        first.post([&] { submit_all(0); });
        second.post([&] { submit_all(1); });
        std::thread plain([&] { submit_all(2); });
        plain.join();
        EXPECT_TRUE(test::eventually([&] { return done.load() == kSubmitters * kPerSubmitter; }, 60s));
    }
    threads.stop();
    EXPECT_EQ(done.load(), kSubmitters * kPerSubmitter);
    EXPECT_EQ(out_of_order.load(), 0);
    EXPECT_EQ(ran_per_thread[0] + ran_per_thread[1], kSubmitters * kPerSubmitter);
}

}  // namespace
}  // namespace shoal::partition
