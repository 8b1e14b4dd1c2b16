#!/usr/bin/env bash
# make bench-compare: Shoal against redis-server, the same workloads through shoal-bench.
#
# redis-server (no persistence) and Shoal members run pinned to BENCH_SERVER_CPUS (core 0), the
# load generator to BENCH_LOAD_CPUS (core 1). Each side is preloaded with BENCH_KEYS keys of
# BENCH_VALUE_SIZE bytes, then every workload runs for BENCH_SECONDS (after BENCH_WARMUP):
# GET only, SET only and 80/20 with BENCH_CONNECTIONS connections, without pipelining and with
# depth 16; then two Shoal members with backup-count 1 against the same Redis numbers. Memory per
# entry comes from Redis INFO and from Shoal's /metrics and RSS. Results: a ratio table on
# stdout, every run as JSON lines in $BENCH_OUT/runs.json and the summary in $BENCH_OUT/summary.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
source member/bench/common.sh

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
KEYS=${BENCH_KEYS:-1000000}
VALUE_SIZE=${BENCH_VALUE_SIZE:-100}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
OUT=${BENCH_OUT:-build/bench-results}
WORKLOADS=${BENCH_WORKLOADS:-"get:100:0 set:0:100 mix:80:20"}
PIPELINES=${BENCH_PIPELINES:-"1 16"}
TWO_MEMBERS=${BENCH_TWO_MEMBERS:-1}
REDIS_PORT=${BENCH_REDIS_PORT:-16379}

mkdir -p "$OUT"
RUNS="$OUT/runs.json"
: >"$RUNS"
WORK=$(mktemp -d /tmp/shoal-bench.XXXXXX)
REDIS_PID=""
cleanup() { stop_all; [ -z "$REDIS_PID" ] || stop_pid "$REDIS_PID"; rm -rf "$WORK"; }
trap cleanup EXIT

while ! port_free "$REDIS_PORT"; do REDIS_PORT=$((REDIS_PORT + 1)); done
check_hosts_free 2

echo "bench-compare: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1); $(redis-server --version | cut -d' ' -f1-3); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench-compare: ${SECONDS_PER_RUN}s per run, $KEYS keys x $VALUE_SIZE B, $CONNECTIONS connections; servers on cpu $SERVER_CPUS, load on cpu $LOAD_CPUS"

# The servers' CPU time (user + system) over a run, per operation: the load generator has one
# core, so at depth 1 it, not the server, may bound the throughput; CPU per op still compares
# the servers. Taken over warmup + run and divided by the ops of both (scaled from the window).
SERVER_PIDS=()
CPU="$OUT/server_cpu.json"
: >"$CPU"
TICK=$(getconf CLK_TCK)
cpu_ticks() {
  local total=0 pid
  for pid in "${SERVER_PIDS[@]}"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}

bench() {  # bench LABEL ARGS...: one shoal-bench run pinned to the load cores, JSON appended
  local label=$1; shift
  local before after
  before=$(cpu_ticks)
  $(pin "$LOAD_CPUS") "$LOAD_BIN" --label "$label" --keys "$KEYS" --value-size "$VALUE_SIZE" \
    --connections "$CONNECTIONS" --duration "$SECONDS_PER_RUN" --warmup "$WARMUP" --json "$RUNS" "$@" | tail -n +2
  after=$(cpu_ticks)
  jq -c --arg name "$label" --argjson ticks "$((after - before))" --argjson tick "$TICK" --argjson warmup "$WARMUP" \
    'select(.label == $name) | {label: .label, server_cpu_us_per_op: (if .mode == "preload" then $ticks / $tick * 1e6 / .ops
       else $ticks / $tick * 1e6 / (.ops * (.seconds + $warmup) / .seconds) end | . * 100 | round / 100)}' \
    <(tail -n 1 "$RUNS") >>"$CPU"
}

