// Helpers shared by the unit tests: waiting with a deadline, and blocking on async callbacks.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <map>
#include <utility>
#include <string>
#include <thread>
#include <vector>

#include "partition/map_operations.h"

namespace shoal::test {

// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns whether
// it held. Tests use this instead of sleeping for a guessed time.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Runs an async MapOperations call and waits (bounded) for its callback:
//   auto r = await<std::optional<std::string>>([&](auto done) { maps.get("m", key, done); });
template <typename T>
partition::OpResult<T> await(const std::function<void(partition::Callback<T>)>& call,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto promise = std::make_shared<std::promise<partition::OpResult<T>>>();
    auto future = promise->get_future();
    call([promise](partition::OpResult<T> result) { promise->set_value(std::move(result)); });
    if (future.wait_for(timeout) != std::future_status::ready) {
        throw std::runtime_error("async operation did not complete in time");
    }
    return future.get();
}

// ---- child processes (the real binaries) ----

struct ProcessResult {
    int exit_code = -1;      // -1 when killed by a signal or timed out
    int signal = 0;          // the signal that ended it, if any
    bool timed_out = false;
    std::string output;      // stdout and stderr together
};

// Runs `argv` to completion (SIGKILL after `timeout`), capturing its output. `env` entries are
// added to the current environment.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A background child whose output goes to a temporary file; killed (SIGKILL) when destroyed.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int pid() const { return pid_; }
    void signal(int signal_number);
    // Waits up to `timeout` for exit; returns the result (timed_out when still running).
    ProcessResult wait(std::chrono::milliseconds timeout);
    std::string output() const;  // what it has written so far

private:
    int pid_ = -1;
    std::string log_path_;
    bool reaped_ = false;
    ProcessResult result_;
};

// A loopback address of its own (127.<a>.<b>.<c>) for a member under test, so tests that run in
// parallel never share a port.
std::string unique_loopback_address();

// A blocking HTTP GET/POST against host:port; returns {status, body}; status 0 if no answer.
struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased

    // A header's value ("" when absent); `name` in any case.
    std::string header(const std::string& name) const;
};
HttpReply http_request(const std::string& host, int port, const std::string& method,
                       const std::string& target, const std::string& body = {},
                       const std::string& content_type = {});

// The same with any request headers (e.g. {"Accept", "text/plain"}), for one request on a new
// connection.
HttpReply http_request_with_headers(const std::string& host, int port, const std::string& method,
                                    const std::string& target,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& body = {});

// A plain TCP connection for bytes no well-behaved HTTP client would send: partial requests,
// trickled bytes, pipelining. Blocking, with explicit deadlines; closes when destroyed.
class RawConnection {
public:
    RawConnection(const std::string& host, int port);  // throws std::runtime_error if refused
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Writes all of `bytes`; false when the peer has closed or reset the connection.
    bool send(const std::string& bytes);
    // Half-closes: the peer reads end-of-stream, and this side can still read.
    void shutdown_send();
    // Reads until the peer closes or `timeout` passes; everything read so far is in received().
    // Returns true when the peer closed (EOF or reset) in time.
    bool wait_closed(std::chrono::milliseconds timeout);
    // Reads until received() holds `text` (true), or the peer closes or `timeout` passes (false).
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout);
    const std::string& received() const { return received_; }
    bool closed() const { return closed_; }

private:
    // Reads what arrives within `timeout`; sets closed_ on EOF or reset.
    void read_some(std::chrono::milliseconds timeout);

    int fd_ = -1;
    std::string received_;
    bool closed_ = false;
};

}  // namespace shoal::test
