#include "util/log.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>

namespace shoal::util {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<int> g_fd{STDERR_FILENO};
thread_local std::string t_thread_name = "main";

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::kDebug: return "DEBUG";
        case LogLevel::kInfo: return "INFO ";
        case LogLevel::kWarn: return "WARN ";
        case LogLevel::kError: return "ERROR";
    }
    return "?";
}

void append_timestamp(std::string& out) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &utc);
    out.append(buffer, n);
    char ms[8];
    ms[0] = '.';
    ms[1] = char('0' + millis / 100);
    ms[2] = char('0' + millis / 10 % 10);
    ms[3] = char('0' + millis % 10);
    out.append(ms, 4);
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& level) {
    std::string lower;
    for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "debug" || lower == "finest" || lower == "fine") {
        level = LogLevel::kDebug;
    } else if (lower == "info") {
        level = LogLevel::kInfo;
    } else if (lower == "warn" || lower == "warning") {
        level = LogLevel::kWarn;
    } else if (lower == "error" || lower == "severe") {
        level = LogLevel::kError;
    } else {
        return false;
    }
    return true;
}

void set_log_level(LogLevel level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }

bool log_enabled(LogLevel level) {
    return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void set_thread_name(std::string name) { t_thread_name = std::move(name); }

void set_log_fd(int fd) { g_fd.store(fd, std::memory_order_relaxed); }

void Logger::write(LogLevel level, std::string_view message) const {
    if (!log_enabled(level)) return;
    std::string line;
    line.reserve(64 + message.size());
    append_timestamp(line);
    line += ' ';
    line += level_name(level);
    line += " [";
    line += t_thread_name;
    line += "] [";
    line += component_;
    line += "] ";
    line += message;
    line += '\n';
    // One write per line: lines from different threads never mix. Short writes are retried.
    const char* p = line.data();
    std::size_t left = line.size();
    const int fd = g_fd.load(std::memory_order_relaxed);
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n <= 0) return;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace shoal::util
