// HttpSession: one HTTP connection, read as a loop: read a request, hand it to the Router, write
// the response, read the next (keep-alive) or close. A request must arrive within the read
// timeout and an idle keep-alive connection closes after the idle timeout, so slow or silent
// clients cannot hold a connection; header and body sizes are bounded by the parser.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "config/member_config.h"
#include "http/router.h"

namespace shoal::http {

// Starts serving; the session keeps itself alive until the connection closes.
void start_http_session(boost::asio::ip::tcp::socket socket, std::string already_read,
                        std::shared_ptr<const Router> router, const config::HttpConfig& limits,
                        std::shared_ptr<HttpCounters> counters);

}  // namespace shoal::http
