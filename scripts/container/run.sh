#!/usr/bin/env bash
# `npm run test:container`: builds the real Dockerfile with podman (chroot isolation, no daemon)
# on a locally made stand-in of its base image, then runs the image's filesystem with chroot as
# uid 1000 and checks it (scripts/container/image.test.mjs). Needs root, podman, debootstrap,
# iproute2: scripts/ci/install-container-tools.sh installs them on a bare Debian machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ "$(id -u)" != 0 ]; then
  echo "test:container needs root (podman build, chroot, mounts, network namespaces)" >&2
  exit 1
fi
for tool in podman debootstrap chroot ip unshare; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/ci/install-container-tools.sh" >&2; exit 1; }
done

"$here/make-base-image.sh"

cd "$repo"
status=0
node --test --test-concurrency=1 "$here/image.test.mjs" || status=$?

# Each build whose sources changed leaves the previous layers behind, untagged. Drop those older
# than a day, so reruns stay fast (recent build-cache layers stay) and the disk does not fill up.
podman image prune --force --filter until=24h >/dev/null 2>&1 || true
exit "$status"
