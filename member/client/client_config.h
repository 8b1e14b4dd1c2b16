// ClientConfig: how a Shoal client finds and talks to a cluster (the subset of Hazelcast's
// ClientConfig that Shoal's client has).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace shoal::client {

struct ClientConfig {
    // "host:port" (port defaults to 5701) of members to try first; any one is enough.
    std::vector<std::string> addresses{"127.0.0.1:5701"};
    std::string cluster_name = "dev";
    std::string client_name;  // empty: "shoal.client_<n>"
    // Smart routing keeps a connection to every member and sends each key to its partition's
    // owner; unisocket (false) keeps one connection and lets that member forward.
    bool smart_routing = true;
    // How long one call may take, retries included (Hazelcast's
    // hazelcast.client.invocation.timeout.millis, default 120 s).
    std::chrono::milliseconds invocation_timeout{120'000};
    // How long Client::connect() waits for the first member before giving up.
    std::chrono::milliseconds cluster_connect_timeout{20'000};
    std::chrono::milliseconds connect_timeout{5'000};  // one TCP connect + authentication
    // A connection that reads nothing for this long is closed (members answer pings every 5 s).
    std::chrono::milliseconds heartbeat_timeout{60'000};
    std::chrono::milliseconds heartbeat_interval{5'000};
    int io_threads = 1;  // threads running the client's connections
};

}  // namespace shoal::client
