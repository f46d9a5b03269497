# gradual — the two commands that matter:
#   make demo   runs full deployments offline, on the local AWS emulator
#   make test   runs every check and test (what CI runs)

SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test demo venv fmt-check static-checks clippy unit-and-integration sam-build

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

# Builds every function for arm64 with cargo-lambda, as `sam deploy` ships them. Not part of
# `make test`: it needs cargo-lambda, zig and the aarch64 target (docs/deploy-to-aws.md).
sam-build: venv
	scripts/sam-build.sh
