#!/usr/bin/env bash
# Sets up the browser demo and its test (run by `make web`, hence by `make test`):
#   1. node + npm (Debian's nodejs/npm if missing),
#   2. LiteRT.js from the npm registry (npm ci: the versions of package-lock.json) and its
#      classic-script bundle vendor/litert.js (esbuild; the demo's worker cannot import ES modules
#      with bare specifiers),
#   3. Debian's chromium + chromium-driver for tests/web (no browser download), if missing.
# Installs only what is missing; fails with a message naming what could not be installed.
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[web-setup] $*" >&2; }

# as_root, apt_install
source "$WEB/../scripts/apt_install.sh"

command -v npm >/dev/null || apt_install nodejs npm
cd "$WEB"
log "npm ci (LiteRT.js $(node -p 'require("./package.json").dependencies["@litertjs/core"]'))"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
[ -s vendor/litert.js ] || { log "vendor/litert.js was not built"; exit 1; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi
log "ready: $(chromium --version 2>/dev/null | head -1), node $(node --version)"
touch node_modules/.mccnet-installed  # the Makefile's stamp: npm ci removes it
