#!/usr/bin/env bash
# make image: build the member image with podman (runc; the limits this machine allows).
# Base images cannot be pulled here, so a bookworm minbase is made with debootstrap and imported
# as docker.io/library/debian:bookworm-slim when that image is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE=${IMAGE:-shoal/member:$(sed -n 's/^project(shoal VERSION \([0-9.]*\).*/\1/p' member/CMakeLists.txt)}
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1000:1000)

command -v podman >/dev/null || { apt-get update -qq && apt-get install -y -qq podman runc buildah debootstrap; }
if ! "${PODMAN[@]}" image exists docker.io/library/debian:bookworm-slim; then
  root=$(mktemp -d)
  echo "image: making a bookworm base with debootstrap in $root"
  debootstrap --variant=minbase bookworm "$root" >/dev/null
  tar -C "$root" -c . | "${PODMAN[@]}" import - docker.io/library/debian:bookworm-slim
  rm -rf "$root"
fi
"${PODMAN[@]}" build "${LIMITS[@]}" -f image/Containerfile -t "$IMAGE" .
echo "image: built $IMAGE"
