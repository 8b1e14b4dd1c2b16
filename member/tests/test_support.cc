// Shared helpers for the unit tests.
#include "test_support.h"

namespace shoal::test {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace shoal::test

// ---- child processes ------------------------------------------------------------------------

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

extern char** environ;

namespace shoal::test {
namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> all;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) all[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [k, v] : extra) all[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : all) out.push_back(k + "=" + v);
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& items) {
    std::vector<char*> out;
    for (auto& s : items) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

int spawn_with_output(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                      const std::string& log_path) {
    std::vector<std::string> args = argv;
    std::vector<std::string> envs = merged_environment(env);
    auto arg_ptrs = c_strings(args);
    auto env_ptrs = c_strings(envs);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
    return pid;
}

std::string temp_log_path() {
    static std::atomic<int> counter{0};
    return "/tmp/shoal-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".log";
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env)
    : log_path_(temp_log_path()) {
    pid_ = spawn_with_output(argv, env, log_path_);
}

ChildProcess::~ChildProcess() {
    if (!reaped_ && pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    unlink(log_path_.c_str());
}

void ChildProcess::signal(int signal_number) {
    if (!reaped_) kill(pid_, signal_number);
}

ProcessResult ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (reaped_) return result_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int status = 0;
        const pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            reaped_ = true;
            if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
            if (WIFSIGNALED(status)) result_.signal = WTERMSIG(status);
            result_.output = read_file(log_path_);
            return result_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ProcessResult still_running;
            still_running.timed_out = true;
            still_running.output = read_file(log_path_);
            return still_running;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::string ChildProcess::output() const { return read_file(log_path_); }

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds timeout) {
    ChildProcess child(argv, env);
    ProcessResult result = child.wait(timeout);
    if (result.timed_out) {
        child.signal(SIGKILL);
        child.wait(std::chrono::seconds(5));
    }
    return result;
}

std::string unique_loopback_address() {
    static std::mt19937 rng{std::random_device{}()};
    static std::atomic<int> counter{0};
    const int n = counter++;
    // 127.100-199.x.y: away from 127.0.0.1 and from the demo's 127.0.1.x addresses.
    return "127." + std::to_string(100 + static_cast<int>(rng() % 100)) + "." +
           std::to_string(static_cast<int>(rng() % 250) + 1) + "." + std::to_string(1 + n % 250);
}

std::string HttpReply::header(const std::string& name) const {
    std::string lower;
    for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    const auto it = headers.find(lower);
    return it == headers.end() ? std::string() : it->second;
}

HttpReply http_request_with_headers(const std::string& host, int port, const std::string& method,
                                    const std::string& target,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& body) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    namespace asio = boost::asio;
    HttpReply reply;
    try {
        asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::seconds(10));
        stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address(host), static_cast<unsigned short>(port)));
        http::request<http::string_body> request{http::string_to_verb(method), target, 11};
        request.set(http::field::host, host);
        for (const auto& [name, value] : headers) request.set(name, value);
        request.body() = body;
        request.prepare_payload();
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(1ULL << 30);
        if (request.method() == http::verb::head) parser.skip(true);
        http::read(stream, buffer, parser);
        const auto& response = parser.get();
        reply.status = static_cast<int>(response.result_int());
        reply.body = response.body();
        for (const auto& field : response) {
            std::string name(field.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            reply.headers[name] = std::string(field.value());
        }
    } catch (const std::exception&) {
        reply.status = 0;
    }
    return reply;
}

HttpReply http_request(const std::string& host, int port, const std::string& method,
                       const std::string& target, const std::string& body, const std::string& content_type) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return http_request_with_headers(host, port, method, target, headers, body);
}

RawConnection::RawConnection(const std::string& host, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (fd_ < 0 || inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port));
    }
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

void RawConnection::shutdown_send() { ::shutdown(fd_, SHUT_WR); }

void RawConnection::read_some(std::chrono::milliseconds timeout) {
    if (closed_) return;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
        closed_ = true;  // EOF, or reset by the peer
        return;
    }
    received_.append(buffer, static_cast<std::size_t>(n));
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && std::chrono::steady_clock::now() < deadline) read_some(std::chrono::milliseconds(10));
    return closed_;
}

bool RawConnection::wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(text) == std::string::npos && !closed_ && std::chrono::steady_clock::now() < deadline) {
        read_some(std::chrono::milliseconds(10));
    }
    return received_.find(text) != std::string::npos;
}

}  // namespace shoal::test
