#!/usr/bin/env bash
# The static checks of what SAM deploys, offline:
#   - cfn-lint on template.yaml;
#   - `sam validate` (SAM's own translation) and `sam validate --lint` on template.yaml;
#   - asl-validator on every statemachines/*.asl.json;
#   - parliament on every function's role, as the SAM translator resolves it
#     (scripts/function_roles.py lint; its suppressions carry their reasons there).
# Then each checker is run on a deliberately broken copy and must fail, naming the fault, so a
# checker that silently stopped checking is noticed.
#
# The linters install themselves: the pinned Python tools into .venv (scripts/bootstrap-venv.sh),
# the pinned Node tools into node_modules (scripts/install-node-tools.sh).
#
# The SAM CLI wants a region even to validate; it gets us-east-1. It needs no credentials for
# validation, and is given dummy ones (and no profile, no config files, no instance metadata)
# so that it can never reach a real account from here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/bootstrap-venv.sh
scripts/install-node-tools.sh

venv_bin="$root/.venv/bin"
asl_validator="$root/node_modules/.bin/asl-validator"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cfn_lint() {
  "$venv_bin/cfn-lint" "$@"
}

sam() {
  env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_SESSION_TOKEN \
    AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=static-checks AWS_SECRET_ACCESS_KEY=static-checks \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_EC2_METADATA_DISABLED=true SAM_CLI_TELEMETRY=0 \
    "$venv_bin/sam" "$@"
}

asl_validate() {
  "$asl_validator" --json-path "$1"
}

failures=0

# Runs a check that must pass; prints its output only when it fails.
check() {
  local name=$1
  shift
  if output=$("$@" 2>&1); then
    echo "ok      $name"
  else
    echo "FAILED  $name"
    echo "$output" | sed 's/^/        /'
    failures=$((failures + 1))
  fi
}

# Runs a checker on a broken input: it must fail, and its output must name the fault.
check_rejects() {
  local name=$1 fault=$2
  shift 2
  if output=$("$@" 2>&1); then
    echo "FAILED  $name: the checker accepted it"
    failures=$((failures + 1))
  elif ! grep -qF -- "$fault" <<<"$output"; then
    echo "FAILED  $name: the checker failed without naming $fault"
    echo "$output" | sed 's/^/        /'
    failures=$((failures + 1))
  else
    echo "ok      $name"
  fi
}

echo "Static checks:"
check "cfn-lint template.yaml" cfn_lint template.yaml
check "sam validate" sam validate --template-file template.yaml
check "sam validate --lint" sam validate --lint --template-file template.yaml
definitions=(statemachines/*.asl.json)
for definition in "${definitions[@]}"; do
  check "asl-validator $definition" asl_validate "$definition"
done
check "parliament on every function's role" "$venv_bin/python" scripts/function_roles.py lint

echo "The checkers on broken copies:"
# A template whose first function has a misspelt property.
broken_template="$scratch/template.yaml"
sed '0,/^      FunctionName: /s//      FunctionNam: /' template.yaml >"$broken_template"
if [ "$(grep -c '^      FunctionNam: ' "$broken_template")" != 1 ]; then
  echo "FAILED  could not break template.yaml: no function has a FunctionName line to misspell"
  failures=$((failures + 1))
else
  check_rejects "cfn-lint rejects a misspelt property" "FunctionNam" \
    cfn_lint "$broken_template"
  check_rejects "sam validate rejects a misspelt property" "FunctionNam" \
    sam validate --template-file "$broken_template"
  check_rejects "sam validate --lint rejects a misspelt property" "FunctionNam" \
    sam validate --lint --template-file "$broken_template"
fi

# A definition whose first transition leads to a state that does not exist.
broken_definition="$scratch/broken.asl.json"
node -e '
  const fs = require("fs");
  const definition = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const state = Object.values(definition.States).find((state) => state.Next !== undefined);
  if (state === undefined) process.exit(3);
  state.Next = "NoSuchState";
  fs.writeFileSync(process.argv[2], JSON.stringify(definition));
' "${definitions[0]}" "$broken_definition" || {
  echo "FAILED  could not break ${definitions[0]}: no top-level state has a Next"
  failures=$((failures + 1))
}
if [ -f "$broken_definition" ]; then
  check_rejects "asl-validator rejects a Next to a missing state" "NoSuchState" \
    asl_validate "$broken_definition"
fi

# A role policy with a misspelt action.
broken_policy="$scratch/policy.json"
cat >"$broken_policy" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItme",
 "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/gradual"}]}
JSON
check_rejects "parliament rejects a misspelt action" "dynamodb:GetItme" \
  "$venv_bin/python" scripts/function_roles.py lint --policy "$broken_policy"

if [ "$failures" -ne 0 ]; then
  echo "static checks: $failures failed" >&2
  exit 1
fi
echo "static checks: all passed"
