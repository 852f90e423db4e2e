#!/usr/bin/env bash
# Installs js-ipfs (a real IPFS node speaking Kubo's RPC API) for the store's integration
# tests, in this folder only. Idempotent: does nothing when it is already installed.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/ipfs/src/cli.js ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "js-ipfs already installed in $(pwd)/node_modules"
else
  echo "installing js-ipfs into $(pwd)/node_modules (about 3 minutes, 325 MB)…"
  npm ci --ignore-scripts --no-audit --no-fund
fi
# Some dependencies ship their own *.test.ts, which the repo's vitest globs would pick up.
find node_modules -name '*.test.ts' -type f -delete
