// The client protocol on a real member's port, spoken over a socket as a client would:
// authentication, the cluster-view events before the listener's response, map calls, and the
// error paths (unsupported and unknown messages, requests before authentication, a wrong
// cluster name, malformed parameters, broken framing).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster_service.h"
#include "map/data.h"
#include "member_fixture.h"
#include "partition/map_operations.h"
#include "protocol/client_messages.h"
#include "protocol/frame_reader.h"
#include "protocol/map_messages.h"

namespace shoal::protocol {
namespace {

using namespace std::chrono_literals;

// A blocking client socket that speaks frames.
class RawClient {
public:
    explicit RawClient(int port, const std::string& host = "127.0.0.1") : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        inet_pton(AF_INET, host.c_str(), &address.sin_addr);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        if (connected_) write_bytes("CP2");
    }
    ~RawClient() { ::close(fd_); }

    bool connected() const { return connected_; }
    void write_bytes(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;
            sent += static_cast<std::size_t>(n);
        }
    }
    void send(const ClientMessage& m) { write_bytes(to_wire(m)); }

    // The next whole message, or nullopt when the member closed the connection or `timeout` passed.
    std::optional<ClientMessage> next(std::chrono::milliseconds timeout = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (pending_.empty()) {
            if (std::chrono::steady_clock::now() >= deadline || closed_) return std::nullopt;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            char buffer[65536];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) {
                closed_ = true;
                return std::nullopt;
            }
            EXPECT_TRUE(reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)), pending_)) << reader_.error();
        }
        ClientMessage m = std::move(pending_.front());
        pending_.erase(pending_.begin());
        return m;
    }

    // True when the member closes the connection within `timeout` (anything it sends first is read).
    bool closed_within(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!closed_ && std::chrono::steady_clock::now() < deadline) next(20ms);
        return closed_;
    }

private:
    int fd_;
    bool connected_ = false;
    bool closed_ = false;
    FrameReader reader_;
    std::vector<ClientMessage> pending_;
};

client::AuthenticationRequest auth_request(const std::string& cluster_name = "dev") {
    client::AuthenticationRequest r;
    r.cluster_name = cluster_name;
    r.uuid = util::Uuid::random();
    r.client_type = "CPP";
    r.client_hazelcast_version = "5.3.0";
    r.client_name = "protocol-test";
    return r;
}

ErrorHolder expect_error(const std::optional<ClientMessage>& m, std::int64_t correlation_id, int code) {
    EXPECT_TRUE(m.has_value()) << "no answer";
    if (!m) return {};
    EXPECT_EQ(m->type(), 0) << "not an error response";
    EXPECT_EQ(m->correlation_id(), correlation_id);
    const auto e = decode_response<client::ErrorResponse>(*m);
    EXPECT_EQ(e.errors.size(), 1u);
    if (e.errors.empty()) return {};
    EXPECT_EQ(e.errors[0].error_code, code) << e.errors[0].message.value_or("");
    return e.errors[0];
}

class ProtocolServer : public test::MemberFixture {
protected:
    // Connects and authenticates; the response is checked.
    std::unique_ptr<RawClient> authenticated() {
        auto c = std::make_unique<RawClient>(port());
        EXPECT_TRUE(c->connected());
        c->send(encode_request(auth_request(), 1));
        const auto m = c->next();
        EXPECT_TRUE(m.has_value());
        if (m) {
            const auto r = decode_response<client::AuthenticationResponse>(*m);
            EXPECT_EQ(r.status, client::kAuthenticated);
        }
        return c;
    }
};

TEST_F(ProtocolServer, AuthenticationAnswersTheMembersIdentity) {
    RawClient c(port());
    ASSERT_TRUE(c.connected());
    c.send(encode_request(auth_request(), 1));
    const auto m = c.next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->type(), client::AuthenticationResponse::kType);
    EXPECT_EQ(m->correlation_id(), 1);
    const auto r = decode_response<client::AuthenticationResponse>(*m);
    const auto self = member().cluster().local_member();
    EXPECT_EQ(r.status, client::kAuthenticated);
    ASSERT_TRUE(r.address.has_value());
    EXPECT_EQ(r.address->host, self.host);
    EXPECT_EQ(r.address->port, self.port);
    EXPECT_EQ(r.member_uuid, self.uuid);
    EXPECT_EQ(r.serialization_version, 1);
    EXPECT_EQ(r.partition_count, 271);
    EXPECT_EQ(r.cluster_id, member().cluster().view().cluster_id);
    EXPECT_FALSE(r.cluster_id.is_nil());
    EXPECT_EQ(r.server_hazelcast_version, "5.3.0");

    c.send(encode_request(client::PingRequest{}, 2));
    const auto pong = c.next();
    ASSERT_TRUE(pong.has_value());
    EXPECT_EQ(pong->type(), client::PingResponse::kType);
    EXPECT_EQ(pong->correlation_id(), 2);
}

