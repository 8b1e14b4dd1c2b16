// Message tasks: each served message type maps to one handler in its family's table
// (client_tasks.cc, map_tasks.cc). A handler decodes its request, starts the operation and
// answers through Reply, exactly once, from whichever thread the operation completes on.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "partition/op_result.h"
#include "protocol/client_connection.h"
#include "protocol/codec.h"
#include "protocol/errors.h"

namespace shoal::protocol {

class ProtocolService;

// The answer to one request; cheap to copy into completion callbacks.
struct Reply {
    ConnectionPtr connection;
    std::int64_t correlation_id = 0;

    template <typename Response>
    void send(const Response& response) const {
        connection->respond(encode_response(response, correlation_id));
    }
    void error(ErrorCode code, const std::string& message) const {
        connection->respond(error_response(correlation_id, code, message));
    }
    // A failed map operation's status, as Hazelcast reports it.
    void failed(partition::OpStatus status, const char* operation) const {
        error(error_code_of(status), error_message_of(status, operation));
    }
};

struct TaskContext {
    ProtocolService& service;
    ClientEndpoint& endpoint;
    const ClientMessage& request;
    Reply reply;
    std::int32_t partition_id = -1;
};

using TaskHandler = void (*)(TaskContext& context);
using TaskTable = std::unordered_map<std::int32_t, TaskHandler>;

void register_client_tasks(TaskTable& table);
void register_map_tasks(TaskTable& table);
void register_map_lock_tasks(TaskTable& table);  // map_lock_tasks.cc

}  // namespace shoal::protocol
