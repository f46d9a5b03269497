#!/usr/bin/env bash
# Builds every Lambda function in the release profile (stripped, size-optimised: see
# [profile.release] in Cargo.toml) and prints the size of each binary, against the 8 MB goal;
# then runs each binary as Lambda would (function-memory: a stand-in for the Runtime API, the
# local emulator for AWS) and prints its peak resident memory against the 128 MB it is given.
# These are host binaries; `make sam-build` produces the arm64 ones SAM deploys, which came out
# about a fifth smaller (docs/deploy-to-aws.md lists both).
#
# Usage: scripts/bench-binaries.sh [function ...]   (default: every crate under functions/)
# Needs the project's Python environment for the emulator: `make venv` (make test makes it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
goal=$((8 * 1000 * 1000))

if [ "$#" -gt 0 ]; then
  functions=("$@")
else
  functions=()
  for manifest in functions/*/Cargo.toml; do
    functions+=("$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -1)")
  done
fi

packages=()
for function in "${functions[@]}"; do
  packages+=(-p "$function")
done
cargo build --release --locked "${packages[@]}"

target_dir=${CARGO_TARGET_DIR:-$root/target}
printf '%-24s %12s %9s  %s\n' function bytes MB "goal ≤ 8 MB"
over=0
for function in "${functions[@]}"; do
  binary="$target_dir/release/$function"
  bytes=$(stat -c %s "$binary")
  verdict=ok
  if [ "$bytes" -gt "$goal" ]; then
    verdict=OVER
    over=$((over + 1))
  fi
  printf '%-24s %12d %9s  %s\n' "$function" "$bytes" \
    "$(awk -v bytes="$bytes" 'BEGIN { printf "%.2f", bytes / 1000000 }')" "$verdict"
done
echo "$over of ${#functions[@]} over the goal"

echo
cargo run --profile tools --locked -q -p gradual-bench --bin function-memory -- "${functions[@]}"
