// HttpSession: one connection's read -> route -> write loop. See http_session.h.
#include "http/http_session.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstring>
#include <optional>

#include "http/header_reader.h"
#include "http/responses.h"
#include "util/log.h"

namespace shoal::http {
namespace {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

const util::Logger logger("shoal.http");

constexpr std::size_t kReadChunk = 4096;
// Unparsed bytes the read buffer may hold beyond a maximal header: Beast's body reads ask for up
// to 64 KiB at a time. More (a monstrous chunk-size line, say) fails the read: 400.
constexpr std::size_t kMaxBufferedBeyondHeader = 4 * 65536;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// How long a closing connection keeps reading (and dropping) what the client still sends.
constexpr std::chrono::milliseconds kMaxLinger{2000};

bool expects_continue(const Request& request) {
    return request.version() >= 11 && beast::iequals(request[beast_http::field::expect], "100-continue");
}

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, std::shared_ptr<const RequestHandler> handler, const config::HttpConfig& limits,
                std::shared_ptr<HttpCounters> counters)
        : stream_(std::move(socket)),
          buffer_(limits.max_header_bytes + kMaxBufferedBeyondHeader),
          handler_(std::move(handler)),
          limits_(limits),
          counters_(std::move(counters)) {
        counters_->open_connections.fetch_add(1, std::memory_order_relaxed);
        beast::error_code ec;
        const auto peer = stream_.socket().remote_endpoint(ec);
        if (!ec) peer_ = peer.address().to_string() + ":" + std::to_string(peer.port());
    }
    ~HttpSession() { counters_->open_connections.fetch_sub(1, std::memory_order_relaxed); }

    void run(const std::string& already_read) {
        const auto space = buffer_.prepare(already_read.size());
        std::memcpy(space.data(), already_read.data(), already_read.size());
        buffer_.commit(already_read.size());
        do_read();
    }

private:
    // ---- reading a request ----

    // Between keep-alive requests: wait up to the idle timeout for the next request's first byte.
    void do_wait_for_request() {
        if (buffer_.size() > 0) return do_read();  // pipelined: already here
        stream_.expires_after(limits_.idle_timeout);
        stream_.async_read_some(buffer_.prepare(kReadChunk),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->on_first_bytes(ec, n);
                                });
    }

    void on_first_bytes(beast::error_code ec, std::size_t n) {
        if (ec) return do_close();  // idle timeout, or the client closed: both end quietly
        buffer_.commit(n);
        do_read();
    }

    // One request, header then body, within one read timeout from here.
    void do_read() {
        parser_.emplace();
        apply_limits(*parser_, limits_);
        header_bytes_ = 0;
        stream_.expires_after(limits_.read_timeout);
        parse_header();
    }

    // Feeds what is buffered to the parser and reads more until the header is complete. (Not
    // Beast's async_read_header: its header limit does not hold for headers sent piecemeal.)
    void parse_header() {
        beast::error_code ec;
        const std::size_t used = feed_header(*parser_, buffer_.data(), header_bytes_, limits_, ec);
        buffer_.consume(used);
        if (ec || parser_->is_header_done()) return on_header(ec);
        stream_.async_read_some(buffer_.prepare(kReadChunk),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->on_header_bytes(ec, n);
                                });
    }

    void on_header_bytes(beast::error_code ec, std::size_t n) {
        if (ec == asio::error::eof) {
            // As Beast's reader: end of stream before any byte of a request is a clean close,
            // after some it is a request cut short.
            if (parser_->got_some()) {
                parser_->put_eof(ec);
            } else {
                ec = beast_http::error::end_of_stream;
            }
        }
        if (ec) return on_read_error(ec);
        buffer_.commit(n);
        parse_header();
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        if (parser_->is_done()) return on_request();
        if (expects_continue(parser_->get())) return do_continue();
        do_read_body();
    }

    // The client waits for our go-ahead before sending the body (curl does for large bodies).
    void do_continue() {
        asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->do_close();
                              self->do_read_body();
                          });
    }

    void do_read_body() {
        beast_http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->on_read_error(ec);
            self->on_request();
        });
    }

    void on_read_error(beast::error_code ec) {
        auto reply = read_error_response(ec, limits_);
        if (!reply) {
            if (ec == beast::error::timeout) logger.debug("dropping " + peer_ + ": no whole request within the read timeout");
            return do_close();
        }
        logger.debug("rejecting a request from " + peer_ + " with " + std::to_string(reply->result_int()) + ": " +
                     ec.message());
        head_request_ = false;
        send(std::move(*reply));
    }

    // ---- routing ----

    void on_request() {
        Request request = parser_->release();
        parser_.reset();
        head_request_ = request.method() == beast_http::verb::head;
        stream_.expires_never();  // the operation runs; the write sets its own deadline
        (*handler_)(request, [self = shared_from_this()](Response response) {
            // The router may answer on a partition thread: only this connection's thread touches
            // the socket.
            asio::post(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
        });
    }

    // ---- writing the response ----

    void send(Response response) {
        counters_->count_response(response.result_int());
        if (head_request_) {
            // A reply to HEAD carries the headers of the GET reply, Content-Length included, but
            // no body.
            const std::size_t length = response.body().size();
            response.body().clear();
            if (response.has_content_length()) response.content_length(length);
        }
        const bool keep_alive = response.keep_alive();
        response_ = std::make_unique<Response>(std::move(response));
        stream_.expires_after(limits_.read_timeout);  // a client that never reads its reply is dropped
        beast_http::async_write(stream_, *response_,
                                [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                                    self->on_write(ec, keep_alive);
                                });
    }

    void on_write(beast::error_code ec, bool keep_alive) {
        response_.reset();
        if (ec) return do_close();
        if (!keep_alive) return do_linger();
        do_wait_for_request();
    }

    // ---- closing ----

    // After the last reply: stop sending, then read and drop what the client still sends until
    // it closes (bounded in time). Closing with unread input would reset the connection, which
    // can destroy the reply in flight (a 413 while the client is still uploading, say).
    void do_linger() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::min<std::chrono::milliseconds>(limits_.read_timeout, kMaxLinger));
        do_drain();
    }

    void do_drain() {
        buffer_.consume(buffer_.size());
        stream_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->do_close();
            self->do_drain();
        });
    }

    void do_close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    std::size_t header_bytes_ = 0;  // of the request being read
    std::unique_ptr<Response> response_;
    bool head_request_ = false;
    std::shared_ptr<const RequestHandler> handler_;
    config::HttpConfig limits_;
    std::shared_ptr<HttpCounters> counters_;
    std::string peer_ = "a client";
};

}  // namespace

void start_http_session(tcp::socket socket, std::string already_read, std::shared_ptr<const RequestHandler> handler,
                        const config::HttpConfig& limits, std::shared_ptr<HttpCounters> counters) {
    std::make_shared<HttpSession>(std::move(socket), std::move(handler), limits, std::move(counters))->run(already_read);
}

}  // namespace shoal::http
