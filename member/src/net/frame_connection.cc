#include "net/frame_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <mutex>

#include "net/frame_connection_asio.h"
#include "net/io_threads.h"

namespace shoal::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxWriteBatch = 1u << 20;  // bytes gathered into one write

class AsioFrameConnection : public FrameConnection, public std::enable_shared_from_this<AsioFrameConnection> {
public:
    AsioFrameConnection(tcp::socket socket, std::string already_read)
        : socket_(std::move(socket)), buffer_(std::move(already_read)) {
        boost::system::error_code ec;
        const auto endpoint = socket_.remote_endpoint(ec);
        peer_ = ec ? "unknown" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
        socket_.set_option(tcp::no_delay(true), ec);
    }

    void start(FrameHandlers handlers) override {
        handlers_ = std::move(handlers);
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->parse_and_read(); });
    }

    void send(std::string frame) override {
        std::string framed;
        framed.reserve(frame.size() + 4);
        const auto n = static_cast<std::uint32_t>(frame.size());
        for (int shift = 24; shift >= 0; shift -= 8) framed.push_back(static_cast<char>((n >> shift) & 0xff));
        framed.append(frame);
        bool start_writing = false;
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            outbox_.push_back(std::move(framed));
            start_writing = !writing_;
            writing_ = true;
        }
        if (start_writing) asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_next(); });
    }

    void close() override {
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->fail("closed locally"); });
    }

    std::string peer() const override { return peer_; }

private:
    // Delivers every whole frame in the buffer, then reads more.
    // The consumed bytes are dropped once per read, not per frame: a 64 KiB read of small
    // replication frames would otherwise move the rest of the buffer hundreds of times.
    void parse_and_read() {
        std::size_t at = 0;
        while (!closed_ && buffer_.size() - at >= 4) {
            std::uint32_t n = 0;
            for (std::size_t i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(buffer_[at + i]);
            if (n > kMaxFrameBytes) {
                fail("frame of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(kMaxFrameBytes));
                return;
            }
            if (buffer_.size() - at < 4 + static_cast<std::size_t>(n)) break;
            std::string frame = buffer_.substr(at + 4, n);
            at += 4 + static_cast<std::size_t>(n);
            if (handlers_.on_frame) handlers_.on_frame(std::move(frame));
        }
        if (closed_) return;
        buffer_.erase(0, at);
        socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            if (ec) {
                self->fail(ec == asio::error::eof ? "the peer closed the connection" : ec.message());
                return;
            }
            self->buffer_.append(self->chunk_.data(), n);
            self->parse_and_read();
        });
    }

    // Writes every queued frame (up to kMaxWriteBatch bytes) in one write: under load the
    // partition threads queue a backup per operation, and a send per frame cost more than the
    // operations themselves.
    void write_next() {
        {
            std::lock_guard lock(mutex_);
            if (closed_ || outbox_.empty()) {
                writing_ = false;
                return;
            }
            batch_.clear();
            while (!outbox_.empty() && (batch_.empty() || batch_.size() + outbox_.front().size() <= kMaxWriteBatch)) {
                batch_.append(outbox_.front());
                outbox_.pop_front();
            }
        }
        asio::async_write(socket_, asio::buffer(batch_), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
            if (ec) {
                self->fail(ec.message());
                return;
            }
            self->write_next();
        });
    }

    void fail(const std::string& reason) {
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            closed_ = true;
            outbox_.clear();
        }
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        if (handlers_.on_close) handlers_.on_close(reason);
        handlers_ = {};  // breaks cycles through captured owners
    }

    tcp::socket socket_;
    std::string buffer_;
    std::array<char, 64 * 1024> chunk_{};
    FrameHandlers handlers_;
    std::string peer_;
    std::mutex mutex_;  // guards outbox_, writing_, closed_
    std::deque<std::string> outbox_;
    std::string batch_;  // the frames being written; IO thread only
    bool writing_ = false;
    bool closed_ = false;
};

}  // namespace

FrameConnectionPtr adopt_frames(tcp::socket socket, std::string already_read) {
    return std::make_shared<AsioFrameConnection>(std::move(socket), std::move(already_read));
}

void connect_frames(IoThreads& io, const std::string& host, int port, std::string preamble,
                    std::chrono::milliseconds timeout,
                    std::function<void(FrameConnectionPtr, std::string error)> done) {
    struct Dial {
        Dial(asio::io_context& context) : socket(context), resolver(context), timer(context) {}
        tcp::socket socket;
        tcp::resolver resolver;
        asio::steady_timer timer;
        std::string preamble;
        std::function<void(FrameConnectionPtr, std::string)> done;
        bool finished = false;
        void finish(FrameConnectionPtr c, std::string error) {
            if (finished) return;
            finished = true;
            timer.cancel();
            done(std::move(c), std::move(error));
        }
    };
    auto dial = std::make_shared<Dial>(io.next_context());
    dial->preamble = std::move(preamble);
    dial->done = std::move(done);
    const std::string where = host + ":" + std::to_string(port);
    asio::post(dial->socket.get_executor(), [dial, host, port, timeout, where] {
        dial->timer.expires_after(timeout);
        dial->timer.async_wait([dial, where](boost::system::error_code ec) {
            if (ec) return;
            boost::system::error_code ignored;
            dial->socket.close(ignored);
            dial->resolver.cancel();
            dial->finish(nullptr, "connecting to " + where + " timed out");
        });
        dial->resolver.async_resolve(host, std::to_string(port), [dial, where](boost::system::error_code ec, tcp::resolver::results_type results) {
            if (ec) {
                dial->finish(nullptr, "cannot resolve " + where + ": " + ec.message());
                return;
            }
            asio::async_connect(dial->socket, results, [dial, where](boost::system::error_code ec, const tcp::endpoint&) {
                if (ec) {
                    dial->finish(nullptr, "cannot connect to " + where + ": " + ec.message());
                    return;
                }
                asio::async_write(dial->socket, asio::buffer(dial->preamble), [dial, where](boost::system::error_code ec, std::size_t) {
                    if (ec) {
                        dial->finish(nullptr, "cannot write to " + where + ": " + ec.message());
                        return;
                    }
                    if (dial->finished) return;
                    dial->finish(adopt_frames(std::move(dial->socket), {}), {});
                });
            });
        });
    });
}

}  // namespace shoal::net
