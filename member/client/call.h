// call and wait: how the client's calls are sent (an Invocation answered by decoding the
// response) and how the blocking API waits for the async one. Internal to the library.
#pragma once

#include <exception>
#include <optional>
#include <utility>

#include "client/client_core.h"
#include "client/result.h"
#include "protocol/codec.h"

namespace shoal::client::detail {

// Sends `request` and answers `done` with convert(decoded Response). Decoding errors become
// the call's error; `done` runs once, outside any try block.
template <typename Response, typename T, typename Request, typename Convert>
void call(ClientCore& core, const Request& request, std::int32_t partition_id, Retry retry, Callback<T> done,
          Convert convert) {
    Invocation invocation;
    invocation.wire = protocol::to_wire(protocol::encode_request(request, 0, partition_id));
    invocation.partition_id = partition_id;
    invocation.retry = retry;
    invocation.name = Request::kName;
    invocation.done = [done = std::move(done), convert](protocol::ClientMessage* response, std::exception_ptr error) {
        if (!response) {
            done(Result<T>(error));
            return;
        }
        std::optional<Result<T>> result;
        try {
            result.emplace(convert(protocol::decode_response<Response>(*response)));
        } catch (...) {
            result.emplace(std::current_exception());
        }
        done(std::move(*result));
    };
    core.invoke(std::move(invocation));
}

template <typename T, typename Start>
T wait(Start&& start) {
    return as_future<T>(std::forward<Start>(start)).get();
}

}  // namespace shoal::client::detail
