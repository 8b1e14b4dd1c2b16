#!/usr/bin/env bash
# make bench-lifecycle: how long a member takes to start, join, migrate and leave.
#
#   start        exec of shoal-member -> /hazelcast/health/ready 200 (one member; BENCH_REPEAT runs)
#   join 2nd     exec of a second member -> both see 2 members and the cluster is safe
#   join 6th     the same for a sixth member joining five
#   migration    a member joins one that holds BENCH_LIFECYCLE_KEYS x BENCH_LIFECYCLE_VALUE_SIZE B
#                (default 1M x 1000 B = 1 GB), backup-count 1: time to cluster-safe, and the map
#                bytes the newcomer then holds (its /metrics) per second
#   shutdown     SIGTERM (graceful policy: partitions handed over first) of a member of that
#                loaded pair -> process exit
# Members run pinned to BENCH_SERVER_CPUS, each on its own 127.0.77.x. Results as a table and in
# $BENCH_OUT/lifecycle.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
source member/bench/common.sh

REPEAT=${BENCH_REPEAT:-3}
KEYS=${BENCH_LIFECYCLE_KEYS:-1000000}
VALUE_SIZE=${BENCH_LIFECYCLE_VALUE_SIZE:-1000}
OUT=${BENCH_OUT:-build/bench-results}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/shoal-lifecycle.XXXXXX)
trap 'stop_all; rm -rf "$WORK"' EXIT
check_hosts_free 6
echo "bench-lifecycle: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); members on cpu $SERVER_CPUS"

median() { tr ' ' '\n' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# ---- start to ready --------------------------------------------------------------------------
write_member_config "$WORK/one.yaml" 1 1
starts=()
for ((r = 0; r < REPEAT; r++)); do
  t0=$(now_ns)
  start_member 0 "$WORK/one.yaml" "$WORK/start-$r.log"
  wait_ready "$(member_host 0)"
  starts+=("$(ms_since "$t0")")
  stop_all
done
start_ms=$(echo "${starts[@]}" | median)
echo "start to ready: ${starts[*]} ms (median $start_ms)"

# ---- join: 2nd and 6th member ----------------------------------------------------------------
write_member_config "$WORK/six.yaml" 6 1
joins2=(); joins6=()
for ((r = 0; r < REPEAT; r++)); do
  start_member 0 "$WORK/six.yaml" "$WORK/join-$r-0.log"
  wait_ready "$(member_host 0)"
  t0=$(now_ns)
  start_member 1 "$WORK/six.yaml" "$WORK/join-$r-1.log"
  wait_ready "$(member_host 1)"
  wait_cluster "$(member_host 0)" 2
  joins2+=("$(ms_since "$t0")")
  for i in 2 3 4; do start_member "$i" "$WORK/six.yaml" "$WORK/join-$r-$i.log"; done
  for i in 2 3 4; do wait_ready "$(member_host "$i")"; done
  wait_cluster "$(member_host 0)" 5
  t0=$(now_ns)
  start_member 5 "$WORK/six.yaml" "$WORK/join-$r-5.log"
  wait_ready "$(member_host 5)"
  wait_cluster "$(member_host 0)" 6
  joins6+=("$(ms_since "$t0")")
  stop_all
done
join2_ms=$(echo "${joins2[@]}" | median)
join6_ms=$(echo "${joins6[@]}" | median)
echo "2nd member join: ${joins2[*]} ms (median $join2_ms)"
echo "6th member join: ${joins6[*]} ms (median $join6_ms)"

# ---- migration into a joining member, then graceful shutdown ---------------------------------
write_member_config "$WORK/two.yaml" 2 1
start_member 0 "$WORK/two.yaml" "$WORK/migration-0.log"
wait_ready "$(member_host 0)"
$(pin "$LOAD_CPUS") "$LOAD_BIN" --driver hazelcast --cluster-name bench --host "$(member_host 0):5701" \
  --keys "$KEYS" --value-size "$VALUE_SIZE" --connections 16 --preload-only --label lifecycle >"$WORK/load.txt"
held=$(metric "$(member_host 0)" 'shoal_map_bytes{map="bench"}')
t0=$(now_ns)
start_member 1 "$WORK/two.yaml" "$WORK/migration-1.log"
second=$MEMBER_PID
wait_ready "$(member_host 1)" 300
wait_cluster "$(member_host 0)" 2 600
migration_ms=$(ms_since "$t0")
moved=$(metric "$(member_host 1)" 'shoal_map_bytes{map="bench"}')
moved_entries=$(metric "$(member_host 1)" 'shoal_map_entries{map="bench"}')
mb_per_s=$(awk -v b="${moved:-0}" -v ms="$migration_ms" 'BEGIN {printf "%.1f", b / 1e6 / (ms / 1000)}')
echo "migration: member 0 held $held B; the joining member holds $moved B ($moved_entries entries) after $migration_ms ms: $mb_per_s MB/s"

t0=$(now_ns)
kill -TERM "$second"
wait "$second" 2>/dev/null || true
shutdown_ms=$(ms_since "$t0")
left=$(metric "$(member_host 0)" 'shoal_map_entries{map="bench"}')
echo "graceful shutdown of a member holding $moved B: $shutdown_ms ms (the survivor then holds $left entries)"
stop_all

jq -n --argjson start "$start_ms" --argjson join2 "$join2_ms" --argjson join6 "$join6_ms" \
  --argjson migration_ms "$migration_ms" --argjson moved "${moved:-0}" --argjson held "${held:-0}" \
  --argjson mbps "$mb_per_s" --argjson shutdown "$shutdown_ms" --argjson left "${left:-0}" \
  --arg starts "${starts[*]}" --arg joins2 "${joins2[*]}" --arg joins6 "${joins6[*]}" \
  '{start_to_ready_ms: $start, start_runs_ms: $starts, second_join_ms: $join2, second_join_runs_ms: $joins2,
    sixth_join_ms: $join6, sixth_join_runs_ms: $joins6, loaded_bytes: $held, migration_ms: $migration_ms,
    migrated_bytes: $moved, migration_mb_per_s: $mbps, graceful_shutdown_ms: $shutdown, survivor_entries: $left}' \
  >"$OUT/lifecycle.json"
echo "results: $OUT/lifecycle.json"
