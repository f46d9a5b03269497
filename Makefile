# gradual — the two commands that matter:
#   make demo   runs full deployments offline, on the local AWS emulator
#   make test   runs every check and test (what CI runs)

SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test demo venv fmt-check clippy unit-and-integration

test: venv fmt-check clippy unit-and-integration

venv:
	@scripts/bootstrap-venv.sh

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

unit-and-integration: venv
	$(CARGO) test --workspace --locked

demo: venv
	$(CARGO) run --locked --release -p gradual-local --bin gradual-demo -- --time-scale 60
