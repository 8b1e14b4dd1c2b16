#!/usr/bin/env bash
# member/bench/per_op.sh TARGET PIPELINE MIX: what one operation costs a server, in counts that the
# machine's other load does not move: syscalls (reads, writes, epoll_wait, futex) and context
# switches per operation, plus CPU per operation (traced, so inflated about equally for every
# server), over one shoal-bench run. TARGET is "shoal" (one member, BENCH_MEMBER_BINARY),
# "shoal2" (two members with backup-count 1, counted over both processes) or "redis". The
# server runs on BENCH_SERVER_CPUS, the load on BENCH_LOAD_CPUS, as in bench-compare.
#
#   member/bench/per_op.sh shoal 16 80:20
#   BENCH_MEMBER_ARGS=-Dshoal.partition.operations-on-io-threads=false member/bench/per_op.sh shoal2 16 0:100
#   BENCH_MEMBER_BINARY=/tmp/main-member member/bench/per_op.sh shoal 1 100:0
#   BENCH_KEYS=1000000 member/bench/per_op.sh redis 16 80:20
set -euo pipefail
cd "$(dirname "$0")/../.."
source member/bench/common.sh

TARGET=$1 PIPELINE=$2 MIX=$3
KEYS=${BENCH_KEYS:-100000}
SECONDS_PER_RUN=${BENCH_SECONDS:-4}
WORK=$(mktemp -d /tmp/shoal-per-op.XXXXXX)
SERVER_PID=""
cleanup() { stop_all; [ -z "$SERVER_PID" ] || [ "$TARGET" = shoal2 ] || stop_pid "$SERVER_PID"; rm -rf "$WORK"; }
trap cleanup EXIT

if [ "$TARGET" = redis ]; then
  port=16379
  while ! port_free "$port"; do port=$((port + 1)); done
  $(pin "$SERVER_CPUS") redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --logfile /dev/null &
  SERVER_PID=$!
  for _ in $(seq 200); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.02; done
  args=(--driver resp --host "127.0.0.1:$port")
  reads=read writes=write
elif [ "$TARGET" = shoal2 ]; then
  check_hosts_free 2
  write_member_config "$WORK/two.yaml" 2 1
  start_member 0 "$WORK/two.yaml" "$WORK/member-0.log"
  SERVER_PID=$MEMBER_PID
  start_member 1 "$WORK/two.yaml" "$WORK/member-1.log"
  SERVER_PID="$SERVER_PID,$MEMBER_PID"  # perf stat -p takes a list; stop_all stops both
  wait_ready "$(member_host 0)"
  wait_ready "$(member_host 1)"
  wait_cluster "$(member_host 0)" 2
  args=(--driver hazelcast --cluster-name bench --host "$(member_host 0):5701")
  reads=recvfrom writes=sendto
else
  check_hosts_free 1
  write_member_config "$WORK/one.yaml" 1 0
  start_member 0 "$WORK/one.yaml" "$WORK/member.log"
  SERVER_PID=$MEMBER_PID
  wait_ready "$(member_host 0)"
  args=(--driver hazelcast --cluster-name bench --host "$(member_host 0):5701")
  reads=recvfrom writes=sendto
fi
args+=(--keys "$KEYS")
$(pin "$LOAD_CPUS") "$LOAD_BIN" "${args[@]}" --preload-only >/dev/null

# The trace covers the warmup (0.5 s) and the run; the ops are scaled to that window.
window=$(awk -v s="$SECONDS_PER_RUN" 'BEGIN {print s + 0.5}')
events="syscalls:sys_enter_$reads,syscalls:sys_enter_$writes,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,context-switches,task-clock"
perf stat -x, -o "$WORK/stat.csv" -e "$events" -p "$SERVER_PID" -- sleep "$window" &
perf_pid=$!
$(pin "$LOAD_CPUS") "$LOAD_BIN" "${args[@]}" --mix "$MIX" --pipeline "$PIPELINE" --duration "$SECONDS_PER_RUN" \
  --warmup 0.5 --json "$WORK/run.json" >/dev/null
wait "$perf_pid"
ops=$(jq --argjson w "$window" '.ops * $w / .seconds' "$WORK/run.json")
awk -F, -v ops="$ops" -v w="$window" -v label="$TARGET depth $PIPELINE mix $MIX, $KEYS keys" '
  $3 ~ /sys_enter|context|task-clock/ {
    name = $3; sub("syscalls:sys_enter_", "", name)
    if (name == "task-clock") printf "cpu_us=%.2f ", $1 * 1000 / ops; else printf "%s=%.3f ", name, $1 / ops
  }
  END { printf "per op  [%s: %.0f ops/s]\n", label, ops / w }' "$WORK/stat.csv"
