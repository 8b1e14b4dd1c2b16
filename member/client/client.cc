#include "client/client.h"

#include "client/client_core.h"

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

Map Client::get_map(std::string name) { return Map(core_, std::move(name)); }

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
