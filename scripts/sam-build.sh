#!/usr/bin/env bash
# Builds every function of template.yaml as SAM deploys it — `sam build --beta-features`, whose
# rust-cargolambda build method cross-compiles each binary for arm64 with cargo-lambda and zig —
# then checks that every function got an aarch64 `bootstrap`.
#
# What it needs, installed here on first use when missing (docs/deploy-to-aws.md):
#   - the SAM CLI, from .venv (scripts/bootstrap-venv.sh);
#   - zig, from PyPI's ziglang package, pinned below, into .venv;
#   - cargo-lambda, pinned below, built with `cargo install --locked` into target/tools (about
#     ten minutes, once);
#   - the Rust standard library for aarch64-unknown-linux-gnu (`rustup target add`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

ziglang_version=0.15.2
cargo_lambda_version=1.9.2
tools="$root/target/tools"

scripts/bootstrap-venv.sh
# cargo-lambda finds zig as `python3 -m ziglang`: .venv's python3 comes first.
export PATH="$tools/bin:$root/.venv/bin:$PATH"

if ! python3 -m ziglang version >/dev/null 2>&1; then
  echo "Installing zig (ziglang $ziglang_version) into .venv…"
  "$root/.venv/bin/pip" install --quiet --disable-pip-version-check "ziglang==$ziglang_version"
fi
if ! cargo lambda --version >/dev/null 2>&1; then
  echo "Installing cargo-lambda $cargo_lambda_version into $tools (about ten minutes, once)…"
  cargo install --locked --quiet --root "$tools" cargo-lambda --version "$cargo_lambda_version"
fi
if ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
  rustup target add aarch64-unknown-linux-gnu
fi
echo "zig $(python3 -m ziglang version), $(cargo lambda --version)"

# Building needs no account; the SAM CLI still wants a region.
AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} SAM_CLI_TELEMETRY=0 \
  sam build --beta-features

# Every function of the template, by logical id: SAM builds each into .aws-sam/build/<id>/.
mapfile -t functions < <(python3 -c '
from samcli.yamlhelper import yaml_parse
template = yaml_parse(open("template.yaml").read())
for name, resource in template["Resources"].items():
    if resource["Type"] == "AWS::Serverless::Function":
        print(name)
')
if [ "${#functions[@]}" -eq 0 ]; then
  echo "sam-build: template.yaml has no function" >&2
  exit 1
fi

failures=0
for function in "${functions[@]}"; do
  bootstrap=".aws-sam/build/$function/bootstrap"
  if [ ! -f "$bootstrap" ]; then
    echo "MISSING $bootstrap"
    failures=$((failures + 1))
    continue
  fi
  description=$(file -b "$bootstrap")
  if [[ "$description" != *"ARM aarch64"* ]]; then
    echo "NOT ARM64 $bootstrap: $description"
    failures=$((failures + 1))
    continue
  fi
  printf 'ok  %-28s %9d bytes  %s\n' "$function" "$(stat -c %s "$bootstrap")" "$description"
done
if [ "$failures" -ne 0 ]; then
  echo "sam-build: $failures of ${#functions[@]} functions have no arm64 bootstrap" >&2
  exit 1
fi
echo "sam-build: ${#functions[@]} functions built for arm64 in .aws-sam/build"
