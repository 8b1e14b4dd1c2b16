// Client service tasks: authentication, the cluster view, proxies, ping, statistics and the
// backup listener.
#include <set>

#include "cluster/cluster_service.h"
#include "partition/map_operations.h"
#include "protocol/client_messages.h"
#include "protocol/protocol_service.h"
#include "protocol/task.h"
#include "util/log.h"

namespace shoal::protocol {
namespace {

const util::Logger logger("shoal.client");

void authenticate(TaskContext& c) {
    const auto request = decode_request<client::AuthenticationRequest>(c.request);
    client::AuthenticationResponse response;
    response.partition_count = c.service.maps().partition_count();
    response.server_hazelcast_version = kServerHazelcastVersion;
    if (request.cluster_name != c.service.cluster_name()) {
        // As Hazelcast without security: a wrong cluster name is a credentials failure.
        logger.info("refused client " + request.client_name + " (" + request.client_type + ") from " +
                    c.reply.connection->peer() + ": cluster name '" + request.cluster_name + "', this cluster is '" +
                    c.service.cluster_name() + "'");
        response.status = client::kCredentialsFailed;
        c.reply.send(response);
        c.reply.connection->close_after_flush("authentication refused: wrong cluster name");
        return;
    }
    if (request.serialization_version != 1) {
        response.status = client::kSerializationVersionMismatch;
        c.reply.send(response);
        c.reply.connection->close_after_flush("authentication refused: serialization version " +
                                              std::to_string(request.serialization_version));
        return;
    }
    auto& cluster = c.service.cluster();
    if (!cluster.ready()) {
        c.reply.error(ErrorCode::kInstanceNotActive, "this member has not joined its cluster yet; retry");
        return;
    }
    const cluster::MemberInfo self = cluster.local_member();
    const cluster::ClusterView view = cluster.view();
    response.status = client::kAuthenticated;
    response.address = Address{self.host, self.port};
    response.member_uuid = self.uuid;
    response.cluster_id = view.cluster_id;
    c.endpoint.authenticated = true;
    c.endpoint.client_uuid = request.uuid.value_or(util::Uuid{});
    c.endpoint.client_name = request.client_name;
    c.endpoint.client_type = request.client_type;
    c.endpoint.client_version = request.client_hazelcast_version;
    logger.info("client " + request.client_name + " (" + request.client_type + " " + request.client_hazelcast_version +
                ", " + c.endpoint.client_uuid.to_string() + ") authenticated from " + c.reply.connection->peer());
    c.reply.send(response);
}

void add_cluster_view_listener(TaskContext& c) {
    (void)decode_request<client::AddClusterViewListenerRequest>(c.request);
    // Both views go out before the response, as the clients expect.
    c.service.add_view_listener(c.reply.connection, c.reply.correlation_id);
    c.reply.send(client::AddClusterViewListenerResponse{});
}

void create_proxy(TaskContext& c) {
    const auto request = decode_request<client::CreateProxyRequest>(c.request);
    c.service.add_proxy(request.service_name, request.name);
    c.reply.send(client::CreateProxyResponse{});
}

void create_proxies(TaskContext& c) {
    const auto request = decode_request<client::CreateProxiesRequest>(c.request);
    for (const auto& [name, service] : request.proxies) c.service.add_proxy(service, name);
    c.reply.send(client::CreateProxiesResponse{});
}

// Destroying a map proxy destroys the map's data, as IMap.destroy() does.
void destroy_proxy(TaskContext& c) {
    const auto request = decode_request<client::DestroyProxyRequest>(c.request);
    c.service.remove_proxy(request.service_name, request.name);
    if (request.service_name != kMapServiceName) {
        c.reply.send(client::DestroyProxyResponse{});
        return;
    }
    c.service.maps().clear(request.name, [reply = c.reply](partition::OpResult<bool> r) {
        if (!r.ok()) return reply.failed(r.status, "Client.destroyProxy");
        reply.send(client::DestroyProxyResponse{});
    });
}

// The proxies created through any member (they are broadcast, protocol/member_sync.h) plus the
// maps with entries anywhere (asked of the partition owners): the same on every member.
void get_distributed_objects(TaskContext& c) {
    (void)decode_request<client::GetDistributedObjectsRequest>(c.request);
    auto created = c.service.proxies();
    c.service.maps().cluster_map_names([reply = c.reply, created = std::move(created)](
                                   partition::OpResult<std::vector<std::string>> r) mutable {
        if (!r.ok()) return reply.failed(r.status, "Client.getDistributedObjects");
        std::set<std::pair<std::string, std::string>> all;
        for (auto& o : created) all.emplace(o.service_name, o.name);
        for (auto& name : r.value) all.emplace(kMapServiceName, name);
        client::GetDistributedObjectsResponse response;
        for (const auto& [service, name] : all) response.objects.push_back(DistributedObjectInfo{service, name});
        reply.send(response);
    });
}

void ping(TaskContext& c) {
    (void)decode_request<client::PingRequest>(c.request);
    c.reply.send(client::PingResponse{});
}

void statistics(TaskContext& c) {
    (void)decode_request<client::StatisticsRequest>(c.request);  // accepted, not kept
    c.reply.send(client::StatisticsResponse{});
}

// Writes answer only after their sync backups applied them, so every response reports 0
// backup acks and no backup event is ever due; the listener exists for clients that insist.
void local_backup_listener(TaskContext& c) {
    (void)decode_request<client::LocalBackupListenerRequest>(c.request);
    c.reply.send(client::LocalBackupListenerResponse{util::Uuid::random()});
}

}  // namespace

void register_client_tasks(TaskTable& table) {
    table[client::AuthenticationRequest::kType] = authenticate;
    table[client::AddClusterViewListenerRequest::kType] = add_cluster_view_listener;
    table[client::CreateProxyRequest::kType] = create_proxy;
    table[client::DestroyProxyRequest::kType] = destroy_proxy;
    table[client::GetDistributedObjectsRequest::kType] = get_distributed_objects;
    table[client::PingRequest::kType] = ping;
    table[client::StatisticsRequest::kType] = statistics;
    table[client::CreateProxiesRequest::kType] = create_proxies;
    table[client::LocalBackupListenerRequest::kType] = local_backup_listener;
}

}  // namespace shoal::protocol
