#!/usr/bin/env bash
# make demo: three members on this machine (127.0.1.1-3, port 5701 each) form a cluster through
# a static member list; 1000 entries go in through REST, one through shoalctl; one member is SIGKILLed; every entry is
# read back from the survivors and the new member list printed; the rest stop gracefully.
set -euo pipefail
cd "$(dirname "$0")/../.."

HOSTS=(127.0.1.1 127.0.1.2 127.0.1.3)
ENTRIES=${DEMO_ENTRIES:-1000}
DIR=$(mktemp -d /tmp/shoal-demo.XXXXXX)
PIDS=()

cleanup() { for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ctl() { local host=$1; shift; build/shoalctl --address "$host:5701" "$@"; }

step "starting 3 members (logs in $DIR)"
cat >"$DIR/shoal.yaml" <<EOF
hazelcast:
  cluster-name: demo
  network:
    join:
      tcp-ip:
        enabled: true
        members: [${HOSTS[0]}, ${HOSTS[1]}, ${HOSTS[2]}]
EOF
for i in 0 1 2; do
  build/shoal-member --config "$DIR/shoal.yaml" -Dhazelcast.local.localAddress="${HOSTS[$i]}" >"$DIR/member-$i.log" 2>&1 &
  PIDS+=($!)
done
for host in "${HOSTS[@]}"; do ctl "$host" --cluster-name demo health --wait-ready 30 >/dev/null; done
ctl "${HOSTS[0]}" --cluster-name demo cluster

step "writing $ENTRIES entries through REST, spread over the members"
for ((k = 0; k < ENTRIES; k++)); do
  host=${HOSTS[$((k % 3))]}
  [ "$k" = 0 ] || echo next
  printf 'url = "http://%s:5701/hazelcast/rest/maps/demo/key-%d"\ndata = "value-%d"\n' "$host" "$k" "$k"
  printf 'header = "Content-Type: text/plain"\nsilent\nshow-error\nfail\noutput = /dev/null\n'
done >"$DIR/puts.curl"
curl --parallel --parallel-max 16 -K "$DIR/puts.curl" 2>"$DIR/curl.err" || { cat "$DIR/curl.err"; exit 1; }
echo "map demo holds $(ctl "${HOSTS[0]}" --cluster-name demo size demo) entries"
ctl "${HOSTS[1]}" --cluster-name demo put demo greeting "hello from shoalctl"
echo "shoalctl get demo greeting = $(ctl "${HOSTS[2]}" --cluster-name demo get demo greeting)"
ctl "${HOSTS[0]}" --cluster-name demo health

step "SIGKILL of the member on ${HOSTS[2]}"
kill -9 "${PIDS[2]}"
wait "${PIDS[2]}" 2>/dev/null || true
for _ in $(seq 1 100); do
  size=$(curl -sf "http://${HOSTS[0]}:5701/hazelcast/health/cluster-size" || echo 0)
  [ "$size" = 2 ] && break
  sleep 0.1
done
ctl "${HOSTS[0]}" --cluster-name demo cluster

step "reading every entry back from the survivors"
mkdir -p "$DIR/got"
for ((k = 0; k < ENTRIES; k++)); do
  [ "$k" = 0 ] || echo next
  printf 'url = "http://%s:5701/hazelcast/rest/maps/demo/key-%d"\noutput = "%s/got/key-%d"\nsilent\n' \
    "${HOSTS[$((k % 2))]}" "$k" "$DIR" "$k"
done >"$DIR/gets.curl"
curl --parallel --parallel-max 16 -K "$DIR/gets.curl" 2>"$DIR/curl.err" || { cat "$DIR/curl.err"; exit 1; }
missing=0
for ((k = 0; k < ENTRIES; k++)); do
  value=""
  [ -f "$DIR/got/key-$k" ] && value=$(<"$DIR/got/key-$k")
  [ "$value" = "value-$k" ] || missing=$((missing + 1))
done
echo "$((ENTRIES - missing)) of $ENTRIES entries readable, $missing missing"
echo "shoalctl get demo greeting = $(ctl "${HOSTS[1]}" --cluster-name demo get demo greeting)"

step "stopping the other two with SIGTERM (graceful: data handed over first)"
kill -TERM "${PIDS[1]}"
wait "${PIDS[1]}" && echo "member on ${HOSTS[1]} exited 0"
echo "map demo holds $(ctl "${HOSTS[0]}" --cluster-name demo size demo) entries on the last member"
kill -TERM "${PIDS[0]}"
wait "${PIDS[0]}" && echo "member on ${HOSTS[0]} exited 0"
PIDS=()
grep -h "graceful shutdown" "$DIR"/member-*.log | tail -n 4
[ "$missing" = 0 ]
