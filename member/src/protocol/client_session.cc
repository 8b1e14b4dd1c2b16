#include "protocol/client_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>

#include "protocol/client_connection.h"
#include "protocol/protocol_service.h"
#include "util/log.h"

namespace shoal::protocol {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

const util::Logger logger("shoal.client");

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kMaxWriteBatch = 1u << 20;  // bytes gathered into one write
constexpr std::chrono::milliseconds kWatchdogPeriod{1000};
std::atomic<std::uint64_t> next_connection_id{1};

class ClientSession : public ClientConnection, public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(tcp::socket socket, std::shared_ptr<ProtocolService> service, const SessionLimits& limits,
                  std::shared_ptr<SessionCounters> counters)
        : socket_(std::move(socket)),
          watchdog_(socket_.get_executor()),
          service_(std::move(service)),
          limits_(limits),
          counters_(std::move(counters)),
          reader_(limits.frames),
          id_(next_connection_id.fetch_add(1, std::memory_order_relaxed)) {
        boost::system::error_code ec;
        const auto endpoint = socket_.remote_endpoint(ec);
        peer_ = ec ? "a departed peer" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
        counters_->open.fetch_add(1, std::memory_order_relaxed);
        counters_->accepted.fetch_add(1, std::memory_order_relaxed);
    }
    ~ClientSession() override { counters_->open.fetch_sub(1, std::memory_order_relaxed); }

    void run() {
        started_ = last_read_ = Clock::now();
        arm_watchdog();
        do_read();
    }

