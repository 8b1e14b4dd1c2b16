# Helpers shared by compare.sh and lifecycle.sh: member and redis processes, readiness, metrics.
# Sourced, not run. Members bind 127.0.77.x:5701 (a range no test or demo uses) in cluster "bench".

# Not SHOAL_*: the member reads SHOAL_* environment variables as configuration.
MEMBER_BIN=${BENCH_MEMBER_BINARY:-build/shoal-member}
LOAD_BIN=${BENCH_LOAD_BINARY:-build/shoal-bench}
SERVER_CPUS=${BENCH_SERVER_CPUS:-0}
LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
BENCH_HOST_PREFIX=${BENCH_HOST_PREFIX:-127.0.77}
PIDS=()

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

# "taskset -c CPUS" when the machine has the cores asked for, else nothing (run unpinned). A
# command prefix, not a function, so that `$(pin CPUS) cmd &` leaves $! the command's own pid.
pin() {
  if command -v taskset >/dev/null 2>&1 && taskset -c "$1" true 2>/dev/null; then echo "taskset -c $1"; fi
}

member_host() { echo "$BENCH_HOST_PREFIX.$(( $1 + 1 ))"; }

# write_member_config FILE COUNT BACKUPS: a tcp-ip cluster of COUNT members, map "bench".
write_member_config() {
  local file=$1 count=$2 backups=$3 i
  {
    echo "hazelcast:"
    echo "  cluster-name: bench"
    echo "  network:"
    echo "    join:"
    echo "      tcp-ip:"
    echo "        enabled: true"
    echo "        members:"
    for ((i = 0; i < count; i++)); do echo "          - $(member_host "$i")"; done
    echo "  map:"
    echo "    bench:"
    echo "      backup-count: $backups"
  } >"$file"
}

# start_member INDEX CONFIG LOG [extra args]: starts it pinned to the server cores; sets MEMBER_PID.
# BENCH_MEMBER_ARGS are added to every member's command line (an A/B of a property:
# BENCH_MEMBER_ARGS=-Dshoal.partition.operations-on-io-threads=false).
start_member() {
  local index=$1 config=$2 log=$3; shift 3
  # shellcheck disable=SC2086 # word splitting of BENCH_MEMBER_ARGS is the point
  $(pin "$SERVER_CPUS") "$MEMBER_BIN" --config "$config" -Dhazelcast.local.localAddress="$(member_host "$index")" \
    ${BENCH_MEMBER_ARGS:-} "$@" >"$log" 2>&1 &
  MEMBER_PID=$!
  PIDS+=("$MEMBER_PID")
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }

# wait_ready HOST [TIMEOUT_S]: polls readiness every 5 ms.
wait_ready() {
  local host=$1 timeout=${2:-60} start
  start=$(now_ns)
  until [ "$(http_code "http://$host:5701/hazelcast/health/ready")" = 200 ]; do
    (( $(ms_since "$start") < timeout * 1000 )) || { echo "member $host not ready after ${timeout}s" >&2; return 1; }
    sleep 0.005
  done
}

# wait_cluster HOST SIZE [TIMEOUT_S]: cluster size SIZE and cluster-safe (no migrations pending).
wait_cluster() {
  local host=$1 size=$2 timeout=${3:-120} start
  start=$(now_ns)
  until [ "$(curl -s --max-time 2 "http://$host:5701/hazelcast/health/cluster-size" 2>/dev/null)" = "$size" ] &&
        [ "$(http_code "http://$host:5701/hazelcast/health/cluster-safe")" = 200 ]; do
    (( $(ms_since "$start") < timeout * 1000 )) || { echo "cluster at $host not $size members and safe after ${timeout}s" >&2; return 1; }
    sleep 0.01
  done
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
metric() {  # metric HOST NAME: the value of the first sample of NAME
  curl -s --max-time 5 "http://$1:5701/metrics" | awk -v n="$2" 'index($0, n) == 1 {print $2; exit}'
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_hosts_free() {
  local i
  for ((i = 0; i < $1; i++)); do
    if ! port_free_at "$(member_host "$i")" 5701; then echo "$(member_host "$i"):5701 is in use" >&2; return 1; fi
  done
}
port_free_at() { ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

stop_pid() {  # SIGTERM, then SIGKILL after 20 s
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 2000; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop_all() { local pid; for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; PIDS=(); }