TEST_F(ProtocolServer, ClusterViewEventsPrecedeTheListenerResponse) {
    auto c = authenticated();
    c->send(encode_request(client::AddClusterViewListenerRequest{}, 5));
    const auto members = c->next();
    ASSERT_TRUE(members.has_value());
    EXPECT_TRUE(members->frames[0].has(flag::kIsEvent));
    EXPECT_EQ(members->correlation_id(), 5);
    const auto view = decode_event<client::MembersViewEvent>(*members);
    ASSERT_EQ(view.members.size(), 1u);
    const auto self = member().cluster().local_member();
    EXPECT_EQ(view.members[0].uuid, self.uuid);
    EXPECT_EQ(view.members[0].address, (Address{self.host, self.port}));
    EXPECT_GE(view.version, 1);

    const auto partitions = c->next();
    ASSERT_TRUE(partitions.has_value());
    EXPECT_EQ(partitions->type(), client::PartitionsViewEvent::kType);
    const auto table = decode_event<client::PartitionsViewEvent>(*partitions);
    ASSERT_EQ(table.partitions.entries.size(), 1u);
    EXPECT_EQ(table.partitions.entries[0].first, self.uuid);
    EXPECT_EQ(table.partitions.entries[0].second.size(), 271u);
    EXPECT_GE(table.version, 1);

    const auto response = c->next();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->type(), client::AddClusterViewListenerResponse::kType);
    EXPECT_EQ(response->correlation_id(), 5);
}

TEST_F(ProtocolServer, MapCallsAreServedAndStoreTheClientsBytes) {
    using namespace protocol::map;
    auto c = authenticated();
    const std::string key = ::shoal::map::string_data("key");
    const std::string value = ::shoal::map::string_data("Paris");
    // The Node.js client's partition for its string 'key' (see partition_hash_test.cc).
    EXPECT_EQ(member().maps().partition_of(key), 80);
    c->send(encode_request(KeyValueTtlRequest<Put>{"cities", key, value, 0, -1}, 10, 80));
    auto m = c->next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->type(), DataResponse<Put>::kType);
    EXPECT_EQ(decode_response<DataResponse<Put>>(*m).response, std::nullopt);

    c->send(encode_request(KeyRequest<Get>{"cities", key, 0}, 11, 80));
    m = c->next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(decode_response<DataResponse<Get>>(*m).response, value);
    // Readable through REST: the same Data.
    EXPECT_EQ(get("/hazelcast/rest/maps/cities/key").body, "Paris");

    c->send(encode_request(NameRequest<Size>{"cities"}, 12));
    m = c->next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(decode_response<IntResponse<Size>>(*m).response, 1);

    c->send(encode_request(KeyValueRequest<RemoveIfSame>{"cities", key, value, 0}, 13, 80));
    m = c->next();
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(decode_response<BoolResponse<RemoveIfSame>>(*m).response);

    // A key too short to be a Data is refused with IllegalArgument.
    c->send(encode_request(KeyRequest<Get>{"cities", "abc", 0}, 14));
    expect_error(c->next(), 14, 23);
}

