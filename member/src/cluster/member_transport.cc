#include "cluster/member_transport.h"

#include "util/log.h"

namespace shoal::cluster {
namespace {

const util::Logger logger("shoal.member-protocol");
// A forwarded operation or query that gets no answer in this long is retried elsewhere.
constexpr std::chrono::milliseconds kRemoteTimeout{10'000};
// A replica request (a digest before a refill, a sync query) unanswered this long fails: the
// migration that waits on it is aborted and planned again rather than held until its own
// (much longer) timeout.
constexpr std::chrono::milliseconds kReplicaRequestTimeout{30'000};

std::string with_type(partition::ReplicaMessageType type, std::string body) {
    std::string framed(1, static_cast<char>(type));
    framed += body;
    return framed;
}

}  // namespace

MemberTransport::MemberTransport(Messenger& messenger, ClusterService& cluster,
                                 partition::PartitionService& partitions, util::Scheduler& scheduler)
    : messenger_(messenger), cluster_(cluster), partitions_(partitions), scheduler_(scheduler) {}

// ---- sending ----------------------------------------------------------------------------------

void MemberTransport::send(const std::string& member, partition::ReplicaMessageType type, std::string body,
                           std::function<void(bool)> acked) {
    const std::string address = cluster_.address_of(member);
    if (address.empty()) {
        acked(false);  // the member left the view: nothing to wait for
        return;
    }
    messenger_.call(address, MessageKind::kReplica, with_type(type, std::move(body)),
                    [acked = std::move(acked)](bool ok, std::string) { acked(ok); });
}

void MemberTransport::request(const std::string& member, partition::ReplicaMessageType type, std::string body,
                              std::function<void(bool, std::string)> answered) {
    const std::string address = cluster_.address_of(member);
    if (address.empty()) {
        answered(false, {});
        return;
    }
    messenger_.call(address, MessageKind::kReplica, with_type(type, std::move(body)), std::move(answered), kReplicaRequestTimeout);
}

void MemberTransport::post(const std::string& member, partition::ReplicaMessageType type, std::string body) {
    const std::string address = cluster_.address_of(member);
    if (!address.empty()) messenger_.post(address, MessageKind::kReplica, with_type(type, std::move(body)));
}

void MemberTransport::execute(const std::string& member, const partition::KeyOperation& op,
                              std::function<void(partition::OpStatus, partition::KeyOutcome)> done) {
    const std::string address = cluster_.address_of(member);
    if (address.empty()) {
        done(partition::OpStatus::kUnavailable, {});
        return;
    }
    util::ByteWriter out;
    encode(out, op);
    messenger_.call(address, MessageKind::kExecute, out.take(), [done = std::move(done)](bool ok, std::string body) {
        if (!ok) {
            done(partition::OpStatus::kUnavailable, {});
            return;
        }
        try {
            util::ByteReader in(body);
            const auto status = static_cast<partition::OpStatus>(in.u8("status"));
            done(status, partition::decode_key_outcome(in));
        } catch (const util::DecodeError& e) {
            logger.warn(std::string("bad answer to a forwarded operation: ") + e.what());
            done(partition::OpStatus::kUnavailable, {});
        }
    }, kRemoteTimeout);
}

void MemberTransport::query(const std::string& member, const partition::PartitionQuery& query,
                            std::function<void(bool, partition::QueryResult)> done) {
    const std::string address = cluster_.address_of(member);
    if (address.empty()) {
        done(false, {});
        return;
    }
    util::ByteWriter out;
    encode(out, query);
    messenger_.call(address, MessageKind::kQuery, out.take(), [done = std::move(done)](bool ok, std::string body) {
        if (!ok) {
            done(false, {});
            return;
        }
        try {
            util::ByteReader in(body);
            done(true, partition::decode_query_result(in));
        } catch (const util::DecodeError& e) {
            logger.warn(std::string("bad answer to a forwarded query: ") + e.what());
            done(false, {});
        }
    }, kRemoteTimeout);
}

void MemberTransport::later(std::chrono::milliseconds delay, std::function<void()> task) {
    scheduler_.schedule(delay, std::move(task));
}

// ---- serving ----------------------------------------------------------------------------------

void MemberTransport::register_handlers() {
    messenger_.handle(MessageKind::kReplica, [this](const MemberRecord& from, std::string body, Messenger::Reply reply) {
        if (body.empty()) throw util::DecodeError("empty replica message");
        const auto type = static_cast<partition::ReplicaMessageType>(static_cast<unsigned char>(body[0]));
        auto answer = reply ? partition::PartitionService::ReplicaReply(reply) : [](std::string) {};
        partitions_.on_replica_message(from.uuid, type, body.substr(1), std::move(answer));
    });
    messenger_.handle(MessageKind::kExecute, [this](const MemberRecord&, std::string body, Messenger::Reply reply) {
        util::ByteReader in(body);
        partitions_.execute(partition::decode_key_operation(in), [reply](partition::OpStatus status, partition::KeyOutcome outcome) {
            util::ByteWriter out;
            out.u8(static_cast<std::uint8_t>(status));
            encode(out, outcome);
            if (reply) reply(out.take());
        });
    });
    messenger_.handle(MessageKind::kQuery, [this](const MemberRecord&, std::string body, Messenger::Reply reply) {
        util::ByteReader in(body);
        partitions_.query(partition::decode_partition_query(in), [reply](partition::QueryResult result) {
            util::ByteWriter out;
            encode(out, result);
            if (reply) reply(out.take());
        });
    });
    messenger_.handle(MessageKind::kMigrate, [this](const MemberRecord&, std::string body, Messenger::Reply reply) {
        util::ByteReader in(body);
        const int p = in.i32("partition");
        if (p < 0 || p >= partitions_.partition_count()) throw util::DecodeError("migrate: partition out of range");
        std::vector<std::string> destinations(in.count("destinations", 4));
        for (auto& d : destinations) d = in.str("destination");
        partitions_.start_transfer(p, std::move(destinations), [reply](bool ok) {
            if (reply) reply(ok ? "ok" : "failed");
        });
    });
    messenger_.handle(MessageKind::kHandOff, [this](const MemberRecord&, std::string body, Messenger::Reply reply) {
        util::ByteReader in(body);
        const int p = in.i32("partition");
        if (p < 0 || p >= partitions_.partition_count()) throw util::DecodeError("hand-off: partition out of range");
        partitions_.hand_off(p, [reply](bool ok) {
            if (reply) reply(ok ? "ok" : "failed");
        });
    });
    messenger_.handle(MessageKind::kFinish, [this](const MemberRecord&, std::string body, Messenger::Reply) {
        util::ByteReader in(body);
        const int p = in.i32("partition");
        if (p < 0 || p >= partitions_.partition_count()) throw util::DecodeError("finish: partition out of range");
        partitions_.finish_transfer(p, in.boolean("committed"));
    });
}

}  // namespace shoal::cluster
