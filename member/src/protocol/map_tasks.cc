// Map service tasks: IMap calls on MapOperations, which routes each key to its partition's
// owner (forwarding to another member when this one does not own it) and gathers whole-map
// calls from every owner. Each task: decode → operation → reply (or the status as an error).
#include <atomic>
#include <limits>

#include "map/data.h"
#include "cluster/cluster_service.h"
#include "partition/map_operations.h"
#include "protocol/lock_owner.h"
#include "protocol/map_messages.h"
#include "protocol/message_names.h"
#include "protocol/protocol_service.h"
#include "protocol/task.h"
#include "util/log.h"

namespace shoal::protocol {
namespace {

const util::Logger logger("shoal.client");

using partition::OpResult;
using Value = std::optional<std::string>;
using namespace protocol::map;

partition::MapOperations& maps(TaskContext& c) { return c.service.maps(); }

// A client computes a key's partition from the same bytes as we do; a difference means the
// client and Shoal disagree about partitioning. Shoal routes by the key either way (so the data
// stays consistent), and says so once.
void check_partition(TaskContext& c, const std::string& key) {
    if (c.partition_id < 0 || !::shoal::map::is_valid_data(key)) return;
    const int ours = maps(c).partition_of(key);
    if (ours == c.partition_id) return;
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
        logger.warn("a client sent a key of partition " + std::to_string(ours) + " as partition " +
                    std::to_string(c.partition_id) + " (" + c.endpoint.client_type + " " + c.endpoint.client_version +
                    "); routing by the key");
    }
}

template <typename Op>
partition::Callback<Value> data_reply(const Reply& reply) {
    return [reply](OpResult<Value> r) {
        if (!r.ok()) return reply.failed(r.status, Op::kName);
        reply.send(DataResponse<Op>{std::move(r.value)});
    };
}

template <typename Op>
partition::Callback<bool> bool_reply(const Reply& reply) {
    return [reply](OpResult<bool> r) {
        if (!r.ok()) return reply.failed(r.status, Op::kName);
        reply.send(BoolResponse<Op>{r.value});
    };
}

template <typename Op>
partition::Callback<bool> empty_reply(const Reply& reply) {
    return [reply](OpResult<bool> r) {
        if (!r.ok()) return reply.failed(r.status, Op::kName);
        reply.send(EmptyResponse<Op>{});
    };
}

// putTransientWithMaxIdle and setWithMaxIdle answer a (null) Data.
template <typename Op>
partition::Callback<bool> null_data_reply(const Reply& reply) {
    return [reply](OpResult<bool> r) {
        if (!r.ok()) return reply.failed(r.status, Op::kName);
        reply.send(DataResponse<Op>{std::nullopt});
    };
}

template <typename Op>
partition::Callback<std::vector<std::string>> list_reply(const Reply& reply) {
    return [reply](OpResult<std::vector<std::string>> r) {
        if (!r.ok()) return reply.failed(r.status, Op::kName);
        reply.send(DataListResponse<Op>{std::move(r.value)});
    };
}

template <typename Op>
partition::Callback<std::vector<partition::Entry>> entries_reply(const Reply& reply) {
    return [reply](OpResult<std::vector<partition::Entry>> r) {
        if (!r.ok()) return reply.failed(r.status, Op::kName);
        reply.send(EntriesResponse<Op>{std::move(r.value)});
    };
}

// ---- one key ----

// Writes run as the client's thread (the lock owner): they wait while another owner holds the
// key's lock, up to `lock_wait_ms` (-1: the operation's deadline; then OperationTimeout).
using partition::KeyOperation;
using partition::KeyOpType;
using partition::KeyOutcome;
using partition::OpStatus;
using Outcome = std::function<void(OpStatus, KeyOutcome)>;

void write(TaskContext& c, KeyOperation op, std::int64_t thread_id, Outcome done, std::int64_t lock_wait_ms = -1) {
    op.lock_owner = lock_owner(c.endpoint.client_uuid, thread_id);
    op.lock_wait_ms = lock_wait_ms;
    maps(c).execute(std::move(op), std::move(done));
}

template <typename Op>
Outcome data_outcome(const Reply& reply) {
    return [reply](OpStatus status, KeyOutcome outcome) {
        if (status != OpStatus::kOk) return reply.failed(status, Op::kName);
        reply.send(DataResponse<Op>{std::move(outcome.value)});
    };
}

template <typename Op>
Outcome bool_outcome(const Reply& reply) {
    return [reply](OpStatus status, KeyOutcome outcome) {
        if (status != OpStatus::kOk) return reply.failed(status, Op::kName);
        reply.send(BoolResponse<Op>{outcome.flag});
    };
}

template <typename Op>
Outcome empty_outcome(const Reply& reply) {
    return [reply](OpStatus status, KeyOutcome) {
        if (status != OpStatus::kOk) return reply.failed(status, Op::kName);
        reply.send(EmptyResponse<Op>{});
    };
}

// putTransientWithMaxIdle and setWithMaxIdle answer a (null) Data.
template <typename Op>
Outcome null_data_outcome(const Reply& reply) {
    return [reply](OpStatus status, KeyOutcome) {
        if (status != OpStatus::kOk) return reply.failed(status, Op::kName);
        reply.send(DataResponse<Op>{std::nullopt});
    };
}

// tryPut / tryRemove: false when the key stayed locked by another owner for the timeout.
template <typename Op>
Outcome try_outcome(const Reply& reply) {
    return [reply](OpStatus status, KeyOutcome outcome) {
        if (status == OpStatus::kLocked) return reply.send(BoolResponse<Op>{false});
        if (status != OpStatus::kOk) return reply.failed(status, Op::kName);
        reply.send(BoolResponse<Op>{outcome.flag});
    };
}

KeyOperation key_op(KeyOpType type, std::string map, std::string key, std::string value = {},
                    ::shoal::map::EntryLimits limits = {}) {
    return KeyOperation::of(type, std::move(map), std::move(key), std::move(value), {}, limits);
}

template <typename Op>
KeyRequest<Op> key_request(TaskContext& c) {
    auto r = decode_request<KeyRequest<Op>>(c.request);
    check_partition(c, r.key);
    return r;
}

void get(TaskContext& c) {
    auto r = key_request<Get>(c);
    maps(c).get(std::move(r.name), std::move(r.key), data_reply<Get>(c.reply));
}

void contains_key(TaskContext& c) {
    auto r = key_request<ContainsKey>(c);
    maps(c).contains_key(std::move(r.name), std::move(r.key), bool_reply<ContainsKey>(c.reply));
}

void remove(TaskContext& c) {
    auto r = key_request<Remove>(c);
    write(c, key_op(KeyOpType::kRemove, std::move(r.name), std::move(r.key)), r.thread_id, data_outcome<Remove>(c.reply));
}

void erase(TaskContext& c) {
    auto r = key_request<Delete>(c);
    write(c, key_op(KeyOpType::kDelete, std::move(r.name), std::move(r.key)), r.thread_id, bool_outcome<Delete>(c.reply));
}

// Without a map store, evicting an entry removes it from every replica.
void evict(TaskContext& c) {
    auto r = key_request<Evict>(c);
    KeyOperation op = key_op(KeyOpType::kDelete, std::move(r.name), std::move(r.key));
    op.eviction = true;
    write(c, std::move(op), r.thread_id, bool_outcome<Evict>(c.reply));
}

void try_remove(TaskContext& c) {
    auto r = decode_request<TryRemoveRequest>(c.request);
    check_partition(c, r.key);
    write(c, key_op(KeyOpType::kDelete, std::move(r.name), std::move(r.key)), r.thread_id,
          try_outcome<TryRemove>(c.reply), std::max<std::int64_t>(0, r.timeout));
}

template <typename Op>
KeyValueTtlRequest<Op> ttl_request(TaskContext& c) {
    auto r = decode_request<KeyValueTtlRequest<Op>>(c.request);
    check_partition(c, r.key);
    return r;
}

void put(TaskContext& c) {
    auto r = ttl_request<Put>(c);
    write(c, key_op(KeyOpType::kPut, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, -1}), r.thread_id,
          data_outcome<Put>(c.reply));
}

