// The one translation unit that compiles Boost.Asio (BOOST_ASIO_SEPARATE_COMPILATION), so the
// rest of the code only parses Asio's declarations.
#include <boost/asio/impl/src.hpp>
// Asio's TLS layer (the Kubernetes API client), compiled here for the same reason.
#include <boost/asio/ssl/impl/src.hpp>
