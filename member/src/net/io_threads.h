// IoThreads: one asio io_context per IO thread, each run by exactly one thread.
//
// A connection lives on one context for its whole life, so its handlers never run concurrently
// and need no strand. Asio stays out of this header; users include <boost/asio/io_context.hpp>.
#pragma once

#include <atomic>

#include <memory>
#include <thread>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace shoal::net {

class IoThreads {
public:
    explicit IoThreads(int thread_count);
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;
    ~IoThreads();

    void start();
    void stop();  // stops every context and joins; idempotent

    int size() const { return static_cast<int>(contexts_.size()); }
    boost::asio::io_context& context(int index);
    // Round-robin choice for a new connection.
    boost::asio::io_context& next_context();

private:
    struct Guarded;
    std::vector<std::unique_ptr<Guarded>> contexts_;
    std::vector<std::thread> threads_;
    std::atomic<unsigned> next_{0};  // the acceptor and outgoing dials both pick contexts
};

}  // namespace shoal::net
