// call and wait: how the client's calls are sent (an Invocation answered by decoding the
// response) and how the blocking API waits for the async one. Internal to the library.
#pragma once

#include <exception>
#include <future>
#include <memory>
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
            done(Result<T>(std::move(error)));
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

// The future carries the whole Result, moved, so the IO thread keeps no reference to an error
// once the caller can see it (see Result::take_error: as_future's set_exception copies it).
template <typename T, typename Start>
T wait(Start&& start) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    start(Callback<T>([promise](Result<T> r) { promise->set_value(std::move(r)); }));
    return std::move(future.get().value());
}

}  // namespace shoal::client::detail
