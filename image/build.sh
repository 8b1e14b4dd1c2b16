#!/usr/bin/env bash
# Builds the Shoal member image (image/Containerfile) with podman (runc, the limits this machine
# allows) or docker.
#
#   image/build.sh            target `member`: compiles the member in the bookworm build stage
#   image/build.sh prebuilt   target `prebuilt`: the host's release binaries from build/ (same
#                             Debian bookworm), for a fast image check (make image-test)
#
# IMAGE overrides the name (default shoal/member:<version>, `-prebuilt` appended for prebuilt).
# Base images cannot be pulled on the machines here: when debian:bookworm(-slim) is missing and
# cannot be pulled, a bookworm minbase is made with debootstrap and imported under both names.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${1:-member}
case "$TARGET" in member | prebuilt) ;; *) echo "usage: $0 [member|prebuilt]" >&2; exit 2 ;; esac
VERSION=$(sed -n 's/^project(shoal VERSION \([0-9.]*\).*/\1/p' member/CMakeLists.txt)
IMAGE=${IMAGE:-shoal/member:${VERSION}$([ "$TARGET" = prebuilt ] && echo -prebuilt || true)}
BASES=(docker.io/library/debian:bookworm docker.io/library/debian:bookworm-slim)

if command -v podman >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  if ! command -v podman >/dev/null 2>&1; then
    echo "image: installing podman, runc, debootstrap"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends podman runc buildah debootstrap >/dev/null
  fi
  ENGINE=(podman --runtime runc)
  LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1000:1000)
else
  ENGINE=(docker)
  LIMITS=()
fi

image_exists() {
  if [ "${ENGINE[0]}" = podman ]; then "${ENGINE[@]}" image exists "$1"; else docker image inspect "$1" >/dev/null 2>&1; fi
}

# The base images: present, else pulled, else made with debootstrap (about a minute).
missing=()
for base in "${BASES[@]}"; do
  image_exists "$base" || timeout 60 "${ENGINE[@]}" pull -q "$base" >/dev/null 2>&1 || missing+=("$base")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v debootstrap >/dev/null || { echo "image: debootstrap is needed to make ${missing[*]}" >&2; exit 1; }
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  echo "image: ${missing[*]} cannot be pulled; making a bookworm minbase with debootstrap"
  debootstrap --variant=minbase bookworm "$root" >/dev/null  # debootstrap's default Debian mirror
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
  for base in "${missing[@]}"; do
    if [ "${base##*-}" = slim ]; then
      # What the slim variant leaves out: documentation, manuals, translations.
      find "$root"/usr/share/doc -type f ! -name copyright -delete
      rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
    fi
    tar -C "$root" -c . | "${ENGINE[@]}" import - "$base" >/dev/null
  done
  rm -rf "$root"
  trap - EXIT
fi

# A small build context: only what the Containerfile copies.
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/image" "$context/prebuilt"
cp image/Containerfile image/shoal.yaml "$context/image/"
if [ "$TARGET" = prebuilt ]; then
  for binary in shoal-member shoalctl shoal-sidecar-app shoal-embedded-app; do
    if [ -x "build/$binary" ]; then strip -o "$context/prebuilt/$binary" "build/$binary"; fi
  done
  for required in shoal-member shoalctl; do
    [ -x "$context/prebuilt/$required" ] || { echo "image: build/$required is missing: run make build" >&2; exit 1; }
  done
else
  cp -r member "$context/member"
fi

"${ENGINE[@]}" build "${LIMITS[@]}" -f "$context/image/Containerfile" --target "$TARGET" \
  --build-arg VERSION="$VERSION" --build-arg JOBS="${JOBS:-2}" \
  --build-arg REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  -t "$IMAGE" "$context"
echo "image: built $IMAGE"
