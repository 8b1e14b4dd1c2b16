#include "app/member.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <algorithm>
#include <future>
#include <thread>

#include "app/member_persistence.h"
#include "app/shutdown_policy.h"
#include "cluster/auto_cluster_state.h"
#include "cluster/cluster_service.h"
#include "cluster/member_transport.h"
#include "cluster/messenger.h"
#include "cluster/statefulset_watcher.h"
#include "discovery/discovery.h"
#include "discovery/placement.h"
#include "kube/in_cluster.h"
#include "http/http_server.h"
#include "net/address_picker.h"
#include "net/io_threads.h"
#include "net/frame_connection_asio.h"
#include "net/listener.h"
#include "partition/map_operations.h"
#include "partition/partition_table.h"
#include "partition/partition_threads.h"
#include "persistence/member_metadata.h"
#include "protocol/client_protocol_server.h"
#include "util/cpu_count.h"
#include "util/log.h"
#include "util/scheduler.h"

namespace shoal::app {
namespace {

const util::Logger logger("shoal.lifecycle");

// Partition threads get every usable CPU and IO threads half of them: the IO side only parses
// and routes, the partition side does the work.
int partition_threads_for(const config::MemberConfig& config) {
    return config.partition_thread_count > 0 ? config.partition_thread_count : util::usable_cpu_count();
}
// Auto: on a member with one CPU its IO and partition threads share that core, and running a
// key operation on the IO thread saves the wake and the two context switches of the hop.
bool operations_on_io_threads_for(const config::MemberConfig& config) {
    return config.operations_on_io_threads.value_or(util::usable_cpu_count() == 1);
}
int io_threads_for(const config::MemberConfig& config) {
    if (config.io_thread_count > 0) return config.io_thread_count;
    return std::max(1, util::usable_cpu_count() / 2);
}

map::MapLimits limits_of(const config::MapConfig& map) {
    return {std::int64_t{map.time_to_live_seconds} * 1000, std::int64_t{map.max_idle_seconds} * 1000};
}

// What /hazelcast/rest/persistence reports; unset without persistence.
std::function<http::PersistenceStatus()> persistence_status_of(MemberPersistence* persistence) {
    if (persistence == nullptr) return {};
    return [persistence] {
        const MemberPersistence::Status s = persistence->status();
        http::PersistenceStatus out;
        out.enabled = true;
        out.phase = s.phase == MemberPersistence::Phase::kLoading ? "LOADING"
                    : s.phase == MemberPersistence::Phase::kDone  ? "DONE"
                                                                   : "FAILED";
        out.dir = s.dir;
        out.entries = s.entries;
        out.records = s.records;
        out.bytes = s.bytes;
        out.cut_bytes = s.cut_bytes;
        out.load_ms = s.load_ms;
        out.saved_table_version = s.saved_table_version;
        return out;
    };
}

}  // namespace

struct Member::Parts {
    Parts(const config::MemberConfig& config, int partition_threads,
          std::function<http::PersistenceStatus()> persistence_status)
        : threads(config.partition_count, partition_threads,
                  [&config](std::string_view name) { return limits_of(config.map_config(std::string(name))); }),
          service(threads, [&config](std::string_view name) {
              return config.map_config(std::string(name)).backup_count;
          }),
          maps(threads, service),
          cluster(config, maps),
          io(io_threads_for(config)),
          scheduler("cluster"),
          messenger(io, scheduler, config.cluster_name, {}),
          transport(messenger, cluster, service, scheduler),
          listener(io, config.http.read_timeout),
          http(http::HttpDependencies{config, maps, cluster, std::move(persistence_status)}),
          clients(protocol::ProtocolDependencies{maps, cluster, config.cluster_name}, io) {
        threads.set_operations_on_io_threads(operations_on_io_threads_for(config));
    }

