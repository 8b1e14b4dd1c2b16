// Logging: timestamped, levelled lines, one write(2) per line so threads never interleave.
//
// Usage: `static const shoal::util::Logger logger("shoal.map");  logger.info("text");`
// Format: `2026-11-22 10:52:20.123 INFO  [partition-1] [shoal.map] text`.
#pragma once

#include <string>
#include <string_view>

namespace shoal::util {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug", "info", "warn"/"warning", "error" (any case); false when unknown.
bool parse_log_level(std::string_view text, LogLevel& level);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);

// The name shown in brackets for lines written by the calling thread ("main", "io-0", ...).
void set_thread_name(std::string name);

// Where lines go: standard error by default; tests may redirect into a string sink.
void set_log_fd(int fd);

class Logger {
public:
    explicit Logger(std::string_view component) : component_(component) {}

    void debug(std::string_view message) const { write(LogLevel::kDebug, message); }
    void info(std::string_view message) const { write(LogLevel::kInfo, message); }
    void warn(std::string_view message) const { write(LogLevel::kWarn, message); }
    void error(std::string_view message) const { write(LogLevel::kError, message); }
    void write(LogLevel level, std::string_view message) const;

private:
    std::string_view component_;
};

}  // namespace shoal::util
