#include "http/http_session.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

#include "http/responses.h"
#include "util/log.h"

namespace shoal::http {
namespace {

namespace beast = boost::beast;
namespace asio = boost::asio;
using status = beast_http::status;

const util::Logger logger("shoal.http");

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<const Router> router, const config::HttpConfig& limits,
                std::shared_ptr<HttpCounters> counters)
        : stream_(std::move(socket)), router_(std::move(router)), limits_(limits), counters_(std::move(counters)) {
        counters_->open_connections.fetch_add(1);
    }
    ~HttpSession() { counters_->open_connections.fetch_sub(1); }

    void run(const std::string& already_read) {
        const auto buffer = buffer_.prepare(already_read.size());
        std::memcpy(buffer.data(), already_read.data(), already_read.size());
        buffer_.commit(already_read.size());
        do_read();
    }

private:
    // Between requests, wait for the first byte with the idle timeout; then the whole request
    // must arrive within the read timeout.
    void wait_for_next_request() {
        if (buffer_.size() > 0) return do_read();
        stream_.expires_after(limits_.idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec) return self->close();  // idle timeout or the client closed: both end quietly
            self->buffer_.commit(n);
            self->do_read();
        });
    }

    void do_read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
        parser_->body_limit(limits_.max_body_bytes);
        stream_.expires_after(limits_.read_timeout);
        beast_http::async_read(stream_, buffer_, *parser_,
                               [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == beast_http::error::end_of_stream || ec == asio::error::connection_reset || ec == asio::error::eof) {
            return close();
        }
        if (ec == beast::error::timeout) {
            logger.debug("closing a connection that did not send a whole request within the read timeout");
            return close();
        }
        if (ec == beast_http::error::header_limit) {
            return send_and_close(parse_error_response(
                status::request_header_fields_too_large,
                "request headers exceed " + std::to_string(limits_.max_header_bytes) +
                    " bytes (shoal.http.max-header-bytes)"));
        }
        if (ec == beast_http::error::body_limit) {
            return send_and_close(parse_error_response(
                status::payload_too_large,
                "request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes (shoal.http.max-body-bytes)"));
        }
        if (ec) return send_and_close(parse_error_response(status::bad_request, "malformed HTTP request: " + ec.message()));

        Request request = parser_->release();
        stream_.expires_never();  // the operation may take a while; the write sets its own limit
        router_->handle(request, [self = shared_from_this()](Response response) {
            // The router may answer on a partition thread: get back onto this connection's thread.
            asio::post(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
        });
    }

    void send(Response response) {
        counters_->count_response(response.result_int());
        const bool keep_alive = response.keep_alive();
        response_ = std::make_unique<Response>(std::move(response));
        stream_.expires_after(limits_.read_timeout);
        beast_http::async_write(stream_, *response_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
            self->response_.reset();
            if (ec || !keep_alive) return self->close();
            self->wait_for_next_request();
        });
    }

    void send_and_close(Response response) {
        response.keep_alive(false);
        send(std::move(response));
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
    std::unique_ptr<Response> response_;
    std::shared_ptr<const Router> router_;
    config::HttpConfig limits_;
    std::shared_ptr<HttpCounters> counters_;
};

}  // namespace

void start_http_session(asio::ip::tcp::socket socket, std::string already_read, std::shared_ptr<const Router> router,
                        const config::HttpConfig& limits, std::shared_ptr<HttpCounters> counters) {
    std::make_shared<HttpSession>(std::move(socket), std::move(router), limits, std::move(counters))->run(already_read);
}

}  // namespace shoal::http
