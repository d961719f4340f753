# Two commands on a fresh clone with only python3:
#   make run   - set up .venv, build and validate the dataset, print a summary
#   make test  - install what the tests need and run them
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PKG    := datasets/london-councils-plans/datapackage.json
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test setup build validate summary bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per set of extras: re-installs when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[$*]"
	@touch $@

setup: $(VENV)/.installed-validate

build: setup
	$(BIN)/lcplan build

validate: build
	$(BIN)/lcplan build --check
	$(BIN)/lcplan validate $(PKG)
	$(BIN)/frictionless validate $(PKG)

summary: setup
	$(BIN)/lcplan summary

run: validate summary

test: $(VENV)/.installed-dev
	$(BIN)/lcplan validate $(PKG)
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/load_time.py
	$(BIN)/python benchmarks/validate_1m.py

clean:
	rm -rf $(VENV) build dist
