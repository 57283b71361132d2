# Rådsarkiv: `make build` builds the sample archive into output/, `make test` runs every test.
# Both set up what they need first (a virtualenv in .venv; `test` also Chromium etc.).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build check serve test system-deps bench clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.runtime
	$(BIN)/python build.py build

check: $(VENV)/.runtime
	$(BIN)/python build.py check

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve

system-deps:
	bash scripts/install-system-deps.sh

test: $(VENV)/.test system-deps
	$(BIN)/python -m pytest

clean:
	rm -rf output .output.* .cache
