#!/usr/bin/env bash
# Installs the pinned Node tools of the static checks (package-lock.json) into the repository's
# node_modules, with `npm ci`: nothing is installed globally. Re-running it is cheap: it
# reinstalls only when package-lock.json changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stamp="$root/node_modules/.gradual-package-lock.sha256"
wanted=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-node-tools: npm is needed for the static checks (Node.js 18 or later)" >&2
  exit 1
fi
echo "Installing the pinned Node tools into $root/node_modules…"
(cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
echo "$wanted" >"$stamp"
