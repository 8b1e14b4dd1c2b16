// Client: a Shoal (Hazelcast Open Client Protocol 2.x) client. The public face of the client
// library; Asio and the protocol stay behind it.
//
//   shoal::client::ClientConfig config;
//   config.addresses = {"127.0.0.1:5701"};
//   auto client = shoal::client::Client::connect(config);   // waits for the cluster
//   auto cities = client->get_map("cities");
//   cities.put("1", "Paris");                                // blocking
//   cities.get_async("1", [](auto r) { ... });               // async
#pragma once

#include <chrono>
#include <memory>
#include <compare>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/client_config.h"
#include "client/client_errors.h"
#include "client/map.h"
#include "client/member.h"
#include "client/value.h"

namespace boost::asio {
class io_context;
}

namespace shoal::client {

namespace detail {
class ClientCore;
}

class Client {
public:
    // Starts connecting in the background and returns at once; calls made before the cluster
    // is reached wait for it (up to the invocation timeout). Throws ClientError on a bad config.
    explicit Client(ClientConfig config);
    // The same on the caller's io_context: the client starts no thread (config.io_threads is
    // ignored) and its callbacks run on the threads that run `io`, so one thread can drive
    // many clients with no locking between them and the caller (a load generator does). The
    // caller keeps `io` alive longer than the client, and does not run it after the client is
    // destroyed (what is still queued for the client then must be dropped with `io`).
    Client(ClientConfig config, boost::asio::io_context& io);
    ~Client();  // shutdown()
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // A client connected to the cluster (member list and partition table known); throws
    // ConnectionError naming the addresses tried and the last failure after
    // config.cluster_connect_timeout.
    static std::unique_ptr<Client> connect(ClientConfig config);

    bool wait_connected(std::chrono::milliseconds timeout);
    bool connected() const;
    std::string last_error() const;  // why the last connection attempt or connection failed

    // A map's proxy: the first get_map of a name also tells the cluster (CreateProxy, in the
    // background), as Hazelcast clients do, so it is listed by distributed_objects().
    Map get_map(std::string name);

    // The cluster's distributed objects (GetDistributedObjects): every proxy created through
    // any member and every map holding entries; the same whichever member answers.
    struct DistributedObject {
        std::string service;  // "hz:impl:mapService" for maps
        std::string name;
        friend bool operator==(const DistributedObject&, const DistributedObject&) = default;
        friend auto operator<=>(const DistributedObject&, const DistributedObject&) = default;
    };
    void distributed_objects_async(Callback<std::vector<DistributedObject>> done);
    std::vector<DistributedObject> distributed_objects();

    std::vector<Member> members() const;
    int partition_count() const;
    std::optional<std::string> partition_owner(int partition_id) const;  // member uuid
    std::size_t connection_count() const;
    // Closes every connection; calls still waiting fail with ClientError. Idempotent.
    void shutdown();

private:
    std::shared_ptr<detail::ClientCore> core_;
    std::mutex proxies_mutex_;
    std::set<std::string> proxies_;  // map names get_map told the cluster of
};

}  // namespace shoal::client