void set(TaskContext& c) {
    auto r = ttl_request<Set>(c);
    write(c, key_op(KeyOpType::kSet, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, -1}), r.thread_id,
          empty_outcome<Set>(c.reply));
}

// Transient means "not written to the map store": Shoal has none, so it is a set.
void put_transient(TaskContext& c) {
    auto r = ttl_request<PutTransient>(c);
    write(c, key_op(KeyOpType::kSet, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, -1}), r.thread_id,
          empty_outcome<PutTransient>(c.reply));
}

void put_if_absent(TaskContext& c) {
    auto r = ttl_request<PutIfAbsent>(c);
    write(c, key_op(KeyOpType::kPutIfAbsent, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, -1}),
          r.thread_id, data_outcome<PutIfAbsent>(c.reply));
}

void try_put(TaskContext& c) {
    auto r = decode_request<TryPutRequest>(c.request);
    check_partition(c, r.key);
    write(c, key_op(KeyOpType::kSet, std::move(r.name), std::move(r.key), std::move(r.value)), r.thread_id,
          try_outcome<TryPut>(c.reply), std::max<std::int64_t>(0, r.timeout));
}

template <typename Op>
KeyValueMaxIdleRequest<Op> max_idle_request(TaskContext& c) {
    auto r = decode_request<KeyValueMaxIdleRequest<Op>>(c.request);
    check_partition(c, r.key);
    return r;
}

