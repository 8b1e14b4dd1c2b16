// /metrics: Prometheus text exposition (format 0.0.4), gathered from every partition thread.
//
//   shoal_map_entries{map}, shoal_map_bytes{map}              gauges, per map held here
//   shoal_map_operations_total{op}                            counter, ops that ran at least once
//   shoal_map_operation_latency_seconds{op}                   histogram (LatencyHistogram buckets)
//   shoal_http_connections                                    gauge
//   shoal_http_requests_total{code}                           counter, responses sent by status
//   shoal_partitions_owned, shoal_cluster_size                gauges
//   shoal_partition_snapshots_total{kind}, shoal_partition_snapshot_entries_total{kind,result},
//   shoal_partition_snapshot_bytes_sent_total                 counters, replica refills sent
//   shoal_cluster_state{state} 1, shoal_node_ready 0|1, shoal_member_info{version,uuid,address} 1
//
// Label values are escaped (backslash, quote, newline) and made valid UTF-8, as the format asks.
#include <array>
#include <charconv>
#include <sstream>

#include "http/handlers.h"
#include "http/responses.h"
#include "http/uri.h"
#include "util/latency_histogram.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

std::string escape_label(std::string_view raw) {
    const std::string value = utf8_or_escaped(raw);
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

// The shortest decimal that reads back as the same double (Prometheus parses any float form).
std::string number(double value) {
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

void header(std::ostringstream& out, std::string_view name, std::string_view type, std::string_view help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

void write_maps(std::ostringstream& out, const partition::MemberStats& stats) {
    header(out, "shoal_map_entries", "gauge", "Entries held by this member, per map.");
    for (const auto& m : stats.maps) out << "shoal_map_entries{map=\"" << escape_label(m.name) << "\"} " << m.entries << '\n';
    header(out, "shoal_map_bytes", "gauge", "Heap bytes of the entries held by this member, per map.");
    for (const auto& m : stats.maps) out << "shoal_map_bytes{map=\"" << escape_label(m.name) << "\"} " << m.bytes << '\n';
}

void write_operations(std::ostringstream& out, const partition::MemberStats& stats) {
    using util::LatencyHistogram;
    header(out, "shoal_map_operations_total", "counter", "Map operations executed, by type.");
    for (std::size_t i = 0; i < partition::kOpTypeCount; ++i) {
        const auto& h = stats.operations.latency[i];
        if (h.count() == 0) continue;
        out << "shoal_map_operations_total{op=\"" << partition::op_type_name(static_cast<partition::OpType>(i)) << "\"} "
            << h.count() << '\n';
    }
    header(out, "shoal_map_operation_latency_seconds", "histogram",
           "Time from submission to completion on the partition thread, by type.");
    for (std::size_t i = 0; i < partition::kOpTypeCount; ++i) {
        const auto& h = stats.operations.latency[i];
        if (h.count() == 0) continue;
        const auto op = partition::op_type_name(static_cast<partition::OpType>(i));
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < LatencyHistogram::kBoundsNanos.size(); ++b) {
            cumulative += h.bucket(b);
            out << "shoal_map_operation_latency_seconds_bucket{op=\"" << op << "\",le=\""
                << number(static_cast<double>(LatencyHistogram::kBoundsNanos[b]) / 1e9) << "\"} " << cumulative << '\n';
        }
        out << "shoal_map_operation_latency_seconds_bucket{op=\"" << op << "\",le=\"+Inf\"} " << h.count() << '\n';
        out << "shoal_map_operation_latency_seconds_sum{op=\"" << op << "\"} " << number(static_cast<double>(h.sum_nanos()) / 1e9) << '\n';
        out << "shoal_map_operation_latency_seconds_count{op=\"" << op << "\"} " << h.count() << '\n';
    }
}

void write_member(std::ostringstream& out, const RouterContext& ctx) {
    const auto view = ctx.cluster.view();
    const auto local = ctx.cluster.local_member();
    header(out, "shoal_http_connections", "gauge", "Open HTTP connections.");
    out << "shoal_http_connections " << ctx.counters.open_connections.load() << '\n';
    header(out, "shoal_http_requests_total", "counter", "HTTP responses sent, by status code.");
    for (std::size_t code = 100; code < ctx.counters.responses_by_status.size(); ++code) {
        const auto n = ctx.counters.responses_by_status[code].load(std::memory_order_relaxed);
        if (n > 0) out << "shoal_http_requests_total{code=\"" << code << "\"} " << n << '\n';
    }
    header(out, "shoal_partitions_owned", "gauge", "Partitions this member owns.");
    // One member owns every partition until clustering assigns owners.
    out << "shoal_partitions_owned " << ctx.maps.partition_count() << '\n';
    const auto snapshots = ctx.maps.snapshot_counts();
    header(out, "shoal_partition_snapshots_total", "counter",
           "Partition copies this member sent to refill a replica: whole, or only the digest buckets that differed.");
    out << "shoal_partition_snapshots_total{kind=\"whole\"} " << snapshots.whole << '\n';
    out << "shoal_partition_snapshots_total{kind=\"differential\"} " << snapshots.differential << '\n';
    header(out, "shoal_partition_snapshot_entries_total", "counter",
           "Entries of those copies: sent, or skipped because the replica's digest showed it had them.");
    out << "shoal_partition_snapshot_entries_total{kind=\"whole\",result=\"sent\"} " << snapshots.whole_entries << '\n';
    out << "shoal_partition_snapshot_entries_total{kind=\"differential\",result=\"sent\"} "
        << snapshots.differential_entries_sent << '\n';
    out << "shoal_partition_snapshot_entries_total{kind=\"differential\",result=\"skipped\"} "
        << snapshots.differential_entries_skipped << '\n';
    header(out, "shoal_partition_snapshot_bytes_sent_total", "counter", "Bytes of partition copies sent.");
    out << "shoal_partition_snapshot_bytes_sent_total " << ctx.maps.snapshot_bytes_sent() << '\n';
    header(out, "shoal_cluster_size", "gauge", "Members in the cluster.");
    out << "shoal_cluster_size " << view.members.size() << '\n';
    header(out, "shoal_cluster_state", "gauge", "The cluster state (1 for the current one).");
    out << "shoal_cluster_state{state=\"" << cluster::to_string(view.state) << "\"} 1\n";
    header(out, "shoal_node_ready", "gauge", "1 when the readiness probe would pass.");
    out << "shoal_node_ready " << (ctx.cluster.ready() ? 1 : 0) << '\n';
    header(out, "shoal_member_info", "gauge", "Version and identity of this member.");
    out << "shoal_member_info{version=\"" SHOAL_VERSION "\",uuid=\"" << local.uuid.to_string() << "\",address=\""
        << escape_label(local.host) << ':' << local.port << "\"} 1\n";
}

}  // namespace

void handle_metrics(const RouterContext& ctx, const Request& request, Respond respond) {
    if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
        return respond(method_not_allowed(request, "GET, HEAD"));
    }
    ctx.maps.stats([ctx, request = without_body(request), respond = std::move(respond)](partition::OpResult<partition::MemberStats> stats) {
        std::ostringstream out;
        write_maps(out, stats.value);
        write_operations(out, stats.value);
        write_member(out, ctx);
        respond(make_response(request, status::ok, "text/plain; version=0.0.4; charset=utf-8", out.str()));
    });
}

}  // namespace shoal::http
