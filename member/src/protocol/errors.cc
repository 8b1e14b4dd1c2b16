#include "protocol/errors.h"

#include "protocol/client_messages.h"

namespace shoal::protocol {

const char* java_class_of(ErrorCode code) {
    switch (code) {
        case ErrorCode::kAuthentication: return "com.hazelcast.client.AuthenticationException";
        case ErrorCode::kHazelcast: return "com.hazelcast.core.HazelcastException";
        case ErrorCode::kInstanceNotActive: return "com.hazelcast.core.HazelcastInstanceNotActiveException";
        case ErrorCode::kIllegalArgument: return "java.lang.IllegalArgumentException";
        case ErrorCode::kIllegalState: return "java.lang.IllegalStateException";
        case ErrorCode::kIllegalMonitorState: return "java.lang.IllegalMonitorStateException";
        case ErrorCode::kOperationTimeout: return "com.hazelcast.core.OperationTimeoutException";
        case ErrorCode::kRetryableHazelcast: return "com.hazelcast.spi.exception.RetryableHazelcastException";
        case ErrorCode::kUnsupportedOperation: return "java.lang.UnsupportedOperationException";
    }
    return "com.hazelcast.core.HazelcastException";
}

ClientMessage error_response(std::int64_t correlation_id, ErrorCode code, const std::string& message) {
    std::string clean;
    clean.reserve(message.size());
    for (char c : message) clean.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
    auto& counters = error_counters();
    (code == ErrorCode::kUnsupportedOperation ? counters.unsupported
     : code == ErrorCode::kIllegalArgument   ? counters.malformed
                                             : counters.other)
        .fetch_add(1, std::memory_order_relaxed);
    client::ErrorResponse response;
    ErrorHolder holder;
    holder.error_code = static_cast<std::int32_t>(code);
    holder.class_name = java_class_of(code);
    holder.message = std::move(clean);
    response.errors.push_back(std::move(holder));
    return encode_response(response, correlation_id);
}

ErrorCode error_code_of(partition::OpStatus status) {
    switch (status) {
        case partition::OpStatus::kOk: return ErrorCode::kHazelcast;  // not an error; never asked
        case partition::OpStatus::kReadOnly: return ErrorCode::kIllegalState;
        case partition::OpStatus::kInvalidArgument: return ErrorCode::kIllegalArgument;
        case partition::OpStatus::kNotOwner: return ErrorCode::kRetryableHazelcast;
        case partition::OpStatus::kUnavailable: return ErrorCode::kOperationTimeout;
        case partition::OpStatus::kLocked: return ErrorCode::kOperationTimeout;
    }
    return ErrorCode::kHazelcast;
}

std::string error_message_of(partition::OpStatus status, const std::string& operation) {
    switch (status) {
        case partition::OpStatus::kReadOnly:
            return operation + " refused: the cluster is in PASSIVE state and accepts no writes";
        case partition::OpStatus::kInvalidArgument:
            return operation + " refused: a key or value is not a serialized Data (at least 8 bytes)";
        case partition::OpStatus::kNotOwner:
            return operation + ": the partition is moving; retry";
        case partition::OpStatus::kUnavailable:
            return operation + " timed out: no owner of the partition answered in time";
        case partition::OpStatus::kLocked:
            return operation + " timed out: the key stayed locked by another owner (IMap.lock)";
        case partition::OpStatus::kOk: break;
    }
    return operation + " failed";
}

ErrorCounters& error_counters() {
    static ErrorCounters counters;
    return counters;
}

}  // namespace shoal::protocol