void put_with_max_idle(TaskContext& c) {
    auto r = max_idle_request<PutWithMaxIdle>(c);
    write(c, key_op(KeyOpType::kPut, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, r.max_idle}),
          r.thread_id, data_outcome<PutWithMaxIdle>(c.reply));
}

void put_transient_with_max_idle(TaskContext& c) {
    auto r = max_idle_request<PutTransientWithMaxIdle>(c);
    write(c, key_op(KeyOpType::kSet, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, r.max_idle}),
          r.thread_id, null_data_outcome<PutTransientWithMaxIdle>(c.reply));
}

void put_if_absent_with_max_idle(TaskContext& c) {
    auto r = max_idle_request<PutIfAbsentWithMaxIdle>(c);
    write(c, key_op(KeyOpType::kPutIfAbsent, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, r.max_idle}),
          r.thread_id, data_outcome<PutIfAbsentWithMaxIdle>(c.reply));
}

void set_with_max_idle(TaskContext& c) {
    auto r = max_idle_request<SetWithMaxIdle>(c);
    write(c, key_op(KeyOpType::kSet, std::move(r.name), std::move(r.key), std::move(r.value), {r.ttl, r.max_idle}),
          r.thread_id, null_data_outcome<SetWithMaxIdle>(c.reply));
}

void replace(TaskContext& c) {
    auto r = decode_request<KeyValueRequest<Replace>>(c.request);
    check_partition(c, r.key);
    write(c, key_op(KeyOpType::kReplace, std::move(r.name), std::move(r.key), std::move(r.value)), r.thread_id,
          data_outcome<Replace>(c.reply));
}

void replace_if_same(TaskContext& c) {
    auto r = decode_request<ReplaceIfSameRequest>(c.request);
    check_partition(c, r.key);
    write(c, KeyOperation::of(KeyOpType::kReplaceIfSame, std::move(r.name), std::move(r.key), std::move(r.value),
                              std::move(r.test_value)),
          r.thread_id, bool_outcome<ReplaceIfSame>(c.reply));
}

