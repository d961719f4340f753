# Two commands on a fresh clone with only python3:
#   make run   - set up .venv, build and validate the dataset, print a summary
#   make test  - install what the tests need and run them
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PKG    := datasets/london-councils-plans/datapackage.json
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test setup build validate summary report bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per set of extras: re-installs when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[$*]"
	@touch $@

setup: $(VENV)/.installed-validate,notebooks

build: setup
	$(BIN)/lcplan build

validate: build
	$(BIN)/lcplan build --check
	$(BIN)/lcplan validate $(PKG)
	$(BIN)/frictionless validate $(PKG)

summary: setup
	$(BIN)/lcplan summary

report: setup
	$(BIN)/lcplan report

run: validate summary report

# The browser tests drive Debian's chromium (never a downloaded browser); install it when
# missing and we are root (CI and these machines), otherwise say how.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "make test needs Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

test: $(VENV)/.installed-dev chromium
	$(BIN)/lcplan validate $(PKG)
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/load_time.py
	$(BIN)/python benchmarks/validate_1m.py
	$(BIN)/python benchmarks/validate_shapes.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/ingest_corpus.py --baseline --timing 3
	$(BIN)/python benchmarks/claims_corpus.py
	$(BIN)/python benchmarks/topic_coder_looo.py --quick
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/corpus_search.py

clean:
	rm -rf $(VENV) build dist
