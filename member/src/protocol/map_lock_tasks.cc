// Map lock tasks: IMap.lock, tryLock, unlock, isLocked, forceUnlock. A lock lives with its key's
// partition, on the owner's partition thread (map/lock_table.h); each call is one key
// operation routed there like any other. Its owner is the client plus its thread id
// (lock_owner.h), so the lock is reentrant per client thread, and writes from other owners wait
// while it is held (partition_service.cc answers them kLocked; MapOperations retries).
//
// Waiting for a lock held by another owner happens here, not on the partition thread: the
// attempt is repeated (20 ms apart, then up to 200 ms) until it succeeds, the tryLock timeout
// passes, or the client's connection closes; lock() waits without a time limit, as Hazelcast's.
// A lock taken for a connection that closed meanwhile is given back at once.
#include <algorithm>
#include <chrono>
#include <memory>

#include "map/data.h"
#include "partition/map_operations.h"
#include "protocol/lock_owner.h"
#include "protocol/map_messages.h"
#include "protocol/protocol_service.h"
#include "protocol/task.h"

namespace shoal::protocol {
namespace {

using namespace protocol::map;
using partition::KeyOperation;
using partition::KeyOpType;
using partition::KeyOutcome;
using partition::OpStatus;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kFirstRetry{20};
constexpr std::chrono::milliseconds kMaxRetry{200};

KeyOperation lock_call(KeyOpType type, std::string map, std::string key, std::string owner = {}) {
    KeyOperation op = KeyOperation::of(type, std::move(map), std::move(key));
    op.lock_owner = std::move(owner);
    op.lock_wait_ms = 0;
    return op;
}

// One lock() or tryLock() in progress.
struct LockWait : std::enable_shared_from_this<LockWait> {
    ProtocolService& service;
    Reply reply;
    KeyOperation op;
    std::optional<Clock::time_point> deadline;  // nullopt: lock(), waits as long as it takes
    bool is_try = false;
    std::chrono::milliseconds delay = kFirstRetry;

    LockWait(ProtocolService& s, Reply r, KeyOperation o) : service(s), reply(std::move(r)), op(std::move(o)) {}

    void answer(bool acquired) const {
        if (is_try) {
            reply.send(BoolResponse<TryLock>{acquired});
        } else {
            reply.send(EmptyResponse<Lock>{});
        }
    }

    void attempt() {
        auto self = shared_from_this();
        service.maps().execute(op, [self](OpStatus status, KeyOutcome outcome) {
            if (status != OpStatus::kOk) return self->reply.failed(status, self->is_try ? TryLock::kName : Lock::kName);
            if (outcome.flag) return self->acquired();
            self->wait_more();
        });
    }

    void acquired() {
        if (service.lock_user_connected(reply.connection->id())) return answer(true);
        // The client left while we waited: its locks were released; give this one back too.
        service.maps().execute(lock_call(KeyOpType::kUnlock, op.map, op.key, op.lock_owner), [](OpStatus, KeyOutcome) {});
    }

    void wait_more() {
        if (!service.lock_user_connected(reply.connection->id())) return;  // the client left
        const auto now = Clock::now();
        if (deadline && now >= *deadline) return answer(false);
        auto wait = delay;
        if (deadline) {
            // The last attempt is at the deadline itself.
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*deadline - now));
        }
        auto self = shared_from_this();
        if (!service.maps().later(wait, [self] { self->attempt(); })) return answer(false);  // no timer: no spin
        delay = std::min(kMaxRetry, delay * 2);
    }
};

// Lock and TryLock: the same wait for the key's lock, owned by the client's thread, with a lease.
std::shared_ptr<LockWait> start_lock_wait(TaskContext& c, std::string name, std::string key, std::int64_t thread_id,
                                          std::int64_t lease_ms) {
    c.service.note_lock_user(c.reply.connection->id(), c.endpoint.client_uuid);
    KeyOperation op = lock_call(KeyOpType::kLock, std::move(name), std::move(key), lock_owner(c.endpoint.client_uuid, thread_id));
    op.ttl_ms = lease_ms;
    return std::make_shared<LockWait>(c.service, c.reply, std::move(op));
}

void lock(TaskContext& c) {
    auto r = decode_request<LockRequest>(c.request);
    if (!::shoal::map::is_valid_data(r.key)) return c.reply.failed(OpStatus::kInvalidArgument, Lock::kName);
    start_lock_wait(c, std::move(r.name), std::move(r.key), r.thread_id, r.ttl)->attempt();
}

void try_lock(TaskContext& c) {
    auto r = decode_request<TryLockRequest>(c.request);
    if (!::shoal::map::is_valid_data(r.key)) return c.reply.failed(OpStatus::kInvalidArgument, TryLock::kName);
    auto wait = start_lock_wait(c, std::move(r.name), std::move(r.key), r.thread_id, r.lease);
    wait->is_try = true;
    // A timeout of at most 0 tries once; a huge one (Long.MAX_VALUE) is as good as forever.
    constexpr std::int64_t kForever = std::int64_t{1} << 40;
    if (r.timeout < kForever) wait->deadline = Clock::now() + std::chrono::milliseconds(std::max<std::int64_t>(0, r.timeout));
    wait->attempt();
}

void unlock(TaskContext& c) {
    auto r = decode_request<UnlockRequest>(c.request);
    c.service.maps().execute(lock_call(KeyOpType::kUnlock, std::move(r.name), std::move(r.key),
                                       lock_owner(c.endpoint.client_uuid, r.thread_id)),
                             [reply = c.reply](OpStatus status, KeyOutcome outcome) {
                                 if (status != OpStatus::kOk) return reply.failed(status, Unlock::kName);
                                 if (!outcome.flag) {
                                     return reply.error(ErrorCode::kIllegalMonitorState,
                                                        "Current thread is not owner of the lock!");
                                 }
                                 reply.send(EmptyResponse<Unlock>{});
                             });
}

void is_locked(TaskContext& c) {
    auto r = decode_request<IsLockedRequest>(c.request);
    c.service.maps().execute(lock_call(KeyOpType::kIsLocked, std::move(r.name), std::move(r.key)),
                             [reply = c.reply](OpStatus status, KeyOutcome outcome) {
                                 if (status != OpStatus::kOk) return reply.failed(status, IsLocked::kName);
                                 reply.send(BoolResponse<IsLocked>{outcome.flag});
                             });
}

void force_unlock(TaskContext& c) {
    auto r = decode_request<ForceUnlockRequest>(c.request);
    c.service.maps().execute(lock_call(KeyOpType::kForceUnlock, std::move(r.name), std::move(r.key)),
                             [reply = c.reply](OpStatus status, KeyOutcome) {
                                 if (status != OpStatus::kOk) return reply.failed(status, ForceUnlock::kName);
                                 reply.send(EmptyResponse<ForceUnlock>{});
                             });
}

}  // namespace

void register_map_lock_tasks(TaskTable& table) {
    table[Lock::kType] = lock;
    table[TryLock::kType] = try_lock;
    table[Unlock::kType] = unlock;
    table[IsLocked::kType] = is_locked;
    table[ForceUnlock::kType] = force_unlock;
}

}  // namespace shoal::protocol
