// Feeding a request's start line and headers to Beast's parser with a strict total size limit.
//
// Beast's header_limit bounds the bytes it looks at in one put() call, not the headers as a
// whole: a client that sends its headers a few hundred bytes at a time can go past it (fields are
// consumed as they complete). feed_header counts every header byte across calls, so
// shoal.http.max-header-bytes holds however the bytes arrive. The session and the fuzz target
// both read headers through it. Includes Beast: only http/*.cc and the HTTP fuzz target use it.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>

#include "config/member_config.h"

namespace shoal::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the member's header and body limits on a fresh parser.
void apply_limits(RequestParser& parser, const config::HttpConfig& limits);

// Feeds `bytes` to a (non-eager) parser whose header is not complete yet; returns how many it used (the
// caller consumes them). `header_bytes` carries the count across calls for one request (start it
// at 0). Afterwards either parser.is_header_done(), or `ec` is set (http::error::header_limit
// once the header exceeds limits.max_header_bytes, or a parse error), or more bytes are needed
// (`ec` clear).
std::size_t feed_header(RequestParser& parser, boost::asio::const_buffer bytes, std::size_t& header_bytes,
                        const config::HttpConfig& limits, boost::beast::error_code& ec);

}  // namespace shoal::http
