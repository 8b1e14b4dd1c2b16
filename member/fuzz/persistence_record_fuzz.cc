// Fuzzes the persistence log's record decoder: whatever bytes a damaged disk holds, decoding
// gives a record, a torn tail or a corruption report, never a crash or a read past the input;
// and a decoded record encodes back to exactly the bytes it came from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "persistence/log_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace persistence = shoal::persistence;
    std::string_view in(reinterpret_cast<const char*>(data), size);
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
