// Scheduler: runs small tasks after a delay on one background thread (retries, heartbeats,
// periodic checks). Tasks must be short and must not block: they post real work elsewhere.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

namespace shoal::util {

class Scheduler {
public:
    explicit Scheduler(std::string thread_name);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void schedule(std::chrono::milliseconds delay, std::function<void()> task);
    // Stops the thread; tasks not yet due are dropped. Idempotent.
    void stop();

private:
    struct Due {
        std::chrono::steady_clock::time_point at;
        std::uint64_t sequence;  // keeps tasks due at the same moment in submission order
        std::function<void()> task;
        bool operator>(const Due& other) const {
            return at != other.at ? at > other.at : sequence > other.sequence;
        }
    };
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
    std::uint64_t next_sequence_ = 0;
    bool stopping_ = false;
    std::string thread_name_;
    std::thread thread_;
};

}  // namespace shoal::util
