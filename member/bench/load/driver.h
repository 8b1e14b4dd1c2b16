// Driver: one wire protocol behind the load generator. A driver makes connections; a connection
// takes GETs and SETs tagged by the runner and reports each answer with its tag.
//
// Requests given from inside a handler callback are sent when the connection's read handler
// returns (one write per batch of answers); requests given from elsewhere (an open-loop timer)
// need flush(). A connection runs on the io_context it was made with, single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "options.h"

namespace boost::asio {
class io_context;
}

namespace shoal::bench {

enum class Outcome : std::uint8_t { kOk, kMiss, kError };

class Connection {
public:
    struct Handler {
        virtual void on_ready(Connection& connection) = 0;
        virtual void on_answer(Connection& connection, std::uint32_t tag, Outcome outcome) = 0;
        virtual void on_failed(Connection& connection, const std::string& why) = 0;

    protected:
        ~Handler() = default;
    };

    virtual ~Connection() = default;
    // Connects (and authenticates); then Handler::on_ready.
    virtual void start() = 0;
    virtual void get(std::string_view key, std::uint32_t tag) = 0;
    virtual void set(std::string_view key, std::string_view value, std::uint32_t tag) = 0;
    virtual void flush() = 0;
    int index() const { return index_; }

protected:
    explicit Connection(int index) : index_(index) {}

private:
    int index_;
};

class Driver {
public:
    virtual ~Driver() = default;
    virtual std::string name() const = 0;
    virtual std::unique_ptr<Connection> connect(boost::asio::io_context& io, Connection::Handler& handler,
                                                int index) = 0;
};

// Largest tag a connection must carry (tags are 0..kMaxTag).
inline constexpr std::uint32_t kMaxTag = 0xFFFE;

std::unique_ptr<Driver> make_resp_driver(const Options& options);
std::unique_ptr<Driver> make_hazelcast_driver(const Options& options);

}  // namespace shoal::bench