TEST_F(ProtocolServer, EntryListenerHearsAddedUpdatedRemovedBeforeTheWriteIsAnswered) {
    using namespace protocol::map;
    auto c = authenticated();
    c->send(encode_request(AddEntryListenerRequest{"watched", true, entry_event::kAdded | entry_event::kUpdated | entry_event::kRemoved, true}, 40));
    auto m = c->next();
    ASSERT_TRUE(m.has_value());
    ASSERT_EQ(m->type(), UuidResponse<AddEntryListener>::kType);
    const util::Uuid registration = decode_response<UuidResponse<AddEntryListener>>(*m).response;
    const std::string key = ::shoal::map::string_data("k");
    const std::string v1 = ::shoal::map::string_data("one");
    const std::string v2 = ::shoal::map::string_data("two");
    const auto expect_event = [&](std::int32_t type, const std::optional<std::string>& value,
                                  const std::optional<std::string>& old_value) {
        const auto e = c->next();
        ASSERT_TRUE(e.has_value());
        ASSERT_TRUE(e->frames[0].has(flag::kIsEvent)) << "the event comes before the write's response";
        EXPECT_EQ(e->type(), EntryEvent<AddEntryListener>::kType);
        EXPECT_EQ(e->correlation_id(), 40);
        EXPECT_EQ(e->partition_id(), member().maps().partition_of(key));
        const auto event = decode_event<EntryEvent<AddEntryListener>>(*e);
        EXPECT_EQ(event.event_type, type);
        EXPECT_EQ(event.key, key);
        EXPECT_EQ(event.value, value);
        EXPECT_EQ(event.old_value, old_value);
        EXPECT_EQ(event.uuid, member().cluster().local_member().uuid);
    };
    const auto expect_response = [&](std::int64_t correlation_id) {
        const auto r = c->next();
        ASSERT_TRUE(r.has_value());
        EXPECT_FALSE(r->frames[0].has(flag::kIsEvent));
        EXPECT_EQ(r->correlation_id(), correlation_id);
    };
    c->send(encode_request(KeyValueTtlRequest<Set>{"watched", key, v1, 0, -1}, 41));
    expect_event(entry_event::kAdded, v1, std::nullopt);
    expect_response(41);
    c->send(encode_request(KeyValueTtlRequest<Put>{"watched", key, v2, 0, -1}, 42));
    expect_event(entry_event::kUpdated, v2, v1);
    expect_response(42);
    c->send(encode_request(KeyValueTtlRequest<PutIfAbsent>{"watched", key, v1, 0, -1}, 43));
    expect_response(43);  // present: nothing changed, no event
    c->send(encode_request(KeyRequest<Delete>{"watched", key, 0}, 44));
    expect_event(entry_event::kRemoved, std::nullopt, v2);
    expect_response(44);
    // Another map's writes are not heard; after removal nothing is.
    c->send(encode_request(KeyValueTtlRequest<Set>{"other", key, v1, 0, -1}, 45));
    expect_response(45);
    c->send(encode_request(RemoveEntryListenerRequest{"watched", registration}, 46));
    m = c->next();
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(decode_response<BoolResponse<RemoveEntryListener>>(*m).response);
    c->send(encode_request(KeyValueTtlRequest<Set>{"watched", key, v1, 0, -1}, 47));
    expect_response(47);
    // A cluster-wide registration (a unisocket client's): a member of its own owns every key,
    // so it hears every write, as a local one would.
    c->send(encode_request(AddEntryListenerRequest{"watched", false, entry_event::kAdded, false}, 48));
    m = c->next();
    ASSERT_TRUE(m.has_value());
    ASSERT_EQ(m->type(), UuidResponse<AddEntryListener>::kType);
    c->send(encode_request(KeyRequest<Delete>{"watched", key, 0}, 49));
    expect_response(49);  // REMOVED was not asked for
    c->send(encode_request(KeyValueTtlRequest<Set>{"watched", key, v1, 0, -1}, 50));
    const auto e = c->next();
    ASSERT_TRUE(e.has_value());
    ASSERT_TRUE(e->frames[0].has(flag::kIsEvent));
    EXPECT_EQ(e->correlation_id(), 48);
    const auto event = decode_event<EntryEvent<AddEntryListener>>(*e);
    EXPECT_EQ(event.event_type, entry_event::kAdded);
    EXPECT_EQ(event.key, key);
    EXPECT_EQ(event.value, std::nullopt) << "values were not asked for";
    EXPECT_EQ(event.uuid, member().cluster().local_member().uuid);
    expect_response(50);
}