    partition::PartitionThreads threads;
    partition::PartitionService service;
    partition::MapOperations maps;
    cluster::ClusterService cluster;
    net::IoThreads io;
    util::Scheduler scheduler;
    cluster::Messenger messenger;
    cluster::MemberTransport transport;
    net::Listener listener;
    http::HttpServer http;
    protocol::ClientProtocolServer clients;
    net::MemberAddress address;
    std::unique_ptr<cluster::StatefulSetWatcher> statefulset_watcher;  // automatic cluster state
};

Member::Member(config::MemberConfig config)
    : config_(std::move(config)),
      persistence_(config_.persistence.enabled ? std::make_unique<MemberPersistence>(config_) : nullptr),
      parts_(std::make_unique<Parts>(config_,
                                     persistence_ ? persistence_->partition_threads(partition_threads_for(config_))
                                                  : partition_threads_for(config_),
                                     persistence_status_of(persistence_.get()))) {}

Member::~Member() { shutdown(); }

void Member::start() {
    std::lock_guard lock(mutex_);
    if (started_) return;
    Parts& p = *parts_;
    p.address = net::pick_member_address(config_, net::local_ipv4_addresses());
    if (persistence_ && persistence_->previous()) restore_identity(*persistence_->previous());
    wire_cluster();
    p.threads.start();
    p.listener.on(net::Protocol::kHttp, [&p](boost::asio::ip::tcp::socket socket, std::string first) {
        p.http.serve(std::move(socket), std::move(first));
    });
    // The "SHM" preamble is all the listener read: the frames start after it.
    p.listener.on(net::Protocol::kMember, [&p](boost::asio::ip::tcp::socket socket, std::string) {
        p.messenger.accept(net::adopt_frames(std::move(socket), {}));
    });
    // Hazelcast clients: "CP2" is all the listener read; their frames start after it.
    p.listener.on(net::Protocol::kClient, [&p](boost::asio::ip::tcp::socket socket, std::string) {
        p.clients.serve(std::move(socket));
    });
    open_listener();
    p.clients.start();
    p.io.start();
    p.listener.start_accepting();
    const int advertised_port = p.address.advertised_port > 0 ? p.address.advertised_port : p.listener.port();
    logger.info("listening on " + p.address.bind_host + ":" + std::to_string(p.listener.port()) +
                ", advertising " + p.address.advertised_host + ":" + std::to_string(advertised_port) +
                "; " + std::to_string(p.io.size()) + " IO threads, " +
                std::to_string(p.threads.thread_count()) + " partition threads");
    // Probes are answered while the data loads (liveness yes, readiness not until joined).
    if (persistence_) recover_data();
    p.cluster.start(p.address.advertised_host, advertised_port);
    start_automatic_cluster_state();
    // As a Hazelcast instance does, start() returns once the member has joined (or formed) a
    // cluster; when peers are slow to answer, joining goes on in the background.
    if (!p.cluster.await_joined(std::chrono::seconds(5))) logger.warn("not joined yet; still trying");
    started_ = true;
}

// hazelcast.persistence.auto.cluster.state: with persistence and Kubernetes API discovery in a
// StatefulSet pod, the master manages the cluster state from the StatefulSet's counts.
void Member::start_automatic_cluster_state() {
    const auto& kubernetes = config_.network.join.kubernetes;
    if (!persistence_ || !config_.auto_cluster_state || !kubernetes.enabled) return;
    if (!kubernetes.service_dns.empty()) {
        logger.info("automatic cluster state off: it reads the StatefulSet through the Kubernetes API, and discovery is DNS");
        return;
    }
    try {
        kube::InCluster where = kube::resolve_in_cluster(kubernetes, kube::process_environment());
        const std::string statefulset = cluster::statefulset_of_pod(where.pod_name);
        if (statefulset.empty()) {
            logger.info("automatic cluster state off: pod name '" + where.pod_name + "' is not <statefulset>-<ordinal>");
            return;
        }
        pod_ordinal_ = cluster::ordinal_of_pod(where.pod_name);
        parts_->statefulset_watcher = std::make_unique<cluster::StatefulSetWatcher>(
            parts_->cluster, std::move(where), statefulset, config_.auto_cluster_state_strategy);
        parts_->statefulset_watcher->start();
    } catch (const std::exception& e) {
        logger.warn(std::string("automatic cluster state off: ") + e.what());
    }
}

// With the automatic cluster state, a member whose pod comes back (rolling restart) or whose
// whole StatefulSet stops keeps its data where it is instead of handing it over: it switches the
// cluster (transiently) to the strategy state or PASSIVE first, and the graceful leave that
// follows moves nothing in that state. A pod that is scaled away hands its data over as usual.
void Member::prepare_statefulset_shutdown() {
    Parts& p = *parts_;
    const auto replicas = p.statefulset_watcher->replicas();
    const auto intent = cluster::decide_shutdown_intent(replicas, pod_ordinal_);
    if (intent == cluster::ShutdownIntent::kHandOver) {
        logger.info("shutdown: pod ordinal " + std::to_string(pod_ordinal_) + ", StatefulSet replicas " +
                    (replicas ? std::to_string(*replicas) : std::string("unknown")) + ": handing the data over");
        return;
    }
    const cluster::ClusterState target =
        intent == cluster::ShutdownIntent::kClusterShutdown ? cluster::ClusterState::kPassive
        : config_.auto_cluster_state_strategy == config::AutoClusterStateStrategy::kFrozen ? cluster::ClusterState::kFrozen
                                                                                            : cluster::ClusterState::kNoMigration;
    if (intent == cluster::ShutdownIntent::kComeBack) {
        // While this member is away its partitions have one replica fewer, and a member that
        // returned before it may still be getting its share back: leave only from a safe
        // cluster (every backup in place), or a rolling restart could take a partition's last
        // replica down with it. Bounded by the graceful max wait.
        const auto safe_by = std::chrono::steady_clock::now() + config_.graceful_shutdown_max_wait;
        if (!p.cluster.cluster_safe()) logger.info("shutdown: waiting until the cluster is safe before leaving");
        while (!p.cluster.cluster_safe() && std::chrono::steady_clock::now() < safe_by) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling the cluster's view
        }
    }
    const auto current = p.cluster.state();
    if (current == cluster::ClusterState::kPassive || current == target) return;
    logger.info("shutdown: pod ordinal " + std::to_string(pod_ordinal_) + " of " + std::to_string(*replicas) +
                (intent == cluster::ShutdownIntent::kClusterShutdown ? ": the StatefulSet stops, cluster state PASSIVE"
                                                                     : ": the pod comes back with its data, cluster state " +
                                                                           std::string(cluster::to_string(target))) +
                " before leaving, so nothing migrates");
    if (const auto error = p.cluster.change_state(target, cluster::StateChange::kTransient)) {
        logger.warn("shutdown: the state change was refused (" + *error + "); handing the data over instead");
        return;
    }
    // The master applies it; bounded, since a leave in ACTIVE is still safe (it hands over).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (p.cluster.state() != target && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the adopted view
    }
    if (intent == cluster::ShutdownIntent::kClusterShutdown) wait_for_backups_in_sync();
}

