// Adopting an accepted socket as a FrameConnection (includes Asio: only for the listener's user).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "net/frame_connection.h"

namespace shoal::net {

// `already_read` holds bytes read past the preamble while sniffing the protocol.
FrameConnectionPtr adopt_frames(boost::asio::ip::tcp::socket socket, std::string already_read);

}  // namespace shoal::net
