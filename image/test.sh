#!/usr/bin/env bash
# make image-test: builds the image's `prebuilt` target from the host's release binaries (build/,
# Debian bookworm like the image) -- or, with the argument `member`, the full image compiled in
# its build stage (make image) -- runs it as the chart does (uid 65534, read-only root, no
# capabilities), and checks that health answers 200, that shoalctl inside the image round-trips
# a put/get, and prints the image size. IMAGE_TEST_SKIP_BUILD=1 reuses an already built image.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${1:-prebuilt}
case "$TARGET" in member | prebuilt) ;; *) echo "usage: $0 [prebuilt|member]" >&2; exit 2 ;; esac
VERSION=$(sed -n 's/^project(shoal VERSION \([0-9.]*\).*/\1/p' member/CMakeLists.txt)
IMAGE=${IMAGE:-shoal/member:${VERSION}$([ "$TARGET" = prebuilt ] && echo -prebuilt || true)}
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1000:1000)
DEADLINE_SECONDS=${IMAGE_TEST_DEADLINE:-60}

[ "${IMAGE_TEST_SKIP_BUILD:-0}" = 1 ] || IMAGE="$IMAGE" image/build.sh "$TARGET"

name="shoal-image-test-$$"
cleanup() { "${PODMAN[@]}" rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

"${PODMAN[@]}" run -d --name "$name" "${LIMITS[@]}" \
  --user 65534:65534 --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
  -p 127.0.0.1::5701 "$IMAGE" >/dev/null
port=$("${PODMAN[@]}" port "$name" 5701/tcp | sed 's/.*://')
echo "image-test: $IMAGE running as $name, member port published on 127.0.0.1:$port"

fail() {
  echo "image-test: FAIL: $*" >&2
  "${PODMAN[@]}" logs "$name" 2>&1 | tail -n 40 >&2 || true
  exit 1
}

# Poll until ready, with a deadline.
deadline=$(($(date +%s) + DEADLINE_SECONDS))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/hazelcast/health/ready")" = 200 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "not ready within ${DEADLINE_SECONDS}s"
  "${PODMAN[@]}" container exists "$name" || fail "the container exited"
  sleep 0.5
done
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/hazelcast/health")
[ "$code" = 200 ] || fail "GET /hazelcast/health answered $code"
echo "image-test: health 200: $(curl -s "http://127.0.0.1:$port/hazelcast/health")"

# shoalctl inside the image, against the member inside the image.
"${PODMAN[@]}" exec "$name" shoalctl put image-test greeting "hello from the image" >/dev/null || fail "shoalctl put"
got=$("${PODMAN[@]}" exec "$name" shoalctl get image-test greeting) || fail "shoalctl get"
[ "$got" = "hello from the image" ] || fail "shoalctl get returned '$got'"
# And over the published port, as a client outside the pod would.
[ "$(curl -s "http://127.0.0.1:$port/hazelcast/rest/maps/image-test/greeting")" = "hello from the image" ] ||
  fail "REST read over the published port"
echo "image-test: put/get round-trip OK (shoalctl in the image and REST over the published port)"

user=$("${PODMAN[@]}" exec "$name" id -u)
[ "$user" = 65534 ] || fail "runs as uid $user, not 65534"
for binary in shoal-member shoalctl; do
  "${PODMAN[@]}" exec "$name" test -x "/usr/local/bin/$binary" || fail "$binary missing"
done
"${PODMAN[@]}" exec "$name" shoal-member --version
for app in shoal-sidecar-app shoal-embedded-app; do
  if "${PODMAN[@]}" exec "$name" test -x "/usr/local/bin/$app"; then echo "image-test: $app included"; else
    echo "image-test: $app not in the image (member/examples does not build it yet)"; fi
done

size=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
echo "image-test: $IMAGE size $((size / 1024 / 1024)) MiB; labels:"
"${PODMAN[@]}" image inspect --format '{{range $k, $v := .Labels}}  {{$k}}={{$v}}{{"\n"}}{{end}}' "$IMAGE" | grep opencontainers
"${PODMAN[@]}" stop -t 10 "$name" >/dev/null
status=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$name")
[ "$status" = 0 ] || fail "exit code $status after SIGTERM (expected 0)"
echo "image-test: SIGTERM -> exit 0; passed"