TEST_F(ProtocolServer, EntryListenerHearsEvictedAndExpired) {
    using namespace protocol::map;
    auto c = authenticated();
    c->send(encode_request(AddEntryListenerRequest{"aging", true,
                                                   entry_event::kAdded | entry_event::kRemoved | entry_event::kEvicted |
                                                       entry_event::kExpired,
                                                   true},
                           40));
    auto m = c->next();
    ASSERT_TRUE(m.has_value());
    ASSERT_EQ(m->type(), UuidResponse<AddEntryListener>::kType);
    const std::string kept = ::shoal::map::string_data("kept");
    const std::string brief = ::shoal::map::string_data("brief");
    const std::string v = ::shoal::map::string_data("v");
    // The next event (responses in between are skipped).
    const auto next_event = [&](std::chrono::milliseconds timeout) -> std::optional<EntryEvent<AddEntryListener>> {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            auto e = c->next(20ms);
            if (e && e->frames[0].has(flag::kIsEvent)) return decode_event<EntryEvent<AddEntryListener>>(*e);
        }
        return std::nullopt;
    };
    c->send(encode_request(KeyValueTtlRequest<Set>{"aging", kept, v, 0, -1}, 41));
    auto e = next_event(5s);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->event_type, entry_event::kAdded);
    c->send(encode_request(KeyRequest<Evict>{"aging", kept, 0}, 42));
    e = next_event(5s);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->event_type, entry_event::kEvicted) << "evict is not a remove";
    EXPECT_EQ(e->key, kept);
    EXPECT_EQ(e->old_value, v);
    // A TTL of 100 ms: the owner's sweep (or a read) removes it and tells EXPIRED, old value set.
    c->send(encode_request(KeyValueTtlRequest<Set>{"aging", brief, v, 0, 100}, 43));
    e = next_event(5s);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->event_type, entry_event::kAdded);
    e = next_event(5s);
    ASSERT_TRUE(e.has_value()) << "no EXPIRED event";
    EXPECT_EQ(e->event_type, entry_event::kExpired);
    EXPECT_EQ(e->key, brief);
    EXPECT_EQ(e->value, std::nullopt);
    EXPECT_EQ(e->old_value, v);
    EXPECT_FALSE(next_event(300ms).has_value()) << "one expiry, one event";
}

TEST_F(ProtocolServer, ClearAndEvictAllTellListenersHowManyEntriesWent) {
    using namespace protocol::map;
    auto c = authenticated();
    c->send(encode_request(AddEntryListenerRequest{"cleared", false, entry_event::kClearAll | entry_event::kEvictAll, true}, 40));
    ASSERT_TRUE(c->next().has_value());
    const auto next_event = [&](std::chrono::milliseconds timeout) -> std::optional<EntryEvent<AddEntryListener>> {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            auto e = c->next(20ms);
            if (e && e->frames[0].has(flag::kIsEvent)) return decode_event<EntryEvent<AddEntryListener>>(*e);
        }
        return std::nullopt;
    };
    for (int i = 0; i < 3; ++i) {
        c->send(encode_request(KeyValueTtlRequest<Set>{"cleared", ::shoal::map::string_data("k" + std::to_string(i)),
                                                       ::shoal::map::string_data("v"), 0, -1},
                               41 + i));
    }
    c->send(encode_request(NameRequest<Clear>{"cleared"}, 50));
    auto e = next_event(5s);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->event_type, entry_event::kClearAll);
    EXPECT_EQ(e->key, std::nullopt);
    EXPECT_EQ(e->number_of_affected_entries, 3);
    c->send(encode_request(NameRequest<EvictAll>{"cleared"}, 51));  // nothing left: no event
    EXPECT_FALSE(next_event(300ms).has_value());
    c->send(encode_request(KeyValueTtlRequest<Set>{"cleared", ::shoal::map::string_data("k"), ::shoal::map::string_data("v"), 0, -1}, 52));
    c->send(encode_request(NameRequest<EvictAll>{"cleared"}, 53));
    e = next_event(5s);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->event_type, entry_event::kEvictAll);
    EXPECT_EQ(e->number_of_affected_entries, 1);
}

// ---- key locks ----

// The answer to `correlation_id`, skipping nothing: locks send no events.
std::optional<ClientMessage> answer(RawClient& c, std::int64_t correlation_id, std::chrono::milliseconds timeout = 5s) {
    auto m = c.next(timeout);
    if (m) {
        EXPECT_EQ(m->correlation_id(), correlation_id);
    }
    return m;
}

