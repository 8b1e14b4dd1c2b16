// OpStatus / OpResult: how a map operation ended, shared by the local and remote paths.
#pragma once

#include <functional>
#include <string>
#include <utility>

namespace shoal::partition {

enum class OpStatus {
    kOk,
    kReadOnly,         // the cluster state (PASSIVE) forbids writes
    kInvalidArgument,  // e.g. a key that is not a Data
    kNotOwner,         // this member does not (or no longer) own the partition: route again
    kUnavailable,      // no owner reachable before the operation's deadline
    kLocked,           // another owner held the key's lock for as long as the write would wait
};

const char* to_string(OpStatus status);

template <typename T>
struct OpResult {
    OpStatus status = OpStatus::kOk;
    T value{};
    bool ok() const { return status == OpStatus::kOk; }
};

template <typename T>
using Callback = std::function<void(OpResult<T>)>;

using Entry = std::pair<std::string, std::string>;  // key Data, value Data

}  // namespace shoal::partition
