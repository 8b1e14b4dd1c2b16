// HttpSession: one HTTP connection, read as a loop (Beast's async server shape): read a request,
// hand it to the Router, write the response, then read the next (keep-alive, pipelined requests
// one at a time, in order) or close.
//
// Bounds: the header and body sizes are limited by the parser (431, 413); a whole request must
// arrive within the read timeout, counted from its first byte, so a client trickling bytes
// (slowloris) is dropped; an idle keep-alive connection closes after the idle timeout; and a
// connection has at most one request in flight, so the work one client can queue is one
// operation. Errors go to the logger at debug level and to the per-status response counters.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "config/member_config.h"
#include "http/http_types.h"

namespace shoal::http {

// Starts serving `socket`, whose first bytes (`already_read`) the listener consumed; the
// session keeps itself alive until the connection closes.
void start_http_session(boost::asio::ip::tcp::socket socket, std::string already_read,
                        std::shared_ptr<const RequestHandler> handler, const config::HttpConfig& limits,
                        std::shared_ptr<HttpCounters> counters);

}  // namespace shoal::http
