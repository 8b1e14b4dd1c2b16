// Client-visible errors: Hazelcast's error codes and the one place error responses are built.
//
// Every error a client sees goes through error_response(): it picks the Java class name the
// clients map the code to, strips control characters from the message and counts it.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "partition/op_result.h"
#include "protocol/frame.h"

namespace shoal::protocol {

// ClientProtocolErrorCodes (the subset Shoal produces).
enum class ErrorCode : std::int32_t {
    kAuthentication = 3,
    kHazelcast = 18,
    kInstanceNotActive = 19,  // clients retry
    kIllegalArgument = 23,
    kIllegalMonitorState = 26,  // unlock by a thread that does not hold the lock
    kIllegalState = 27,
    kOperationTimeout = 38,
    kRetryableHazelcast = 46,  // clients retry
    kUnsupportedOperation = 61,
};

const char* java_class_of(ErrorCode code);

// The error response (message type 0) to request `correlation_id`.
ClientMessage error_response(std::int64_t correlation_id, ErrorCode code, const std::string& message);

// How a map operation's failure reaches the client.
ErrorCode error_code_of(partition::OpStatus status);
std::string error_message_of(partition::OpStatus status, const std::string& operation);

// Error responses sent by this process, by cause (for metrics and tests).
struct ErrorCounters {
    std::atomic<std::uint64_t> unsupported{0};
    std::atomic<std::uint64_t> malformed{0};
    std::atomic<std::uint64_t> other{0};
};
ErrorCounters& error_counters();

}  // namespace shoal::protocol
