#!/usr/bin/env bash
# One-time set-up on Debian 12: the toolchain that builds the WASI examples,
# Chromium for the browser tests, the native sandboxes the comparison runs
# (their daemons are not started), what the runtime build needs (dpkg-dev for
# `apt-get source`, tcl/make/gcc for SQLite's generated sources), the npm
# dependencies, and the runtimes themselves. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 dpkg-dev tcl make gcc patch debian-archive-keyring chromium bubblewrap runc crun busybox-static firejail)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# As root, system steps run as they are; as a user, through sudo (asked for only when needed).
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup: run this script as root, or install sudo: it installs Debian packages and the playpen command" >&2
    exit 1
  fi
  as_root=(sudo)
fi

if [ ${#missing[@]} -gt 0 ]; then
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund

# The language runtimes are built here, while the network is up: the Debian source
# packages they come from are fetched once, so `npm start` afterwards needs no network.
npm run build:runtimes

# The `playpen` command itself, so a run does not pay for `npx` resolving it (~1 s here);
# `npx playpen` keeps working without it.
"${as_root[@]}" ln -sf "$PWD/cli/bin/playpen.mjs" /usr/local/bin/playpen