    // ---- ClientConnection (any thread) ----
    void respond(ClientMessage response) override {
        asio::post(socket_.get_executor(), [self = shared_from_this(), bytes = to_wire(response)]() mutable {
            if (self->in_flight_ > 0) --self->in_flight_;
            self->enqueue(std::move(bytes));
            self->maybe_resume_reading();
        });
    }
    void push(ClientMessage event) override {
        asio::post(socket_.get_executor(), [self = shared_from_this(), bytes = to_wire(event)]() mutable {
            self->enqueue(std::move(bytes));
        });
    }
    void close_after_flush(std::string reason) override {
        asio::post(socket_.get_executor(), [self = shared_from_this(), reason = std::move(reason)]() mutable {
            self->closing_reason_ = std::move(reason);
            if (!self->writing_ && self->outbox_.empty()) self->close(self->closing_reason_);
        });
    }
    const std::string& peer() const override { return peer_; }
    std::uint64_t id() const override { return id_; }

private:
    // ---- reading ----
    void do_read() {
        if (closed_) return;
        socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](boost::system::error_code ec,
                                                                                  std::size_t n) {
            self->on_read(ec, n);
        });
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (closed_) return;
        if (ec) return close(ec == asio::error::eof ? "the client closed the connection" : ec.message());
        last_read_ = Clock::now();
        std::vector<ClientMessage> messages;
        const bool ok = reader_.feed(std::string_view(chunk_.data(), n), messages);
        for (auto& message : messages) {
            if (closed_) return;
            dispatch(message);
        }
        if (!ok) {
            counters_->framing_errors.fetch_add(1, std::memory_order_relaxed);
            logger.warn("closing client connection from " + peer_ + ": " + reader_.error());
            return close(reader_.error());
        }
        if (!closing_reason_.empty()) return;  // a refused client: no more requests
        if (must_pause()) {
            paused_ = true;
            return;
        }
        do_read();
    }

    void dispatch(const ClientMessage& message) {
        if (!message.has_header(kPartitionIdOffset)) {
            // Without a correlation id there is no one to answer.
            logger.warn("closing client connection from " + peer_ + ": a message whose initial frame (" +
                        std::to_string(message.frames[0].content.size()) + " bytes) lacks a correlation id");
            counters_->framing_errors.fetch_add(1, std::memory_order_relaxed);
            return close("message without a correlation id");
        }
        ++in_flight_;
        service_->handle(shared_from_this(), endpoint_, message);
    }

    bool must_pause() const { return in_flight_ >= limits_.max_in_flight || queued_bytes_ >= limits_.max_queued_bytes; }

    void maybe_resume_reading() {
        if (!paused_ || closed_ || must_pause()) return;
        paused_ = false;
        do_read();
    }

    // ---- writing ----
    void enqueue(std::string bytes) {
        if (closed_) return;
        // Pausing the reads bounds responses; events (entry listeners) keep coming, so a client
        // that does not read them is dropped rather than allowed to fill our memory.
        if (queued_bytes_ + bytes.size() > 2 * limits_.max_queued_bytes) {
            logger.warn("closing client connection from " + peer_ + ": it does not read; " +
                        std::to_string(queued_bytes_) + " bytes of answers and events wait for it");
            return close("the client does not read");
        }
        queued_bytes_ += bytes.size();
        outbox_.push_back(std::move(bytes));
        schedule_write();
    }

    // The first answer of a burst is not written at once: the write waits behind what is
    // already queued on this IO thread (the other answers the partition threads posted
    // meanwhile), so a pipelined burst leaves in one write instead of one for its first answer
    // and another for the rest.
    void schedule_write() {
        if (writing_ || write_scheduled_) return;
        write_scheduled_ = true;
        asio::post(socket_.get_executor(), [self = shared_from_this()] {
            self->write_scheduled_ = false;
            if (!self->writing_ && !self->closed_) self->write_next();
        });
    }

    void write_next() {
        if (outbox_.empty()) {
            writing_ = false;
            if (!closing_reason_.empty()) close(closing_reason_);
            return;
        }
        writing_ = true;
        batch_.clear();
        while (!outbox_.empty() && (batch_.empty() || batch_.size() + outbox_.front().size() <= kMaxWriteBatch)) {
            batch_.append(outbox_.front());
            outbox_.pop_front();
        }
        asio::async_write(socket_, asio::buffer(batch_), [self = shared_from_this()](boost::system::error_code ec,
                                                                                      std::size_t n) {
            if (self->closed_) return;
            if (ec) return self->close("write failed: " + ec.message());
            self->queued_bytes_ -= n;
            self->write_next();
            self->maybe_resume_reading();
        });
    }

    // ---- deadlines ----
    void arm_watchdog() {
        watchdog_.expires_after(kWatchdogPeriod);
        watchdog_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec || self->closed_) return;
            const auto now = Clock::now();
            if (!self->endpoint_.authenticated && now - self->started_ > self->limits_.auth_timeout) {
                logger.info("closing client connection from " + self->peer_ + ": no authentication within " +
                            std::to_string(self->limits_.auth_timeout.count()) + " ms");
                return self->close("authentication timeout");
            }
            if (now - self->last_read_ > self->limits_.idle_timeout) {
                logger.info("closing client connection from " + self->peer_ + ": silent for " +
                            std::to_string(self->limits_.idle_timeout.count()) + " ms");
                return self->close("idle timeout");
            }
            self->arm_watchdog();
        });
    }

    void close(const std::string& reason) {
        if (closed_) return;
        closed_ = true;
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        watchdog_.cancel();
        outbox_.clear();
        service_->connection_closed(id_);
        logger.debug("client connection from " + peer_ + " closed: " + reason);
    }

    tcp::socket socket_;
    asio::steady_timer watchdog_;
    std::shared_ptr<ProtocolService> service_;
    SessionLimits limits_;
    std::shared_ptr<SessionCounters> counters_;
    FrameReader reader_;
    const std::uint64_t id_;
    std::string peer_;
    ClientEndpoint endpoint_;
    std::array<char, kReadChunk> chunk_{};
    std::deque<std::string> outbox_;
    std::string batch_;
    std::size_t queued_bytes_ = 0;  // outbox plus the batch being written
    std::size_t in_flight_ = 0;     // requests without a response yet
    bool writing_ = false;
    bool write_scheduled_ = false;  // a write_next is posted
    bool paused_ = false;
    bool closed_ = false;
    std::string closing_reason_;  // set: close once everything queued is written
    Clock::time_point started_;
    Clock::time_point last_read_;
};

}  // namespace

void start_client_session(tcp::socket socket, std::shared_ptr<ProtocolService> service, const SessionLimits& limits,
                          std::shared_ptr<SessionCounters> counters) {
    const auto executor = socket.get_executor();
    auto session = std::make_shared<ClientSession>(std::move(socket), std::move(service), limits, std::move(counters));
    // Everything the session does runs on its socket's IO thread.
    asio::post(executor, [session] { session->run(); });
}

}  // namespace shoal::protocol
