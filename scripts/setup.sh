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
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run this script as root or with sudo)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund

# The language runtimes are built here, while the network is up: the Debian source
# packages they come from are fetched once, so `npm start` afterwards needs no network.
npm run build:runtimes

# The `playpen` command itself, so a run does not pay for `npx` resolving it (~1 s here);
# `npx playpen` keeps working without it.
if [ "$(id -u)" -eq 0 ]; then
  ln -sf "$PWD/cli/bin/playpen.mjs" /usr/local/bin/playpen
else
  echo "setup: run as root (or with sudo) to install the playpen command in /usr/local/bin; npx playpen works meanwhile" >&2
fi
