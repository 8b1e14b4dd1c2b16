// Fuzzes the client protocol's input side: arbitrary bytes, fed in arbitrary chunks, go through
// the FrameReader (lengths, flags, fragments, bounds) and every whole message through every
// decoder Shoal uses. Nothing may crash, hang or allocate without bound; the reader either
// yields messages or reports an error; a decoder either throws util::DecodeError or yields a
// value that encodes and decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "protocol/client_messages.h"
#include "protocol/frame_reader.h"
#include "protocol/map_messages.h"
#include "protocol/message_names.h"

namespace {

using namespace shoal::protocol;
namespace m = shoal::protocol::map;

enum class Kind { kRequest, kResponse, kEvent };

template <typename M, Kind kind>
void try_decode(const ClientMessage& message) {
    try {
        M first;
        if constexpr (kind == Kind::kRequest) first = decode_request<M>(message);
        else if constexpr (kind == Kind::kResponse) first = decode_response<M>(message);
        else first = decode_event<M>(message);
        ClientMessage again;
        if constexpr (kind == Kind::kRequest) again = encode_request(first, message.correlation_id(), message.partition_id());
        else if constexpr (kind == Kind::kResponse) again = encode_response(first, message.correlation_id());
        else again = encode_event(first, message.correlation_id());
        M second;
        if constexpr (kind == Kind::kRequest) second = decode_request<M>(again);
        else if constexpr (kind == Kind::kResponse) second = decode_response<M>(again);
        else second = decode_event<M>(again);
        if (!(first == second)) std::abort();  // decoding lost or invented something
    } catch (const shoal::util::DecodeError&) {
    }
}

template <typename... Ms>
void requests(const ClientMessage& message) {
    (try_decode<Ms, Kind::kRequest>(message), ...);
}
template <typename... Ms>
void responses(const ClientMessage& message) {
    (try_decode<Ms, Kind::kResponse>(message), ...);
}

void decode_everything(const ClientMessage& message) {
    (void)describe_message_type(message.type());
    requests<client::AuthenticationRequest, client::AddClusterViewListenerRequest, client::CreateProxyRequest,
             client::DestroyProxyRequest, client::GetDistributedObjectsRequest, client::PingRequest,
             client::StatisticsRequest, client::CreateProxiesRequest, client::LocalBackupListenerRequest>(message);
    requests<m::KeyValueTtlRequest<m::Put>, m::KeyRequest<m::Get>, m::KeyValueRequest<m::Replace>,
             m::ReplaceIfSameRequest, m::ContainsValueRequest, m::KeyValueRequest<m::RemoveIfSame>,
             m::NameRequest<m::Size>, m::TryRemoveRequest, m::TryPutRequest, m::GetAllRequest, m::PutAllRequest,
             m::SetTtlRequest, m::KeyValueMaxIdleRequest<m::PutWithMaxIdle>>(message);
    requests<m::LockRequest, m::TryLockRequest, m::IsLockedRequest, m::UnlockRequest, m::ForceUnlockRequest>(message);
    responses<client::AuthenticationResponse, client::GetDistributedObjectsResponse,
              client::LocalBackupListenerResponse, client::ErrorResponse, m::DataResponse<m::Get>,
              m::BoolResponse<m::ContainsKey>, m::IntResponse<m::Size>, m::DataListResponse<m::KeySet>,
              m::EntriesResponse<m::EntrySet>, m::BoolResponse<m::TryLock>, m::EmptyResponse<m::Lock>>(message);
    try_decode<client::MembersViewEvent, Kind::kEvent>(message);
    try_decode<client::PartitionsViewEvent, Kind::kEvent>(message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // The first byte picks the read size, as a socket would split the stream.
    const std::size_t chunk = 1 + data[0] % 64;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    FrameLimits limits;
    limits.max_message_bytes = 1u << 20;
    limits.max_frames_per_message = 4096;
    limits.max_fragmented_in_flight = 4;
    FrameReader reader(limits);
    std::vector<ClientMessage> messages;
    for (std::size_t at = 0; at < input.size(); at += chunk) {
        const bool ok = reader.feed(input.substr(at, chunk), messages);
        if (!ok && reader.error().empty()) std::abort();  // a failure must say why
        if (reader.held_bytes() > 2 * limits.max_message_bytes + 64) std::abort();
        for (const auto& message : messages) decode_everything(message);
        messages.clear();
        if (!ok) break;
    }
    return 0;
}