bool bool_answer(RawClient& c, std::int64_t correlation_id) {
    using namespace protocol::map;
    const auto m = answer(c, correlation_id);
    EXPECT_TRUE(m.has_value());
    EXPECT_NE(m ? m->type() : 0, 0) << "an error response";
    return m && m->type() != 0 && decode_response<BoolResponse<TryLock>>(*m).response;
}

TEST_F(ProtocolServer, LocksAreReentrantPerClientThreadAndOtherOwnersWait) {
    using namespace protocol::map;
    auto a = authenticated();
    auto b = authenticated();
    const std::string key = ::shoal::map::string_data("locked");
    const std::string value = ::shoal::map::string_data("v");
    a->send(encode_request(LockRequest{"m", key, 1, -1, 0}, 10));
    auto m = answer(*a, 10);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->type(), EmptyResponse<Lock>::kType);
    a->send(encode_request(LockRequest{"m", key, 1, -1, 0}, 11));  // reentrant: count 2
    ASSERT_TRUE(answer(*a, 11).has_value());
    b->send(encode_request(IsLockedRequest{"m", key}, 12));
    EXPECT_TRUE(bool_answer(*b, 12));
    // Another client (and another thread of the same client) is another owner.
    b->send(encode_request(TryLockRequest{"m", key, 1, -1, 0, 0}, 13));
    EXPECT_FALSE(bool_answer(*b, 13));
    const auto started = std::chrono::steady_clock::now();
    a->send(encode_request(TryLockRequest{"m", key, 2, -1, 150, 0}, 14));
    EXPECT_FALSE(bool_answer(*a, 14));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
    // The owner writes at once; another owner's tryPut gives up after its timeout.
    a->send(encode_request(KeyValueTtlRequest<Put>{"m", key, value, 1, -1}, 15));
    m = answer(*a, 15);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->type(), DataResponse<Put>::kType);
    b->send(encode_request(TryPutRequest{"m", key, value, 1, 50}, 16));
    m = answer(*b, 16);
    ASSERT_TRUE(m.has_value());
    EXPECT_FALSE(decode_response<BoolResponse<TryPut>>(*m).response);
    // Unlock by a non-owner: IllegalMonitorStateException.
    b->send(encode_request(UnlockRequest{"m", key, 1, 0}, 17));
    expect_error(answer(*b, 17), 17, 26);
    // A write of another owner waits for the lock, and goes through once it is released.
    b->send(encode_request(KeyRequest<Delete>{"m", key, 1}, 18));
    EXPECT_FALSE(b->next(200ms).has_value()) << "the delete must wait while the key is locked";
    a->send(encode_request(UnlockRequest{"m", key, 1, 0}, 19));
    ASSERT_TRUE(answer(*a, 19).has_value());
    EXPECT_FALSE(b->next(200ms).has_value()) << "locked twice: still held after one unlock";
    a->send(encode_request(UnlockRequest{"m", key, 1, 0}, 20));
    ASSERT_TRUE(answer(*a, 20).has_value());
    m = answer(*b, 18);
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(decode_response<BoolResponse<Delete>>(*m).response);
    b->send(encode_request(IsLockedRequest{"m", key}, 21));
    EXPECT_FALSE(bool_answer(*b, 21));
    // REST writes (no owner) wait too, and so are answered once the lock is gone.
    a->send(encode_request(LockRequest{"m", key, 1, 300, 0}, 22));
    ASSERT_TRUE(answer(*a, 22).has_value());
    const auto rest_started = std::chrono::steady_clock::now();
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/m/locked", "x", "text/plain").status, 200);
    EXPECT_GE(std::chrono::steady_clock::now() - rest_started, 200ms) << "the REST write waited for the lease";
}

