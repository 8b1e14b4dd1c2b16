// ClientProtocolServer: the Hazelcast Open Client Protocol on the member port. The listener
// hands it every connection that starts with "CP2"; it runs a ClientSession per connection and
// keeps cluster-view listeners current: on every view change ClusterService reports, and once
// a second as a safety net.
//
// Includes Asio's socket type: include it only where connections are wired (app/member.cc).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "protocol/client_session.h"
#include "protocol/protocol_service.h"

namespace shoal::net {
class IoThreads;
}

namespace shoal::protocol {

class ClientProtocolServer {
public:
    ClientProtocolServer(ProtocolDependencies deps, net::IoThreads& io, SessionLimits limits = {});
    ~ClientProtocolServer();
    ClientProtocolServer(const ClientProtocolServer&) = delete;
    ClientProtocolServer& operator=(const ClientProtocolServer&) = delete;

    // Subscribes to the cluster's view changes and starts the periodic check.
    void start();
    // No more view pushes (before the IO threads stop).
    void stop();

    // Serves one connection whose "CP2" preamble the listener consumed.
    void serve(boost::asio::ip::tcp::socket socket);

    long open_connections() const;
    ProtocolService& service();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace shoal::protocol
