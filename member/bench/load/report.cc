#include "report.h"

#include <cstdio>

namespace shoal::bench {
namespace {

std::string format(const char* fmt, auto... args) {
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, fmt, args...);
    return buffer;
}

double micros(std::uint64_t nanos) { return static_cast<double>(nanos) / 1000.0; }

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += format("\\u%04x", c);
            continue;
        }
        out += c;
    }
    return out;
}

std::string latency_json(const LatencyHistogram& h) {
    return format("{\"count\":%llu,\"mean_us\":%.2f,\"p50_us\":%.2f,\"p99_us\":%.2f,\"p999_us\":%.2f,\"max_us\":%.2f}",
                  static_cast<unsigned long long>(h.count()), h.mean() / 1000.0, micros(h.quantile(0.5)),
                  micros(h.quantile(0.99)), micros(h.quantile(0.999)), micros(h.max()));
}

}  // namespace

std::string table_header() {
    return format("%-28s %-9s %-7s %5s %4s %5s %12s %9s %9s %9s %9s %7s %7s %8s", "label", "driver", "mode", "conns",
                  "pipe", "set%", "ops/s", "p50 us", "p99 us", "p99.9 us", "max us", "misses", "errors", "tool us");
}

std::string table_row(const RunResult& r) {
    return format("%-28s %-9s %-7s %5d %4d %5.0f %12.0f %9.1f %9.1f %9.1f %9.1f %7llu %7llu %8.2f", r.label.c_str(),
                  r.driver.c_str(), r.mode.c_str(), r.options.connections,
                  r.mode == "preload" ? r.options.preload_pipeline : r.options.pipeline,
                  r.mode == "preload" ? 100.0 : r.options.set_ratio * 100.0, r.throughput(),
                  micros(r.all.quantile(0.5)), micros(r.all.quantile(0.99)), micros(r.all.quantile(0.999)),
                  micros(r.all.max()), static_cast<unsigned long long>(r.misses),
                  static_cast<unsigned long long>(r.errors), r.load_cpu_us_per_op);
}

std::string to_json(const RunResult& r) {
    const Options& o = r.options;
    std::string out = "{";
    out += "\"label\":\"" + escape(r.label) + "\"";
    out += ",\"driver\":\"" + r.driver + "\"";
    out += ",\"mode\":\"" + r.mode + "\"";
    out += format(",\"connections\":%d,\"pipeline\":%d,\"threads\":%d", o.connections,
                  r.mode == "preload" ? o.preload_pipeline : o.pipeline, o.threads);
    out += format(",\"keys\":%llu,\"distribution\":\"%s\"", static_cast<unsigned long long>(o.keys),
                  o.distribution == Distribution::kZipf ? "zipf" : "uniform");
    if (o.distribution == Distribution::kZipf) out += format(",\"zipf_theta\":%g", o.zipf_theta);
    out += format(",\"value_size\":%zu,\"set_ratio\":%g,\"rate\":%g", o.value_size, r.mode == "preload" ? 1.0 : o.set_ratio,
                  o.rate);
    out += format(",\"seconds\":%.3f,\"ops\":%llu,\"gets\":%llu,\"sets\":%llu,\"misses\":%llu,\"errors\":%llu",
                  r.seconds, static_cast<unsigned long long>(r.ops()), static_cast<unsigned long long>(r.gets),
                  static_cast<unsigned long long>(r.sets), static_cast<unsigned long long>(r.misses),
                  static_cast<unsigned long long>(r.errors));
    out += format(",\"ops_per_sec\":%.1f,\"load_cpu_us_per_op\":%.2f", r.throughput(), r.load_cpu_us_per_op);
    out += ",\"latency\":" + latency_json(r.all);
    out += ",\"get_latency\":" + latency_json(r.get);
    out += ",\"set_latency\":" + latency_json(r.set);
    if (!r.failure.empty()) out += ",\"failure\":\"" + escape(r.failure) + "\"";
    out += "}";
    return out;
}

}  // namespace shoal::bench