void remove_if_same(TaskContext& c) {
    auto r = decode_request<KeyValueRequest<RemoveIfSame>>(c.request);
    check_partition(c, r.key);
    write(c, KeyOperation::of(KeyOpType::kRemoveIfSame, std::move(r.name), std::move(r.key), {}, std::move(r.value)),
          r.thread_id, bool_outcome<RemoveIfSame>(c.reply));
}

void set_ttl(TaskContext& c) {
    auto r = decode_request<SetTtlRequest>(c.request);
    check_partition(c, r.key);
    maps(c).set_ttl(std::move(r.name), std::move(r.key), r.ttl, bool_reply<SetTtl>(c.reply));
}

// ---- several keys (sent once per partition by smart clients) ----

void get_all(TaskContext& c) {
    auto r = decode_request<GetAllRequest>(c.request);
    maps(c).get_all(std::move(r.name), std::move(r.keys), entries_reply<GetAll>(c.reply));
}

void put_all(TaskContext& c) {
    auto r = decode_request<PutAllRequest>(c.request);
    maps(c).put_all(std::move(r.name), std::move(r.entries), empty_reply<PutAll>(c.reply));
}

// ---- the whole map, over every partition of the cluster ----

void contains_value(TaskContext& c) {
    auto r = decode_request<ContainsValueRequest>(c.request);
    maps(c).contains_value(std::move(r.name), std::move(r.value), bool_reply<ContainsValue>(c.reply));
}

void size(TaskContext& c) {
    auto r = decode_request<NameRequest<Size>>(c.request);
    maps(c).size(std::move(r.name), [reply = c.reply](OpResult<std::size_t> result) {
        if (!result.ok()) return reply.failed(result.status, Size::kName);
        const auto n = std::min<std::size_t>(result.value, std::numeric_limits<std::int32_t>::max());
        reply.send(IntResponse<Size>{static_cast<std::int32_t>(n)});
    });
}

void is_empty(TaskContext& c) {
    auto r = decode_request<NameRequest<IsEmpty>>(c.request);
    maps(c).size(std::move(r.name), [reply = c.reply](OpResult<std::size_t> result) {
        if (!result.ok()) return reply.failed(result.status, IsEmpty::kName);
        reply.send(BoolResponse<IsEmpty>{result.value == 0});
    });
}

// clear and evictAll tell this member's listeners of the map (CLEAR_ALL / EVICT_ALL, with the
// number of entries removed) before answering.
template <typename Op>
void clear_map(TaskContext& c, std::int32_t event_type) {
    auto r = decode_request<NameRequest<Op>>(c.request);
    std::string name = r.name;
    maps(c).clear_and_count(std::move(r.name), [&service = c.service, reply = c.reply, name = std::move(name),
                                                 event_type](OpResult<std::size_t> result) {
        if (!result.ok()) return reply.failed(result.status, Op::kName);
        service.on_map_cleared(name, event_type, result.value);
        reply.send(EmptyResponse<Op>{});
    });
}

void clear(TaskContext& c) { clear_map<Clear>(c, entry_event::kClearAll); }

void evict_all(TaskContext& c) { clear_map<EvictAll>(c, entry_event::kEvictAll); }

// No map store: nothing to write behind.
void flush(TaskContext& c) {
    (void)decode_request<NameRequest<Flush>>(c.request);
    c.reply.send(EmptyResponse<Flush>{});
}

void key_set(TaskContext& c) {
    auto r = decode_request<NameRequest<KeySet>>(c.request);
    maps(c).key_set(std::move(r.name), list_reply<KeySet>(c.reply));
}

void values(TaskContext& c) {
    auto r = decode_request<NameRequest<Values>>(c.request);
    maps(c).values(std::move(r.name), list_reply<Values>(c.reply));
}

void entry_set(TaskContext& c) {
    auto r = decode_request<NameRequest<EntrySet>>(c.request);
    maps(c).entry_set(std::move(r.name), entries_reply<EntrySet>(c.reply));
}

// ---- entry listeners ----

