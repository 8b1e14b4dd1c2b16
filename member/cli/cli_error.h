// CliError: a failure shoalctl reports as one line on stderr with its exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace shoal::cli {

// Exit codes, documented in `shoalctl --help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // cannot reach the member, or it answered with an error
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitNotFound = 3;  // get: no such entry

class CliError : public std::runtime_error {
public:
    CliError(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

}  // namespace shoal::cli