// The whole StatefulSet stops and this member's data stays on disk: before it exits, the
// backups of the partitions it owns must hold what it holds (a backup that missed a write gets
// it now), or a restart would come back with a replica behind. Bounded by
// hazelcast.cluster.shutdown.timeout.seconds; past it the member exits anyway, and says so.
void Member::wait_for_backups_in_sync() {
    Parts& p = *parts_;
    const auto started = std::chrono::steady_clock::now();
    // Within the graceful max wait too: the chart makes that the pod's termination grace
    // period, after which the kubelet kills the process whatever it waits for.
    const auto deadline = started + std::min<std::chrono::seconds>(config_.cluster_shutdown_timeout, config_.graceful_shutdown_max_wait);
    while (true) {
        // Shared: an answer that comes after the deadline must still find its promise alive.
        auto answer = std::make_shared<std::promise<bool>>();
        auto in_sync = answer->get_future();
        p.service.check_backups_in_sync([answer](bool ok) { answer->set_value(ok); });
        const auto left = deadline - std::chrono::steady_clock::now();
        if (in_sync.wait_for(std::max<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(1))) ==
                std::future_status::ready && in_sync.get()) {
            const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
            logger.info("shutdown: the backups of this member's partitions are in sync (checked in " +
                        std::to_string(waited.count()) + " ms)");
            return;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling the backups' refill
    }
    logger.warn("shutdown: backups still behind after " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count()) +
                " s (hazelcast.cluster.shutdown.timeout.seconds=" + std::to_string(config_.cluster_shutdown_timeout.count()) +
                ", hazelcast.graceful.shutdown.max.wait=" + std::to_string(config_.graceful_shutdown_max_wait.count()) +
                "); exiting anyway");
}

