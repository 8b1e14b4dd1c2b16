#include "persistence/log_record.h"

#include "util/bytes.h"
#include "util/crc32c.h"

namespace shoal::persistence {
namespace {

std::uint32_t read_u32_be(std::string_view in, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
    return v;
}

bool known_type(std::uint8_t type) { return type >= 1 && type <= 5; }

DecodeResult corrupt(std::string error) { return {DecodeStatus::kCorrupt, 0, std::move(error)}; }

}  // namespace

void encode(const LogRecord& record, std::string& out) {
    util::ByteWriter body;
    body.u8(static_cast<std::uint8_t>(record.type));
    body.u32(static_cast<std::uint32_t>(record.partition));
    body.u64(record.version);
    body.str(record.map);
    body.str(record.key);
    body.str(record.value);
    body.i64(record.times.expire_at_ms);
    body.i64(record.times.max_idle_ms);
    body.i64(record.times.now_ms);
    const std::string& bytes = body.buffer();

    util::ByteWriter header;
    header.u32(static_cast<std::uint32_t>(bytes.size()));
    header.u32(util::crc32c(bytes));
    header.u32(util::crc32c(header.buffer()));
    out.append(header.buffer());
    out.append(bytes);
}

DecodeResult decode(std::string_view in, LogRecordView& record) {
    if (in.size() < kRecordHeaderBytes) return {DecodeStatus::kTruncated, 0, "the file ends inside a record header"};
    const std::uint32_t length = read_u32_be(in, 0);
    const std::uint32_t body_crc = read_u32_be(in, 4);
    if (util::crc32c(in.substr(0, 8)) != read_u32_be(in, 8)) return corrupt("record header checksum mismatch");
    if (length > kMaxRecordBodyBytes) return corrupt("record length " + std::to_string(length) + " is over the limit");
    if (in.size() - kRecordHeaderBytes < length) {
        return {DecodeStatus::kTruncated, 0, "the file ends inside a record of " + std::to_string(length) + " bytes"};
    }
    const std::string_view body = in.substr(kRecordHeaderBytes, length);
    if (util::crc32c(body) != body_crc) return corrupt("record body checksum mismatch");
    try {
        util::ByteReader reader(body);
        const std::uint8_t type = reader.u8("record type");
        if (!known_type(type)) return corrupt("unknown record type " + std::to_string(type));
        LogRecordView decoded;
        decoded.type = static_cast<RecordType>(type);
        decoded.partition = static_cast<int>(reader.u32("partition"));
        decoded.version = reader.u64("version");
        decoded.map = reader.view("map name");
        decoded.key = reader.view("key");
        decoded.value = reader.view("value");
        decoded.times.expire_at_ms = reader.i64("expiry");
        decoded.times.max_idle_ms = reader.i64("max idle");
        decoded.times.now_ms = reader.i64("last access");
        if (!reader.done()) return corrupt("record has bytes after its last field");
        record = decoded;
    } catch (const util::DecodeError& e) {
        return corrupt(e.what());
    }
    return {DecodeStatus::kOk, kRecordHeaderBytes + length, {}};
}

DecodeResult decode(std::string_view in, LogRecord& record) {
    LogRecordView view;
    DecodeResult result = decode(in, view);
    if (result.status == DecodeStatus::kOk) record = view.owned();
    return result;
}

}  // namespace shoal::persistence
