// Store micro-benchmarks: ns per put/get on one RecordStore, and heap bytes per entry for a
// 10-byte key with a 100-byte value (Hazelcast needs about 250 B for that entry), as opaque bytes
// and as a Hazelcast client sends them (String key, byte[] value: the form records pack).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <string>
#include <vector>

#include "map/data.h"
#include "map/record_store.h"

namespace {

using shoal::map::RecordStore;

constexpr std::int64_t kNow = 1'700'000'000'000;

enum class KeyShape { kOpaque, kString };

// kOpaque: keys of exactly 10 payload bytes ("k" + 9 digits) after a 4-byte serializer type id,
// which do not pack; kString: "key:" + 10 digits as String identities, as bench-compare's
// clients send them (they pack, see map/compact_data.h).
std::vector<std::string> make_keys(std::size_t n, KeyShape shape = KeyShape::kOpaque) {
    std::vector<std::string> keys;
    keys.reserve(n);
    const std::size_t width = shape == KeyShape::kOpaque ? 9 : 10;
    for (std::size_t i = 0; i < n; ++i) {
        std::string digits = std::to_string(i);
        digits.insert(0, width - digits.size(), '0');
        if (shape == KeyShape::kOpaque) {
            keys.emplace_back(std::string("\xff\xff\xff\xf4", 4) + "k" + digits);
        } else {
            keys.emplace_back(shoal::map::key_identity(shoal::map::string_data("key:" + digits)));
        }
    }
    return keys;
}

void BM_Put(benchmark::State& state) {
    const auto keys = make_keys(static_cast<std::size_t>(state.range(0)));
    const std::string value(100, 'v');
    RecordStore store;
    std::size_t i = 0;
    for (auto _ : state) {
        store.set(keys[i], value, {}, kNow);
        if (++i == keys.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Put)->Arg(1 << 12)->Arg(1 << 20);

void BM_Get(benchmark::State& state) {
    const auto keys = make_keys(static_cast<std::size_t>(state.range(0)));
    const std::string value(100, 'v');
    RecordStore store;
    for (const auto& k : keys) store.set(k, value, {}, kNow);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(store.contains_key(keys[i], kNow));
        if (++i == keys.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Get)->Arg(1 << 12)->Arg(1 << 20);

void BM_GetCopyValue(benchmark::State& state) {
    const auto keys = make_keys(1 << 16);
    const std::string value(100, 'v');
    RecordStore store;
    for (const auto& k : keys) store.set(k, value, {}, kNow);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(store.get(keys[i], kNow));
        if (++i == keys.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetCopyValue);

// Heap growth per entry measured by the allocator (mallinfo2), across 271 partition stores as
// a member holds them, so per-table overhead is counted too. Arg 0: opaque bytes (a 4-byte
// type id and 10 bytes; a 100-byte value); 1: Hazelcast-shaped (a String key, a byte[] value).
void BM_BytesPerEntry(benchmark::State& state) {
    const std::size_t n = 1'000'000;
    const bool hazelcast = state.range(0) == 1;
    const std::string value = hazelcast ? shoal::map::bytes_data(std::string(100, 'v')) : std::string(100, 'v');
    for (auto _ : state) {
        state.PauseTiming();
        const auto keys = make_keys(n, hazelcast ? KeyShape::kString : KeyShape::kOpaque);
        state.ResumeTiming();
        const std::size_t before = mallinfo2().uordblks;
        std::vector<RecordStore> stores(271);
        for (std::size_t i = 0; i < n; ++i) stores[i % 271].set(keys[i], value, {}, kNow);
        const std::size_t after = mallinfo2().uordblks;
        std::size_t reported = 0;
        for (const auto& s : stores) reported += s.stats().bytes;
        state.counters["heap_bytes_per_entry"] = static_cast<double>(after - before) / static_cast<double>(n);
        state.counters["reported_bytes_per_entry"] = static_cast<double>(reported) / static_cast<double>(n);
        state.counters["payload_bytes_per_entry"] = static_cast<double>(keys[0].size() + value.size());
    }
}
BENCHMARK(BM_BytesPerEntry)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
