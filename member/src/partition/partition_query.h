// PartitionQuery: a whole-map call (size, keySet, clear, ...) over a set of partitions. The
// caller sends each member the partitions it believes that member owns; the member answers
// for those it does own and names the rest, which the caller routes again. So a partition in
// motion is counted exactly once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "partition/op_result.h"
#include "util/bytes.h"

namespace shoal::partition {

// kReleaseLocks: every map's locks whose owner starts with `value` (a client that left); count
// answers how many. kMapNames: the names of the maps with entries in the partitions (in values;
// `map` unused), so every member lists the same maps whatever replicas it holds.
enum class QueryKind : std::uint8_t { kSize, kContainsValue, kClear, kKeys, kValues, kEntries, kReleaseLocks, kMapNames };

struct PartitionQuery {
    QueryKind kind = QueryKind::kSize;
    std::string map;
    std::string value;  // kContainsValue; kReleaseLocks: the owner prefix
    std::vector<int> partitions;
};

struct QueryResult {
    std::uint64_t count = 0;  // kSize; kClear: entries removed; kReleaseLocks: locks released
    bool found = false;       // kContainsValue
    std::vector<std::pair<int, std::vector<std::string>>> keys;  // kKeys: key Data per partition
    std::vector<std::string> values;                              // kValues, kMapNames
    std::vector<Entry> entries;                                   // kEntries
    std::vector<int> not_owned;  // partitions the member does not own (ask again)

    void merge(QueryResult&& other);
};

void encode(util::ByteWriter& out, const PartitionQuery& query);
PartitionQuery decode_partition_query(util::ByteReader& in);
void encode(util::ByteWriter& out, const QueryResult& result);
QueryResult decode_query_result(util::ByteReader& in);

}  // namespace shoal::partition
