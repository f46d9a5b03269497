#!/usr/bin/env bash
# Creates the project-local Python environment (.venv) with the pinned emulator and linters.
# Re-running it is cheap: it reinstalls only when scripts/requirements.txt changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$root/scripts/requirements.txt" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "Setting up $venv (pinned emulator and linters)…"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/requirements.txt"
echo "$wanted" >"$stamp"
