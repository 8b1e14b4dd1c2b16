// Strict header limits over Beast's parser: see header_reader.h.
#include "http/header_reader.h"

#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <cstdint>

namespace shoal::http {

void apply_limits(RequestParser& parser, const config::HttpConfig& limits) {
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
    parser.body_limit(limits.max_body_bytes);
}

std::size_t feed_header(RequestParser& parser, boost::asio::const_buffer bytes, std::size_t& header_bytes,
                        const config::HttpConfig& limits, boost::beast::error_code& ec) {
    namespace beast_http = boost::beast::http;
    ec = {};
    std::size_t used = 0;
    while (!parser.is_header_done() && used < bytes.size()) {
        const std::size_t n = parser.put(bytes + used, ec);
        used += n;
        header_bytes += n;
        if (ec == beast_http::error::need_more) {
            ec = {};
            break;
        }
        if (ec) return used;
        if (n == 0) break;
    }
    // While the header is unfinished, every byte not yet used belongs to it too.
    const std::size_t pending = parser.is_header_done() ? 0 : bytes.size() - used;
    if (header_bytes + pending > limits.max_header_bytes) {
        ec = beast_http::error::header_limit;
    }
    return used;
}

}  // namespace shoal::http