// Comes back as the member the metadata describes, with the partition table it last knew.
void Member::restore_identity(const persistence::MemberMetadata& previous) {
    Parts& p = *parts_;
    p.cluster.restore_identity(previous.member_uuid);
    if (const auto state = cluster::parse_cluster_state(previous.cluster_state)) p.cluster.restore_cluster_state(*state);
    if (previous.partition_table.empty()) return;
    try {
        util::ByteReader in(previous.partition_table);
        p.cluster.restore_partition_table(partition::decode_partition_table(in));
    } catch (const util::DecodeError& e) {
        logger.warn(std::string("persistence: the persisted partition table cannot be read, not restored: ") + e.what());
    }
}

// Loads every partition thread's log, then keeps the member's metadata on disk up to date.
void Member::recover_data() {
    Parts& p = *parts_;
    persistence_->recover(p.threads);
    // A member back from a restart may find its replicas promoted elsewhere: what it loaded
    // is kept until the cluster settles, so partitions that come back here move differentially.
    p.service.retain_recovered();
    persistence_->keep_metadata([this] {
        Parts& parts = *parts_;
        const cluster::ClusterView view = parts.cluster.view();
        persistence::MemberMetadata m;
        m.member_uuid = parts.cluster.local_member().uuid;
        m.cluster_id = view.cluster_id;
        m.cluster_name = config_.cluster_name;
        m.cluster_state = std::string(cluster::to_string(view.durable_state));
        m.member_list_version = view.version;
        for (const auto& member : view.members) {
            m.members.push_back(member.uuid.to_string() + " " + member.host + ":" + std::to_string(member.port));
        }
        if (const auto table = parts.maps.partition_table()) {
            util::ByteWriter out;
            partition::encode(out, *table);
            m.partition_table = out.take();
        }
        m.partition_count = config_.partition_count;
        m.partition_thread_count = parts.threads.thread_count();
        return m;
    });
    // A new table or state reaches the disk within milliseconds, not at the next check.
    p.cluster.add_view_listener([persistence = persistence_.get()] { persistence->metadata_changed(); });
}

// Every member runs the cluster machinery, even alone: it is then the master of a cluster of
// one, assigns itself every partition, and admits members that discover it later.
void Member::wire_cluster() {
    Parts& p = *parts_;
    const std::string uuid = p.cluster.local_member().uuid.to_string();
    p.service.attach(&p.transport, uuid);
    p.maps.attach(&p.transport);
    // Entry events for the clients' listeners, from each write this member runs as owner.
    auto& clients = p.clients.service();
    p.service.set_entry_observer(partition::PartitionService::EntryObserver{
        [&clients](const std::string& map) { return clients.wants_entry_events(map); },
        [&clients](const partition::KeyOperation& op, const std::optional<std::string>& before,
                   const std::optional<std::string>& after) { clients.on_entry_changed(op, before, after); },
        [&clients](const std::string& map, std::string_view key, std::string_view value) {
            clients.on_entry_expired(map, key, value);
        }});
    p.transport.register_handlers();
    wire_client_sync(uuid);
    const discovery::Placement placement = discovery::detect_placement(config_);
    if (!placement.warning.empty()) logger.warn(placement.warning);
    logger.info("placement: node " + (placement.node.empty() ? std::string("unknown") : placement.node) + ", zone " +
                (placement.zone.empty() ? std::string("unknown") : placement.zone));
    cluster::ClusterWiring wiring{p.messenger, p.service, p.scheduler, discovery::make_discovery(config_),
                                  placement.node, placement.zone};
    p.cluster.enable_clustering(std::move(wiring));
}

