#!/usr/bin/env bash
# make demo: start a member on this machine, write and read data through REST and shoalctl,
# print its health and member list, then stop it with SIGTERM and check it exits 0.
set -euo pipefail
cd "$(dirname "$0")/../.."

HOST=${DEMO_HOST:-127.0.1.1}
PORT=5701
BASE="http://$HOST:$PORT"
CTL=(build/shoalctl --address "$HOST:$PORT")
LOG=$(mktemp /tmp/shoal-demo.XXXXXX.log)
PID=""

cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "starting a member on $HOST:$PORT (log: $LOG)"
build/shoal-member -Dhazelcast.local.localAddress="$HOST" >"$LOG" 2>&1 &
PID=$!
"${CTL[@]}" health --wait-ready 30

step "writing three entries through REST (curl)"
for pair in "1 Paris" "2 Lyon" "3 Marseille"; do
  set -- $pair
  curl -sf -X POST -H 'Content-Type: text/plain' --data "$2" "$BASE/hazelcast/rest/maps/cities/$1" >/dev/null
  echo "POST /hazelcast/rest/maps/cities/$1 <- $2"
done
step "writing one entry through shoalctl"
"${CTL[@]}" put cities 4 Toulouse

step "reading them back"
for key in 1 2 3; do echo "REST     cities[$key] = $(curl -sf "$BASE/hazelcast/rest/maps/cities/$key")"; done
echo "shoalctl cities[4] = $("${CTL[@]}" get cities 4)"
echo "shoalctl size cities = $("${CTL[@]}" size cities)"

step "health"
"${CTL[@]}" health
step "cluster"
"${CTL[@]}" cluster
step "the member's log"
grep -A3 "Members {" "$LOG" || true

step "stopping the member with SIGTERM"
kill -TERM "$PID"
if wait "$PID"; then echo "member exited 0"; PID=""; else code=$?; PID=""; echo "member exited $code" >&2; exit 1; fi
tail -n 3 "$LOG"
