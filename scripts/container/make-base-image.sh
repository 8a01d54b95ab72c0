#!/usr/bin/env bash
# Makes a test-only stand-in for the Dockerfile's base image (node:24-bookworm-slim), for machines
# that cannot pull from an image registry: Debian bookworm by debootstrap from this machine's own
# apt sources, plus Node.js of the image's major (24), binary, npm and headers, installed from the
# npm registry by scripts/ci/install-node.sh (as .ci/run installs it) and laid out as the official
# image lays it out (/usr/local/bin/node, /usr/local/lib/node_modules/npm, /usr/local/include/node),
# and its `node` user (uid/gid 1000). Imported with `podman import` under the base image's name.
#
# The debootstrapped tree is cached outside the repo (PARLEY_CONTAINER_CACHE, default
# $XDG_CACHE_HOME/parley-container or /var/cache/parley-container), so reruns take seconds.
# Nothing of it ever ships: a real build pulls the real base image.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
log() { echo "make-base-image: $*" >&2; }

[ "$(id -u)" = 0 ] || { log "run as root (debootstrap, chroot, podman)"; exit 1; }
for tool in podman debootstrap chroot tar; do
  command -v "$tool" >/dev/null || { log "$tool is missing: run scripts/ci/install-container-tools.sh"; exit 1; }
done

# The base image's name, read from the Dockerfile so the two never disagree.
base_image="${BASE_IMAGE:-$(sed -n 's/^ARG NODE_IMAGE=\(.*\)$/\1/p' "$repo/Dockerfile" | head -n1)}"
[ -n "$base_image" ] || { log "no 'ARG NODE_IMAGE=' in the Dockerfile"; exit 1; }
suite="${DEBIAN_SUITE:-bookworm}"
arch="$(dpkg --print-architecture)"
cache="${PARLEY_CONTAINER_CACHE:-${XDG_CACHE_HOME:-/var/cache}/parley-container}"
mkdir -p "$cache"

# --- Node.js of the image's major, from the npm registry (the machine's own may be older) -----
major="$(printf '%s' "$base_image" | sed -n 's/^node:\([0-9][0-9]*\).*/\1/p')"
[ -n "$major" ] || { log "cannot read a Node major from $base_image"; exit 1; }
node_prefix="$(NODE_MAJOR="$major" bash "$repo/scripts/ci/install-node.sh")"
node_bin="$node_prefix/bin/node"
node_version="$("$node_bin" --version)"
case "$node_version" in "v$major".*) ;; *) log "$node_bin is $node_version; the image expects Node $major"; exit 1 ;; esac
npm_dir="$node_prefix/lib/node_modules/npm"
headers="$node_prefix/include/node"
[ -f "$headers/node_api.h" ] || { log "no Node headers in $node_prefix"; exit 1; }
npm_version="$("$node_bin" "$npm_dir/bin/npm-cli.js" --version)"
# A machine whose HTTPS goes through a proxy with its own CA: the stand-in trusts what this
# machine trusts, so `npm ci` in the build stage can reach the npm registry as the host does.
ca_bundle="${NODE_EXTRA_CA_CERTS:-}"
[ -n "$ca_bundle" ] || ca_bundle="$(npm config get cafile 2>/dev/null || true)"
[ "$ca_bundle" = "null" ] || [ "$ca_bundle" = "undefined" ] && ca_bundle=""
[ -z "$ca_bundle" ] || [ -f "$ca_bundle" ] || ca_bundle=""

stamp="$suite-$arch-node-$node_version-npm-$npm_version-ca-$( [ -n "$ca_bundle" ] && sha256sum "$ca_bundle" | cut -c1-12 || echo none)-v1"
if [ "$(podman image inspect --format '{{index .Labels "parley.standin"}}' "$base_image" 2>/dev/null || true)" = "$stamp" ]; then
  log "$base_image is up to date ($stamp)"
  exit 0
fi