run_workloads() {  # run_workloads TARGET DRIVER-ARGS...
  local target=$1; shift
  local workload name mix pipeline
  for pipeline in $PIPELINES; do
    for workload in $WORKLOADS; do
      name=${workload%%:*}; mix=${workload#*:}
      bench "$target/$name/p$pipeline" "$@" --mix "$mix" --pipeline "$pipeline"
    done
  done
}

# ---- Redis -----------------------------------------------------------------------------------
$(pin "$SERVER_CPUS") redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --logfile "$WORK/redis.log" &
REDIS_PID=$!
SERVER_PIDS=("$REDIS_PID")
for _ in $(seq 200); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.02; done
redis_info() { redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | awk -F: -v k="$1" '$1 == k {print $2}'; }
redis_mem0=$(redis_info used_memory); redis_rss0=$(rss_kib "$REDIS_PID")
bench redis --driver resp --host "127.0.0.1:$REDIS_PORT" --preload-only
redis_mem1=$(redis_info used_memory); redis_rss1=$(rss_kib "$REDIS_PID")
run_workloads redis --driver resp --host "127.0.0.1:$REDIS_PORT"
stop_pid "$REDIS_PID"; REDIS_PID=""

# ---- one Shoal member, no backups ---------------------------------------------------------------
write_member_config "$WORK/one.yaml" 1 0
start_member 0 "$WORK/one.yaml" "$WORK/member-one.log"
one_pid=$MEMBER_PID
SERVER_PIDS=("$one_pid")
wait_ready "$(member_host 0)"
shoal_rss0=$(rss_kib "$one_pid")
bench shoal --driver hazelcast --cluster-name bench --host "$(member_host 0):5701" --preload-only
shoal_rss1=$(rss_kib "$one_pid")
shoal_bytes=$(metric "$(member_host 0)" 'shoal_map_bytes{map="bench"}')
run_workloads shoal --driver hazelcast --cluster-name bench --host "$(member_host 0):5701"
stop_all

# ---- two Shoal members, backup-count 1 (every write waits for its backup) ------------------------
if [ "$TWO_MEMBERS" = 1 ]; then
  write_member_config "$WORK/two.yaml" 2 1
  start_member 0 "$WORK/two.yaml" "$WORK/member-two-0.log"
  SERVER_PIDS=("$MEMBER_PID")
  start_member 1 "$WORK/two.yaml" "$WORK/member-two-1.log"
  SERVER_PIDS+=("$MEMBER_PID")
  wait_ready "$(member_host 0)"; wait_ready "$(member_host 1)"
  wait_cluster "$(member_host 0)" 2
  two=(--driver hazelcast --cluster-name bench --host "$(member_host 0):5701" --host "$(member_host 1):5701")
  bench shoal2 "${two[@]}" --preload-only
  run_workloads shoal2 "${two[@]}"
  stop_all
fi

# ---- summary ------------------------------------------------------------------------------------
per_entry() { awk -v a="$1" -v b="$2" -v n="$KEYS" -v s="$3" 'BEGIN {printf "%.1f", (b - a) * s / n}'; }
jq -n --arg redis_used "$(per_entry "$redis_mem0" "$redis_mem1" 1)" \
      --arg redis_rss "$(per_entry "$redis_rss0" "$redis_rss1" 1024)" \
      --arg shoal_rss "$(per_entry "$shoal_rss0" "$shoal_rss1" 1024)" \
      --arg shoal_bytes "$(per_entry 0 "${shoal_bytes:-0}" 1)" \
      --slurpfile runs "$RUNS" --slurpfile cpu "$CPU" '
  def by($l): ($runs | map(select(.label == $l)) | first);
  def cpu($l): ($cpu | map(select(.label == $l)) | first | .server_cpu_us_per_op);
  def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else ($a / $b * 100 | round / 100) end;
  ($runs | map(select(.label | startswith("redis/")))
    | map(.label | sub("^redis/"; ""))) as $workloads
  | {
      workloads: [ $workloads[] as $w | {
        workload: $w,
        redis_ops: by("redis/" + $w).ops_per_sec, shoal_ops: by("shoal/" + $w).ops_per_sec,
        shoal2_ops: (by("shoal2/" + $w).ops_per_sec // null),
        throughput_ratio: ratio(by("shoal/" + $w).ops_per_sec; by("redis/" + $w).ops_per_sec),
        two_member_ratio: ratio(by("shoal2/" + $w).ops_per_sec; by("redis/" + $w).ops_per_sec),
        redis_p99_us: by("redis/" + $w).latency.p99_us, shoal_p99_us: by("shoal/" + $w).latency.p99_us,
        shoal2_p99_us: (by("shoal2/" + $w).latency.p99_us // null),
        p99_ratio: ratio(by("shoal/" + $w).latency.p99_us; by("redis/" + $w).latency.p99_us),
        redis_cpu_us_per_op: cpu("redis/" + $w), shoal_cpu_us_per_op: cpu("shoal/" + $w),
        shoal2_cpu_us_per_op: cpu("shoal2/" + $w),
        cpu_efficiency_ratio: ratio(cpu("redis/" + $w); cpu("shoal/" + $w)),
        redis_tool_cpu_us_per_op: by("redis/" + $w).load_cpu_us_per_op,
        shoal_tool_cpu_us_per_op: by("shoal/" + $w).load_cpu_us_per_op
      } ],
      memory_per_entry: { redis_used_memory: ($redis_used | tonumber), redis_rss: ($redis_rss | tonumber),
                          shoal_rss: ($shoal_rss | tonumber), shoal_map_bytes: ($shoal_bytes | tonumber) }
    }' >"$OUT/summary.json"

echo
echo "Shoal / Redis (ratio > 1: Shoal faster; p99 ratio < 1: Shoal lower; cpu ratio = Redis CPU per op / Shoal's, > 1: Shoal cheaper)"
jq -r '(["workload", "redis ops/s", "shoal ops/s", "ratio", "2 members+backup", "ratio", "redis p99 us", "shoal p99 us", "p99 ratio", "redis cpu us/op", "shoal cpu us/op", "cpu ratio", "tool us/op redis", "tool us/op shoal"] | @tsv),
       (.workloads[] | [.workload, (.redis_ops | round), (.shoal_ops | round), .throughput_ratio,
                        ((.shoal2_ops // 0) | round), (.two_member_ratio // "-"), .redis_p99_us, .shoal_p99_us, .p99_ratio,
                        .redis_cpu_us_per_op, .shoal_cpu_us_per_op, .cpu_efficiency_ratio,
                        .redis_tool_cpu_us_per_op, .shoal_tool_cpu_us_per_op] | @tsv)' \
  "$OUT/summary.json" | column -t -s $'\t'
echo
jq -r '.memory_per_entry | "bytes per entry after \('"$KEYS"') x '"$VALUE_SIZE"' B: redis used_memory \(.redis_used_memory), redis RSS \(.redis_rss); shoal RSS \(.shoal_rss), shoal /metrics map bytes \(.shoal_map_bytes)"' "$OUT/summary.json"
echo "runs: $RUNS, summary: $OUT/summary.json"