TEST_F(ProtocolServer, LeasesExpireAndForceUnlockReleasesAnyOwnersLock) {
    using namespace protocol::map;
    auto a = authenticated();
    auto b = authenticated();
    const std::string key = ::shoal::map::string_data("leased");
    a->send(encode_request(LockRequest{"m", key, 1, 200, 0}, 10));
    ASSERT_TRUE(answer(*a, 10).has_value());
    // b waits (tryLock with a 5 s timeout) and gets the lock when the 200 ms lease runs out.
    const auto started = std::chrono::steady_clock::now();
    b->send(encode_request(TryLockRequest{"m", key, 7, -1, 5000, 0}, 11));
    EXPECT_TRUE(bool_answer(*b, 11));
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 100ms);
    EXPECT_LT(waited, 3s);
    a->send(encode_request(TryLockRequest{"m", key, 1, -1, 0, 0}, 12));
    EXPECT_FALSE(bool_answer(*a, 12));
    a->send(encode_request(ForceUnlockRequest{"m", key, 0}, 13));
    ASSERT_TRUE(answer(*a, 13).has_value());
    a->send(encode_request(IsLockedRequest{"m", key}, 14));
    EXPECT_FALSE(bool_answer(*a, 14));
    a->send(encode_request(TryLockRequest{"m", key, 1, -1, 0, 0}, 15));
    EXPECT_TRUE(bool_answer(*a, 15));
}

TEST_F(ProtocolServer, LocksOfAClientThatDisconnectsAreReleasedAndItsWaiterGetsThem) {
    using namespace protocol::map;
    auto a = authenticated();
    auto b = authenticated();
    const std::string k1 = ::shoal::map::string_data("k1");
    const std::string k2 = ::shoal::map::string_data("k2");
    a->send(encode_request(LockRequest{"m", k1, 1, -1, 0}, 10));
    ASSERT_TRUE(answer(*a, 10).has_value());
    a->send(encode_request(LockRequest{"other", k2, 5, -1, 0}, 11));
    ASSERT_TRUE(answer(*a, 11).has_value());
    b->send(encode_request(LockRequest{"m", k1, 1, -1, 0}, 12));  // waits without a limit
    EXPECT_FALSE(b->next(200ms).has_value());
    a.reset();  // the client goes away
    const auto m = answer(*b, 12, 10s);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->type(), EmptyResponse<Lock>::kType);
    b->send(encode_request(IsLockedRequest{"other", k2}, 13));
    EXPECT_FALSE(bool_answer(*b, 13));
}

TEST_F(ProtocolServer, UnsupportedAndUnknownMessagesGetAnErrorAndTheConnectionStays) {
    auto c = authenticated();
    ClientMessage lock;
    lock.frames.push_back(Frame{flag::kUnfragmented, std::string(kRequestHeaderSize + 32, '\0')});
    write_le<std::int32_t>(lock.frames[0].content, 0, 0x011400);
    write_le<std::int64_t>(lock.frames[0].content, 4, 20);
    lock.frames.push_back(Frame{0, "m"});
    c->send(lock);
    auto e = expect_error(c->next(), 20, 61);
    EXPECT_NE(e.message.value_or("").find("Map.addInterceptor (0x011400) is not supported"), std::string::npos) << *e.message;
    EXPECT_EQ(e.class_name, "java.lang.UnsupportedOperationException");

    write_le<std::int32_t>(lock.frames[0].content, 0, 0x7F0000);
    write_le<std::int64_t>(lock.frames[0].content, 4, 21);
    c->send(lock);
    e = expect_error(c->next(), 21, 61);
    EXPECT_NE(e.message.value_or("").find("message type 0x7F0000"), std::string::npos) << *e.message;

    c->send(encode_request(client::PingRequest{}, 22));
    const auto pong = c->next();
    ASSERT_TRUE(pong.has_value());
    EXPECT_EQ(pong->correlation_id(), 22);
}

TEST_F(ProtocolServer, MalformedParametersGetAnErrorResponse) {
    auto c = authenticated();
    ClientMessage get = encode_request(map::KeyRequest<map::Get>{"m", ::shoal::map::string_data("k"), 0}, 30);
    get.frames.pop_back();  // no key frame
    c->send(get);
    const auto e = expect_error(c->next(), 30, 23);
    EXPECT_NE(e.message.value_or("").find("malformed Map.get"), std::string::npos) << *e.message;
    // A request header too short for the partition id.
    ClientMessage short_header;
    short_header.frames.push_back(Frame{flag::kUnfragmented, std::string(13, '\0')});
    write_le<std::int32_t>(short_header.frames[0].content, 0, 0x000B00);
    write_le<std::int64_t>(short_header.frames[0].content, 4, 31);
    c->send(short_header);
    expect_error(c->next(), 31, 23);
}