ProtocolService::EntryListener listener_of(TaskContext& c, std::string map, bool include_value, std::int32_t flags,
                                           std::int32_t event_type) {
    ProtocolService::EntryListener l;
    l.connection = c.reply.connection;
    l.connection_id = c.reply.connection->id();
    l.correlation_id = c.reply.correlation_id;
    l.event_message_type = event_type;
    l.map = std::move(map);
    l.include_value = include_value;
    l.flags = flags;
    l.member_uuid = c.service.cluster().local_member().uuid;
    return l;
}

// A smart client registers on every member with localOnly, and each member reports the entries
// it owns. A unisocket client registers once, cluster-wide (localOnly false): this member then
// shares the registration with every other member, which forward their events here.
template <typename Op>
void register_listener(TaskContext& c, ProtocolService::EntryListener l, bool local_only) {
    if (local_only) {
        c.reply.send(UuidResponse<Op>{c.service.add_entry_listener(std::move(l))});
        return;
    }
    c.service.add_cluster_entry_listener(std::move(l), [reply = c.reply](util::Uuid id) {
        reply.send(UuidResponse<Op>{id});
    });
}

void add_entry_listener(TaskContext& c) {
    auto r = decode_request<AddEntryListenerRequest>(c.request);
    register_listener<AddEntryListener>(
        c, listener_of(c, std::move(r.name), r.include_value, r.listener_flags, EntryEvent<AddEntryListener>::kType),
        r.local_only);
}

void add_entry_listener_to_key(TaskContext& c) {
    auto r = decode_request<AddEntryListenerToKeyRequest>(c.request);
    if (!::shoal::map::is_valid_data(r.key)) {
        return c.reply.failed(partition::OpStatus::kInvalidArgument, AddEntryListenerToKey::kName);
    }
    auto l = listener_of(c, std::move(r.name), r.include_value, r.listener_flags, EntryEvent<AddEntryListenerToKey>::kType);
    l.key = std::string(::shoal::map::key_identity(r.key));
    register_listener<AddEntryListenerToKey>(c, std::move(l), r.local_only);
}

void remove_entry_listener(TaskContext& c) {
    const auto r = decode_request<RemoveEntryListenerRequest>(c.request);
    c.reply.send(BoolResponse<RemoveEntryListener>{c.service.remove_entry_listener(r.registration_id)});
}

}  // namespace

void register_map_tasks(TaskTable& table) {
    table[AddEntryListener::kType] = add_entry_listener;
    table[AddEntryListenerToKey::kType] = add_entry_listener_to_key;
    table[RemoveEntryListener::kType] = remove_entry_listener;
    table[Put::kType] = put;
    table[Get::kType] = get;
    table[Remove::kType] = remove;
    table[Replace::kType] = replace;
    table[ReplaceIfSame::kType] = replace_if_same;
    table[ContainsKey::kType] = contains_key;
    table[ContainsValue::kType] = contains_value;
    table[RemoveIfSame::kType] = remove_if_same;
    table[Delete::kType] = erase;
    table[Flush::kType] = flush;
    table[TryRemove::kType] = try_remove;
    table[TryPut::kType] = try_put;
    table[PutTransient::kType] = put_transient;
    table[PutIfAbsent::kType] = put_if_absent;
    table[Set::kType] = set;
    table[Evict::kType] = evict;
    table[EvictAll::kType] = evict_all;
    table[KeySet::kType] = key_set;
    table[GetAll::kType] = get_all;
    table[Values::kType] = values;
    table[EntrySet::kType] = entry_set;
    table[Size::kType] = size;
    table[IsEmpty::kType] = is_empty;
    table[PutAll::kType] = put_all;
    table[Clear::kType] = clear;
    table[SetTtl::kType] = set_ttl;
    table[PutWithMaxIdle::kType] = put_with_max_idle;
    table[PutTransientWithMaxIdle::kType] = put_transient_with_max_idle;
    table[PutIfAbsentWithMaxIdle::kType] = put_if_absent_with_max_idle;
    table[SetWithMaxIdle::kType] = set_with_max_idle;
}

}  // namespace shoal::protocol
