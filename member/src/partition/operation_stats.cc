#include "partition/operation_stats.h"

namespace shoal::partition {

std::string_view op_type_name(OpType type) {
    switch (type) {
        case OpType::kGet: return "get";
        case OpType::kPut: return "put";
        case OpType::kSet: return "set";
        case OpType::kRemove: return "remove";
        case OpType::kDelete: return "delete";
        case OpType::kPutIfAbsent: return "put_if_absent";
        case OpType::kReplace: return "replace";
        case OpType::kReplaceIfSame: return "replace_if_same";
        case OpType::kRemoveIfSame: return "remove_if_same";
        case OpType::kContainsKey: return "contains_key";
        case OpType::kContainsValue: return "contains_value";
        case OpType::kSize: return "size";
        case OpType::kClear: return "clear";
        case OpType::kKeySet: return "key_set";
        case OpType::kValues: return "values";
        case OpType::kEntrySet: return "entry_set";
        case OpType::kGetAll: return "get_all";
        case OpType::kPutAll: return "put_all";
        case OpType::kSetTtl: return "set_ttl";
        case OpType::kEvict: return "evict";
        case OpType::kLock: return "lock";
        case OpType::kCount: break;
    }
    return "unknown";
}

}  // namespace shoal::partition
