#include "util/scheduler.h"

#include "util/log.h"

namespace shoal::util {
namespace {
const Logger logger("shoal.scheduler");
}

Scheduler::Scheduler(std::string thread_name) : thread_name_(std::move(thread_name)) {
    thread_ = std::thread([this] { run(); });
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        due_.push(Due{std::chrono::steady_clock::now() + delay, next_sequence_++, std::move(task)});
    }
    wake_.notify_one();
}

void Scheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Scheduler::run() {
    set_thread_name(thread_name_);
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (due_.empty()) {
            wake_.wait(lock);
            continue;
        }
        const auto at = due_.top().at;
        if (std::chrono::steady_clock::now() < at) {
            wake_.wait_until(lock, at);
            continue;
        }
        auto task = std::move(const_cast<Due&>(due_.top()).task);
        due_.pop();
        lock.unlock();
        try {
            task();
        } catch (const std::exception& e) {
            logger.error(std::string("scheduled task failed: ") + e.what());
        }
        lock.lock();
    }
}

}  // namespace shoal::util
