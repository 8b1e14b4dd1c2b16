#include "partition/op_result.h"

namespace shoal::partition {

const char* to_string(OpStatus status) {
    switch (status) {
        case OpStatus::kOk: return "ok";
        case OpStatus::kReadOnly: return "the cluster is read-only (PASSIVE)";
        case OpStatus::kInvalidArgument: return "invalid argument";
        case OpStatus::kNotOwner: return "not the partition owner";
        case OpStatus::kUnavailable: return "no partition owner reachable in time";
        case OpStatus::kLocked: return "the key is locked by another owner";
    }
    return "unknown";
}

}  // namespace shoal::partition
