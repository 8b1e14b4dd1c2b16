#include "partition/partition_query.h"

#include <iterator>

namespace shoal::partition {
namespace {

template <typename T>
void append(std::vector<T>& to, std::vector<T>&& from) {
    if (to.empty()) {
        to = std::move(from);
        return;
    }
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

void encode_ints(util::ByteWriter& out, const std::vector<int>& values) {
    out.u32(static_cast<std::uint32_t>(values.size()));
    for (int v : values) out.i32(v);
}

std::vector<int> decode_ints(util::ByteReader& in, const char* what) {
    std::vector<int> values(in.count(what, 4));
    for (int& v : values) v = in.i32(what);
    return values;
}

void encode_strings(util::ByteWriter& out, const std::vector<std::string>& values) {
    out.u32(static_cast<std::uint32_t>(values.size()));
    for (const auto& v : values) out.str(v);
}

std::vector<std::string> decode_strings(util::ByteReader& in, const char* what) {
    std::vector<std::string> values(in.count(what, 4));
    for (auto& v : values) v = in.str(what);
    return values;
}

}  // namespace

void QueryResult::merge(QueryResult&& other) {
    count += other.count;
    found = found || other.found;
    append(keys, std::move(other.keys));
    append(values, std::move(other.values));
    append(entries, std::move(other.entries));
    append(not_owned, std::move(other.not_owned));
}

void encode(util::ByteWriter& out, const PartitionQuery& query) {
    out.u8(static_cast<std::uint8_t>(query.kind));
    out.str(query.map);
    out.str(query.value);
    encode_ints(out, query.partitions);
}

PartitionQuery decode_partition_query(util::ByteReader& in) {
    PartitionQuery query;
    const std::uint8_t kind = in.u8("query kind");
    if (kind > static_cast<std::uint8_t>(QueryKind::kMapNames)) {
        throw util::DecodeError("unknown query kind " + std::to_string(kind));
    }
    query.kind = static_cast<QueryKind>(kind);
    query.map = in.str("map name");
    query.value = in.str("value");
    query.partitions = decode_ints(in, "partitions");
    return query;
}

void encode(util::ByteWriter& out, const QueryResult& result) {
    out.u64(result.count);
    out.boolean(result.found);
    out.u32(static_cast<std::uint32_t>(result.keys.size()));
    for (const auto& [partition, keys] : result.keys) {
        out.i32(partition);
        encode_strings(out, keys);
    }
    encode_strings(out, result.values);
    out.u32(static_cast<std::uint32_t>(result.entries.size()));
    for (const auto& [key, value] : result.entries) {
        out.str(key);
        out.str(value);
    }
    encode_ints(out, result.not_owned);
}

QueryResult decode_query_result(util::ByteReader& in) {
    QueryResult result;
    result.count = in.u64("count");
    result.found = in.boolean("found");
    const std::uint32_t groups = in.count("key groups", 8);
    for (std::uint32_t i = 0; i < groups; ++i) {
        const int partition = in.i32("partition");
        result.keys.emplace_back(partition, decode_strings(in, "keys"));
    }
    result.values = decode_strings(in, "values");
    const std::uint32_t entries = in.count("entries", 8);
    for (std::uint32_t i = 0; i < entries; ++i) {
        std::string key = in.str("entry key");
        result.entries.emplace_back(std::move(key), in.str("entry value"));
    }
    result.not_owned = decode_ints(in, "not owned");
    return result;
}

}  // namespace shoal::partition
