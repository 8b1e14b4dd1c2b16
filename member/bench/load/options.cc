#include "options.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>

namespace shoal::bench {
namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
    if (text.empty()) return false;
    if constexpr (std::is_floating_point_v<T>) {
        // from_chars for double is in g++ 12's library.
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
    } else {
        // Accept 1M / 10k suffixes for counts.
        std::uint64_t scale = 1;
        if (text.back() == 'k' || text.back() == 'K') scale = 1000, text.remove_suffix(1);
        else if (text.back() == 'm' || text.back() == 'M') scale = 1'000'000, text.remove_suffix(1);
        T value{};
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size()) return false;
        out = static_cast<T>(value * static_cast<T>(scale));
        return true;
    }
}

bool parse_endpoint(std::string_view text, Endpoint& out) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    int port = 0;
    if (!parse_number(text.substr(colon + 1), port) || port <= 0 || port > 65535) return false;
    out = Endpoint{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port)};
    return true;
}

// "80:20" (get:set) or "0.2" (set share).
bool parse_mix(std::string_view text, double& set_ratio) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return parse_number(text, set_ratio) && set_ratio >= 0 && set_ratio <= 1;
    double get = 0;
    double set = 0;
    if (!parse_number(text.substr(0, colon), get) || !parse_number(text.substr(colon + 1), set)) return false;
    if (get < 0 || set < 0 || get + set <= 0) return false;
    set_ratio = set / (get + set);
    return true;
}

}  // namespace

std::string usage() {
    return "usage: shoal-bench --driver resp|hazelcast --host HOST:PORT [--host ...] [options]\n"
           "  --connections N       connections (default 50)\n"
           "  --pipeline N          requests in flight per connection (default 1)\n"
           "  --threads N           load threads (default 1)\n"
           "  --keys N              key count, 1M and 10k suffixes accepted (default 1M)\n"
           "  --distribution D      uniform | zipf (default uniform)\n"
           "  --zipf-theta X        Zipf exponent (default 0.99)\n"
           "  --value-size N        bytes per value (default 100)\n"
           "  --mix GET:SET         e.g. 80:20, 100:0, 0:100; or the SET share 0..1 (default 80:20)\n"
           "  --duration S          measured seconds (default 10)\n"
           "  --warmup S            seconds run before measuring (default 1)\n"
           "  --rate N              open loop at N ops/s in all (latency from the intended send time);\n"
           "                        0 = closed loop, as fast as the server answers (default 0)\n"
           "  --preload             SET every key once (pipelined) before the run\n"
           "  --preload-only        preload, no run\n"
           "  --map NAME            Hazelcast map name (default bench)\n"
           "  --cluster-name NAME   Hazelcast cluster name (default dev)\n"
           "  --label TEXT          the run's name in the report\n"
           "  --json FILE           append the result to FILE as one JSON line\n"
           "  --seed N              random seed (default 1)\n";
}

ParseResult parse_options(const std::vector<std::string_view>& args) {
    Options o;
    auto fail = [](std::string message) { return ParseResult{std::nullopt, std::move(message)}; };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        auto flag_only = [&](std::string_view name) { return arg == name; };
        if (flag_only("--help") || flag_only("-h")) { o.help = true; continue; }
        if (flag_only("--preload")) { o.preload = true; continue; }
        if (flag_only("--preload-only")) { o.preload = true; o.run = false; continue; }
        if (arg.substr(0, 2) != "--") return fail("unexpected argument '" + std::string(arg) + "'");
        if (i + 1 >= args.size()) return fail("option " + std::string(arg) + " needs a value");
        const std::string_view value = args[++i];
        const std::string bad = "bad value '" + std::string(value) + "' for " + std::string(arg);
        bool ok = true;
        if (arg == "--driver") {
            o.driver = std::string(value);
            ok = o.driver == "resp" || o.driver == "hazelcast";
        } else if (arg == "--host") {
            Endpoint e;
            ok = parse_endpoint(value, e);
            if (ok) o.endpoints.push_back(e);
        } else if (arg == "--connections") ok = parse_number(value, o.connections) && o.connections > 0 && o.connections <= 10000;
        else if (arg == "--pipeline") ok = parse_number(value, o.pipeline) && o.pipeline > 0 && o.pipeline <= 4096;
        else if (arg == "--threads") ok = parse_number(value, o.threads) && o.threads > 0 && o.threads <= 256;
        else if (arg == "--keys") ok = parse_number(value, o.keys) && o.keys > 0 && o.keys < 10'000'000'000ULL;
        else if (arg == "--distribution") {
            if (value == "uniform") o.distribution = Distribution::kUniform;
            else if (value == "zipf") o.distribution = Distribution::kZipf;
            else ok = false;
        } else if (arg == "--zipf-theta") ok = parse_number(value, o.zipf_theta) && o.zipf_theta > 0 && o.zipf_theta < 10;
        else if (arg == "--value-size") ok = parse_number(value, o.value_size) && o.value_size <= (64u << 20);
        else if (arg == "--mix") ok = parse_mix(value, o.set_ratio);
        else if (arg == "--duration") ok = parse_number(value, o.seconds) && o.seconds > 0;
        else if (arg == "--warmup") ok = parse_number(value, o.warmup_seconds) && o.warmup_seconds >= 0;
        else if (arg == "--rate") ok = parse_number(value, o.rate) && o.rate >= 0;
        else if (arg == "--preload-pipeline") ok = parse_number(value, o.preload_pipeline) && o.preload_pipeline > 0 && o.preload_pipeline <= 4096;
        else if (arg == "--map") { o.map_name = std::string(value); ok = !o.map_name.empty(); }
        else if (arg == "--cluster-name") o.cluster_name = std::string(value);
        else if (arg == "--label") o.label = std::string(value);
        else if (arg == "--json") o.json_path = std::string(value);
        else if (arg == "--seed") ok = parse_number(value, o.seed);
        else return fail("unknown option '" + std::string(arg) + "'");
        if (!ok) return fail(bad);
    }
    if (o.help) return ParseResult{o, {}};
    if (o.endpoints.empty()) return fail("--host HOST:PORT is required");
    if (o.driver == "resp" && o.endpoints.size() > 1) return fail("the resp driver takes one --host");
    if (o.threads > o.connections) o.threads = o.connections;
    return ParseResult{o, {}};
}

}  // namespace shoal::bench
