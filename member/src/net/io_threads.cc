#include "net/io_threads.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <memory>
#include <vector>
#include <string>

#include "util/log.h"
#include "util/loop_thread.h"

namespace shoal::net {

struct IoThreads::Guarded {
    boost::asio::io_context context{1};  // concurrency hint 1: one thread runs it
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{context.get_executor()};
};

namespace {

const util::Logger logger("shoal.net");

// A handler that throws must not take the IO thread (and every connection on it) down: log it
// and keep running. The connection whose handler threw is dropped with its state.
void run_context(boost::asio::io_context& context) {
    while (true) {
        try {
            context.run();
            return;
        } catch (const std::exception& e) {
            logger.error(std::string("IO handler failed: ") + e.what());
        }
    }
}

}  // namespace

IoThreads::IoThreads(int thread_count) {
    if (thread_count < 1) thread_count = 1;
    for (int i = 0; i < thread_count; ++i) contexts_.push_back(std::make_unique<Guarded>());
}

IoThreads::~IoThreads() { stop(); }

void IoThreads::start() {
    for (std::size_t i = 0; i < contexts_.size(); ++i) {
        threads_.emplace_back([this, i] {
            util::set_thread_name("io-" + std::to_string(i));
            auto& context = contexts_[i]->context;
            util::set_this_thread_loop([&context](std::function<void()> work) { boost::asio::post(context, std::move(work)); });
            run_context(context);
            util::set_this_thread_loop(nullptr);
        });
    }
}

void IoThreads::stop() {
    // Let work already queued run first (connections closed just before, e.g. by the
    // messenger, release what their handlers hold), then abandon whatever is still pending.
    if (!threads_.empty()) {
        std::vector<std::future<void>> drained;
        for (auto& c : contexts_) {
            auto done = std::make_shared<std::promise<void>>();
            drained.push_back(done->get_future());
            boost::asio::post(c->context, [done] { done->set_value(); });
        }
        for (auto& d : drained) d.wait_for(std::chrono::seconds(2));
    }
    for (auto& c : contexts_) {
        c->guard.reset();
        c->context.stop();
    }
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

boost::asio::io_context& IoThreads::context(int index) {
    return contexts_[static_cast<std::size_t>(index)]->context;
}

boost::asio::io_context& IoThreads::next_context() {
    return contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()]->context;
}

}  // namespace shoal::net
