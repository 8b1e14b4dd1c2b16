// Fuzzes the persistence log's record decoder: whatever bytes a damaged disk holds, decoding
// gives a record, a torn tail or a corruption report, never a crash or a read past the input;
// and a decoded record encodes back to exactly the bytes it came from.
//
// Random bytes almost never pass the two checksums, which would leave the field parsers behind
// them unexercised; so when the input's first byte is odd, the header of every record is given
// valid checksums first, and the fuzzer reaches the parsers with any field bytes it likes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "persistence/log_record.h"
#include "util/crc32c.h"

namespace {

void put_u32_be(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

std::uint32_t get_u32_be(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

// Gives each record (as its length fields chain them) valid checksums.
void fix_checksums(std::string& bytes) {
    namespace p = shoal::persistence;
    std::size_t at = 0;
    while (bytes.size() - at >= p::kRecordHeaderBytes) {
        const std::uint32_t length = get_u32_be(bytes, at);
        const std::size_t body = at + p::kRecordHeaderBytes;
        if (length > bytes.size() - body) return;
        put_u32_be(bytes, at + 4, shoal::util::crc32c(std::string_view(bytes).substr(body, length)));
        put_u32_be(bytes, at + 8, shoal::util::crc32c(std::string_view(bytes).substr(at, 8)));
        at = body + length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace persistence = shoal::persistence;
    if (size == 0) return 0;
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1) fix_checksums(bytes);
    std::string_view in(bytes);
    persistence::LogRecord record;
    while (!in.empty()) {
        const persistence::DecodeResult result = persistence::decode(in, record);
        if (result.status != persistence::DecodeStatus::kOk) break;
        if (result.consumed == 0 || result.consumed > in.size()) std::abort();
        std::string again;
        persistence::encode(record, again);
        if (again != in.substr(0, result.consumed)) std::abort();
        in.remove_prefix(result.consumed);
    }
    return 0;
}