// The client front ends of the members share listeners and proxies (protocol/member_sync.h)
// over the member protocol's kClient message.
void Member::wire_client_sync(const std::string& uuid) {
    Parts& p = *parts_;
    auto& clients = p.clients.service();
    protocol::ProtocolService::MemberLink link;
    link.local = uuid;
    link.post = [&p](const std::string& member, std::string body) {
        const std::string address = p.cluster.address_of(member);
        if (!address.empty()) p.messenger.post(address, cluster::MessageKind::kClient, std::move(body));
    };
    link.call = [&p](const std::string& member, std::string body, std::function<void(bool)> done) {
        const std::string address = p.cluster.address_of(member);
        if (address.empty()) return done(false);
        p.messenger.call(address, cluster::MessageKind::kClient, std::move(body),
                         [done = std::move(done)](bool ok, std::string) { done(ok); }, std::chrono::seconds(10));
    };
    clients.set_member_link(std::move(link));
    p.messenger.handle(cluster::MessageKind::kClient, [&clients](const cluster::MemberRecord& from, std::string body,
                                                                 cluster::Messenger::Reply reply) {
        clients.on_member_message(from.uuid, body, reply ? std::function<void()>([reply] { reply({}); }) : nullptr);
    });
}

// Binds the configured port, or with auto-increment the first free one of port-count ports,
// as Hazelcast does; port 0 (tests only) lets the kernel choose.
void Member::open_listener() {
    const auto& network = config_.network;
    const int attempts = network.port_auto_increment && network.port > 0 ? std::max(1, network.port_count) : 1;
    for (int i = 0;; ++i) {
        try {
            parts_->listener.open(parts_->address.bind_host, network.port == 0 ? 0 : network.port + i);
            return;
        } catch (const std::runtime_error& e) {
            if (i + 1 >= attempts) throw;
            logger.info(std::string(e.what()) + "; trying the next port");
        }
    }
}

void Member::shutdown() {
    std::unique_lock lock(mutex_);
    if (shut_down_) return;
    Parts& p = *parts_;
    if (started_) {
        logger.info("shutting down");
        if (p.statefulset_watcher) {
            prepare_statefulset_shutdown();
            p.statefulset_watcher->stop();
        }
        p.cluster.begin_shutdown();
        run_shutdown_policy(config_, p.cluster);
        p.listener.close();
        p.messenger.stop();
        p.scheduler.stop();
        p.clients.stop();
        p.io.stop();
        p.threads.stop();
        if (persistence_) persistence_->stop();
        p.cluster.finish_shutdown();
        logger.info("shut down");
    }
    shut_down_ = true;
    shut_down_cv_.notify_all();
}

void Member::wait_until_shut_down() {
    std::unique_lock lock(mutex_);
    shut_down_cv_.wait(lock, [this] { return shut_down_; });
}

std::string Member::host() const { return parts_->cluster.local_member().host; }
std::string Member::bind_host() const { return parts_->address.bind_host; }
int Member::port() const { return parts_->listener.port(); }
partition::MapOperations& Member::maps() { return parts_->maps; }
cluster::ClusterService& Member::cluster() { return parts_->cluster; }
protocol::ProtocolService& Member::client_protocol() { return parts_->clients.service(); }

}  // namespace shoal::app
