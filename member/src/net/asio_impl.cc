// The one translation unit that compiles Boost.Asio (BOOST_ASIO_SEPARATE_COMPILATION), so the
// rest of the code only parses Asio's declarations.
#include <boost/asio/impl/src.hpp>