# --- the apt mirror this machine uses, read at run time ----------------------------------------
apt_uris() { # prints "URI SUITE" pairs for every Debian source of the machine
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\)[[:space:]]\+\([^[:space:]]\+\).*/\2 \3/p' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""; FS="\n"}
      { uris=""; suites=""; enabled=1
        for (i=1;i<=NF;i++) {
          if ($i ~ /^URIs:/) { uris=$i; sub(/^URIs:[ \t]*/,"",uris) }
          if ($i ~ /^Suites:/) { suites=$i; sub(/^Suites:[ \t]*/,"",suites) }
          if ($i ~ /^Enabled:[ \t]*no/) enabled=0 }
        if (enabled && uris != "") { n=split(uris,u," "); m=split(suites,s," ")
          for (a=1;a<=n;a++) for (b=1;b<=m;b++) print u[a], s[b] } }' "$f"
  done
}
mirror="${DEBIAN_MIRROR:-$(apt_uris | awk -v s="$suite" '$2==s {print $1; exit}')}"
security="$(apt_uris | awk -v s="$suite-security" '$2==s {print $1; exit}')"
[ -n "$mirror" ] || { log "no apt source for $suite on this machine; set DEBIAN_MIRROR"; exit 1; }

# --- Debian, debootstrapped once and cached ---------------------------------------------------
rootfs_tar="$cache/debian-$suite-$arch-minbase.tar"
if [ ! -s "$rootfs_tar" ]; then
  log "debootstrap $suite ($arch) from the machine's mirror; this takes a few minutes once"
  work="$(mktemp -d "$cache/debootstrap.XXXXXX")"
  trap 'umount -R "$work/rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
  keyring=()
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
  debootstrap --variant=minbase --arch="$arch" "${keyring[@]}" "$suite" "$work/rootfs" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" "$suite" "$suite"
    [ -z "$security" ] || printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$security" "$suite"
  } >"$work/rootfs/etc/apt/sources.list.d/debian.sources"
  rm -f "$work/rootfs/etc/apt/sources.list"
  # What debian:*-slim leaves out: docs, man pages, locales, apt lists and caches.
  rm -rf "$work/rootfs"/usr/share/{doc,man,info,locale}/* "$work/rootfs"/var/lib/apt/lists/* \
    "$work/rootfs"/var/cache/apt/*.bin "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/log/*.log
  chroot "$work/rootfs" groupadd --gid 1000 node
  chroot "$work/rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  tar -C "$work/rootfs" --numeric-owner -cf "$rootfs_tar.partial" .
  mv "$rootfs_tar.partial" "$rootfs_tar"
  rm -rf "$work"
  trap - EXIT
fi

# --- Node.js on top, the way the official image lays it out -----------------------------------
layer="$(mktemp -d "$cache/node.XXXXXX")"
trap 'rm -rf "$layer"' EXIT
mkdir -p "$layer/usr/local/bin" "$layer/usr/local/lib/node_modules" "$layer/usr/local/include"
cp "$node_bin" "$layer/usr/local/bin/node"
cp -a "$npm_dir" "$layer/usr/local/lib/node_modules/npm"
cp -a "$headers" "$layer/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$layer/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$layer/usr/local/bin/npx"
changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "ENV NODE_VERSION=${node_version#v}" --change 'CMD ["node"]'
  --change "LABEL parley.standin=$stamp")
if [ -n "$ca_bundle" ]; then
  mkdir -p "$layer/usr/local/share/parley-standin"
  cp "$ca_bundle" "$layer/usr/local/share/parley-standin/ca-bundle.crt"
  changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/parley-standin/ca-bundle.crt')
fi
cp "$rootfs_tar" "$layer.tar"
# Only paths the Debian tree lacks, so the one-layer tarball has no duplicate entries.
added=(./usr/local/bin/node ./usr/local/bin/npm ./usr/local/bin/npx ./usr/local/lib/node_modules ./usr/local/include/node)
[ -z "$ca_bundle" ] || added+=(./usr/local/share/parley-standin)
tar -C "$layer" --numeric-owner --owner=0 --group=0 -rf "$layer.tar" "${added[@]}"
log "importing $base_image (node $node_version, npm $npm_version)"
podman import --quiet "${changes[@]}" "$layer.tar" "$base_image" >/dev/null
rm -f "$layer.tar"
log "$base_image ready: $(podman image inspect --format '{{.Size}}' "$base_image" | awk '{printf "%.0f MB", $1/1e6}')"
