// The RESP driver: a small pipelined Redis client. GET and SET as RESP arrays; replies come back
// in request order, so tags wait in a FIFO. Replies understood: +simple, -error, $bulk / $-1.
#include <boost/asio/io_context.hpp>
#include <deque>

#include "driver.h"
#include "socket_link.h"

namespace shoal::bench {
namespace {

void append_bulk(std::string& out, std::string_view s) {
    out += '$';
    out += std::to_string(s.size());
    out += "\r\n";
    out += s;
    out += "\r\n";
}

// Parses one RESP reply at the front of `in`; returns its length, or 0 when incomplete.
// `outcome` is kMiss for a null bulk, kError for an error reply or anything unexpected.
std::size_t parse_reply(std::string_view in, Outcome& outcome) {
    const auto line_end = in.find("\r\n");
    if (line_end == std::string_view::npos) return 0;
    switch (in[0]) {
        case '+':
        case ':':
            outcome = Outcome::kOk;
            return line_end + 2;
        case '-':
            outcome = Outcome::kError;
            return line_end + 2;
        case '$': {
            long length = 0;
            bool negative = false;
            for (std::size_t i = 1; i < line_end; ++i) {
                if (in[i] == '-') negative = true;
                else length = length * 10 + (in[i] - '0');
            }
            if (negative) {
                outcome = Outcome::kMiss;
                return line_end + 2;
            }
            const std::size_t total = line_end + 2 + static_cast<std::size_t>(length) + 2;
            if (in.size() < total) return 0;
            outcome = Outcome::kOk;
            return total;
        }
        default:
            outcome = Outcome::kError;
            return line_end + 2;
    }
}

class RespConnection final : public Connection {
public:
    RespConnection(boost::asio::io_context& io, const Endpoint& endpoint, Handler& handler, int index)
        : Connection(index), link_(io, endpoint.host, endpoint.port), handler_(handler) {}

    void start() override {
        link_.start([this] { handler_.on_ready(*this); },
                    [this](std::string_view bytes) { on_bytes(bytes); },
                    [this](const std::string& why) { handler_.on_failed(*this, why); });
    }
    void get(std::string_view key, std::uint32_t tag) override {
        auto& out = link_.out();
        out += "*2\r\n$3\r\nGET\r\n";
        append_bulk(out, key);
        tags_.push_back(tag);
    }
    void set(std::string_view key, std::string_view value, std::uint32_t tag) override {
        auto& out = link_.out();
        out += "*3\r\n$3\r\nSET\r\n";
        append_bulk(out, key);
        append_bulk(out, value);
        tags_.push_back(tag);
    }
    void flush() override { link_.flush(); }

private:
    void on_bytes(std::string_view bytes) {
        std::string_view in = bytes;
        if (!partial_.empty()) {
            partial_.append(bytes);
            in = partial_;
        }
        std::size_t used = 0;
        for (;;) {
            Outcome outcome = Outcome::kOk;
            const std::size_t n = in.size() > used ? parse_reply(in.substr(used), outcome) : 0;
            if (n == 0) break;
            used += n;
            if (tags_.empty()) return handler_.on_failed(*this, "a reply nobody asked for");
            const std::uint32_t tag = tags_.front();
            tags_.pop_front();
            handler_.on_answer(*this, tag, outcome);
        }
        std::string rest(in.substr(used));
        partial_.swap(rest);
    }

    SocketLink link_;
    Handler& handler_;
    std::deque<std::uint32_t> tags_;
    std::string partial_;
};

class RespDriver final : public Driver {
public:
    explicit RespDriver(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
    std::string name() const override { return "resp"; }
    std::unique_ptr<Connection> connect(boost::asio::io_context& io, Connection::Handler& handler, int index) override {
        return std::make_unique<RespConnection>(io, endpoint_, handler, index);
    }

private:
    Endpoint endpoint_;
};

}  // namespace

std::unique_ptr<Driver> make_resp_driver(const Options& options) {
    return std::make_unique<RespDriver>(options.endpoints.front());
}

}  // namespace shoal::bench