TEST_F(ProtocolServer, RequestsBeforeAuthenticationAreRefused) {
    RawClient c(port());
    c.send(encode_request(client::PingRequest{}, 3));
    const auto e = expect_error(c.next(), 3, 3);
    EXPECT_NE(e.message.value_or("").find("before authentication"), std::string::npos);
}

TEST_F(ProtocolServer, WrongClusterNameIsRefusedThenClosed) {
    RawClient c(port());
    c.send(encode_request(auth_request("other"), 1));
    const auto m = c.next();
    ASSERT_TRUE(m.has_value());
    const auto r = decode_response<client::AuthenticationResponse>(*m);
    EXPECT_EQ(r.status, client::kCredentialsFailed);
    EXPECT_TRUE(c.closed_within(5s));
}

TEST_F(ProtocolServer, BrokenFramingClosesTheConnection) {
    RawClient c(port());
    std::string bad(kFrameHeaderSize, '\0');
    write_le<std::int32_t>(bad, 0, 3);  // shorter than its own header
    c.write_bytes(bad);
    EXPECT_TRUE(c.closed_within(5s));
    // The member goes on serving others.
    auto other = authenticated();
    other->send(encode_request(client::PingRequest{}, 9));
    EXPECT_TRUE(other->next().has_value());
}

// Two members in one process: a client listening to the cluster view of the first hears of the
// second as it joins (MembersView), then of the partitions it takes over (PartitionsView).
TEST(ProtocolClusterView, ListenersHearOfJoinsAndPartitionMoves) {
    const std::string hosts[2] = {test::unique_loopback_address(), test::unique_loopback_address()};
    auto make = [&](int i) {
        config::MemberConfig config;
        config.cluster_name = "protocol-view";
        config.local_address = hosts[i];
        config.network.port = 5701;
        config.partition_thread_count = 2;
        config.io_thread_count = 1;
        config.network.join.tcp_ip.enabled = true;
        for (const auto& h : hosts) config.network.join.tcp_ip.members.push_back(h);
        auto m = std::make_unique<app::Member>(config);
        m->start();
        return m;
    };
    auto first = make(0);
    RawClient c(first->port(), hosts[0]);
    ASSERT_TRUE(c.connected());
    auto auth = auth_request("protocol-view");
    c.send(encode_request(auth, 1));
    ASSERT_TRUE(c.next().has_value());
    c.send(encode_request(client::AddClusterViewListenerRequest{}, 2));
    std::vector<ClientMessage> initial;
    for (int i = 0; i < 3; ++i) {
        auto m = c.next();
        ASSERT_TRUE(m.has_value());
        initial.push_back(std::move(*m));
    }
    const auto members_before = decode_event<client::MembersViewEvent>(initial[0]);
    ASSERT_EQ(members_before.members.size(), 1u);

    auto second = make(1);
    const util::Uuid second_uuid = second->cluster().local_member().uuid;
    bool saw_two_members = false;
    bool saw_second_owning = false;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!(saw_two_members && saw_second_owning) && std::chrono::steady_clock::now() < deadline) {
        auto m = c.next(500ms);
        if (!m) continue;
        ASSERT_TRUE(m->frames[0].has(flag::kIsEvent));
        EXPECT_EQ(m->correlation_id(), 2);
        if (m->type() == client::MembersViewEvent::kType) {
            const auto view = decode_event<client::MembersViewEvent>(*m);
            EXPECT_GT(view.version, members_before.version);
            saw_two_members = saw_two_members || view.members.size() == 2;
        } else if (m->type() == client::PartitionsViewEvent::kType) {
            const auto table = decode_event<client::PartitionsViewEvent>(*m);
            std::size_t partitions = 0;
            for (const auto& [owner, ids] : table.partitions.entries) {
                partitions += ids.size();
                if (owner == second_uuid && !ids.empty()) saw_second_owning = true;
            }
            EXPECT_EQ(partitions, 271u) << "every partition has one owner in each view";
        }
    }
    EXPECT_TRUE(saw_two_members) << "no MembersView with the joined member";
    EXPECT_TRUE(saw_second_owning) << "no PartitionsView giving the joined member partitions";
    second->shutdown();
    first->shutdown();
}

}  // namespace
}  // namespace shoal::protocol
