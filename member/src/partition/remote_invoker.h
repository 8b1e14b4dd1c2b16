// RemoteInvoker: how MapOperations reaches a partition owned by another member. The cluster
// module implements it over member connections; tests can fake it.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "partition/key_operation.h"
#include "partition/op_result.h"
#include "partition/partition_query.h"

namespace shoal::partition {

class RemoteInvoker {
public:
    virtual ~RemoteInvoker() = default;
    // Runs `op` on `member`; a lost connection answers kUnavailable (the caller retries).
    virtual void execute(const std::string& member, const KeyOperation& op,
                         std::function<void(OpStatus, KeyOutcome)> done) = 0;
    // Runs `query` on `member`; !ok when it could not be asked (its partitions are retried).
    virtual void query(const std::string& member, const PartitionQuery& query,
                       std::function<void(bool ok, QueryResult)> done) = 0;
    // Runs `task` after `delay` (retries while partitions move).
    virtual void later(std::chrono::milliseconds delay, std::function<void()> task) = 0;
};

}  // namespace shoal::partition
