#include "client/client.h"

#include <algorithm>

#include "client/call.h"
#include "client/client_core.h"
#include "protocol/client_messages.h"

namespace shoal::client {

Client::Client(ClientConfig config) : core_(std::make_shared<detail::ClientCore>(std::move(config))) { core_->start(); }

Client::Client(ClientConfig config, boost::asio::io_context& io)
    : core_(std::make_shared<detail::ClientCore>(std::move(config), io)) {
    core_->start();
}

Client::~Client() { shutdown(); }

std::unique_ptr<Client> Client::connect(ClientConfig config) {
    const auto timeout = config.cluster_connect_timeout;
    std::string addresses;
    for (const auto& a : config.addresses) addresses += (addresses.empty() ? "" : ", ") + a;
    auto client = std::make_unique<Client>(std::move(config));
    if (!client->wait_connected(timeout)) {
        const std::string error = client->last_error();
        client->shutdown();
        throw ConnectionError("could not connect to the cluster at " + addresses + " within " +
                              std::to_string(timeout.count()) + " ms: " + error);
    }
    return client;
}

bool Client::wait_connected(std::chrono::milliseconds timeout) { return core_->wait_connected(timeout); }
bool Client::connected() const { return core_->connected(); }
std::string Client::last_error() const { return core_->last_error(); }

namespace {
constexpr const char* kMapService = "hz:impl:mapService";
}

Map Client::get_map(std::string name) {
    bool first = false;
    {
        std::lock_guard lock(proxies_mutex_);
        first = proxies_.insert(name).second;
    }
    if (first) {
        // Fire and forget: the map works without it; only distributed_objects() would miss it.
        protocol::client::CreateProxyRequest request{name, kMapService};
        detail::call<protocol::client::CreateProxyResponse>(*core_, request, -1, detail::Retry::kOnDisconnect,
                                                            Callback<Unit>([](Result<Unit>) {}),
                                                            [](auto) { return Unit{}; });
    }
    return Map(core_, std::move(name));
}

void Client::distributed_objects_async(Callback<std::vector<DistributedObject>> done) {
    detail::call<protocol::client::GetDistributedObjectsResponse>(
        *core_, protocol::client::GetDistributedObjectsRequest{}, -1, detail::Retry::kOnDisconnect, std::move(done),
        [](const protocol::client::GetDistributedObjectsResponse& r) {
            std::vector<DistributedObject> out;
            for (const auto& o : r.objects) out.push_back(DistributedObject{o.service_name, o.name});
            std::sort(out.begin(), out.end());
            return out;
        });
}

std::vector<Client::DistributedObject> Client::distributed_objects() {
    return detail::wait<std::vector<DistributedObject>>([&](auto done) { distributed_objects_async(std::move(done)); });
}

std::vector<Member> Client::members() const {
    std::vector<Member> out;
    for (const auto& m : core_->view().members()) out.push_back(Member{m.uuid.to_string(), m.address.host, m.address.port});
    return out;
}

int Client::partition_count() const { return core_->view().partition_count(); }

std::optional<std::string> Client::partition_owner(int partition_id) const {
    const auto owner = core_->view().owner(partition_id);
    if (!owner) return std::nullopt;
    return owner->to_string();
}

std::size_t Client::connection_count() const { return core_->connection_count(); }

void Client::shutdown() { core_->shutdown(); }

}  // namespace shoal::client
