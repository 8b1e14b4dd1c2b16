// Result<T> and Callback<T>: how the client's async calls answer. A callback runs exactly once,
// on one of the client's IO threads: keep it short, and never wait in it for another call of
// the same client (that answer needs the thread you are holding).
#pragma once

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <utility>
#include <variant>

namespace shoal::client {

struct Unit {  // the answer of calls that answer nothing
    friend bool operator==(const Unit&, const Unit&) = default;
};

template <typename T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(std::exception_ptr error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    std::exception_ptr error() const { return ok() ? nullptr : std::get<1>(v_); }
    // Moves the error out, so the thread that hands it on keeps no reference to it: the last
    // reference of an exception is dropped in code ThreadSanitizer cannot see into (libsupc++),
    // and a copy left on the IO thread looked like a race with the caller reading the error.
    std::exception_ptr take_error() { return ok() ? nullptr : std::move(std::get<1>(v_)); }
    // The value, or the call's exception rethrown.
    T& value() {
        if (!ok()) std::rethrow_exception(std::get<1>(v_));
        return std::get<0>(v_);
    }

private:
    std::variant<T, std::exception_ptr> v_;
};

template <typename T>
using Callback = std::function<void(Result<T>)>;

// Runs an async call and returns its answer as a std::future:
//   auto f = as_future<std::optional<Value>>([&](auto done) { map.get_async("k", done); });
template <typename T, typename Start>
std::future<T> as_future(Start&& start) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    start(Callback<T>([promise](Result<T> r) {
        if (r.ok()) promise->set_value(std::move(r.value()));
        else promise->set_exception(r.take_error());
    }));
    return future;
}

}  // namespace shoal::client
