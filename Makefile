# gradual — the two commands that matter:
#   make demo   runs full deployments offline, on the local AWS emulator
#   make test   runs every check and test (what CI runs)

SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test demo venv fmt-check static-checks clippy unit-and-integration sam-build chaos

test: venv fmt-check static-checks clippy unit-and-integration

venv:
	@scripts/bootstrap-venv.sh

fmt-check:
	$(CARGO) fmt --all -- --check

# cfn-lint and sam validate on template.yaml, asl-validator on the definitions, and each of them
# on a broken copy (installs the pinned linters on first use).
static-checks: venv
	scripts/static-checks.sh

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

unit-and-integration: venv
	$(CARGO) test --workspace --locked

demo: venv
	$(CARGO) run --locked -p gradual-local --bin gradual-demo -- --time-scale 60

# The full fault matrix (docs/reliability.md): every AWS call × fault kind × persistence, every
# function crash, a StopExecution at every task, on two deployments. `make test` runs a seeded
# sample of it.
chaos: venv
	$(CARGO) run --locked --profile tools -p gradual-bench --bin chaos

# Builds every function for arm64 with cargo-lambda, as `sam deploy` ships them. Not part of
# `make test`: it needs cargo-lambda, zig and the aarch64 target (docs/deploy-to-aws.md).
sam-build: venv
	scripts/sam-build.sh
