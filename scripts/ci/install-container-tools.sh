#!/usr/bin/env bash
# Installs what a bare Debian machine lacks for `npm run test:container`: podman (builds the
# Dockerfile with --isolation chroot, no daemon needed), debootstrap (makes the stand-in base
# image from the machine's own apt sources) and the small tools the test uses.
# Idempotent: a machine that already has them installs nothing and asks no mirror.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "install-container-tools: run as root (apt-get)" >&2
  exit 1
fi

# command → Debian package that provides it
declare -A wanted=(
  [podman]=podman
  [debootstrap]=debootstrap
  [unshare]=util-linux
  [setpriv]=util-linux
  [tar]=tar
  [curl]=curl
  [ip]=iproute2
  [chroot]=coreutils
  [mount]=mount
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
# podman's storage and networking helpers, needed by `podman build` even with chroot isolation.
for pkg in uidmap fuse-overlayfs containers-storage; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-container-tools: all present"
  exit 0
fi

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-container-tools: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-container-tools: done"
