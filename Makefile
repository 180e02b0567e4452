# edi-report: `make report` builds the demo report, `make test` runs the test suite.
# Both set up everything they need (virtual environment, and Chromium where possible).
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ORG ?= QK1
PERIOD ?= 2025-26
PYTEST_ARGS ?=

.PHONY: help setup browser report test lint format benchmark notebooks-clean clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "edi-report needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(VENV)/.installed ## Create .venv and install the package with its dev tools

browser: ## Make sure a Chromium-family browser exists (installs Debian's chromium as root)
	@bash scripts/ensure-browser.sh

report: setup browser ## Build the demo report (ORG=QK1 PERIOD=2025-26) and print where it is
	$(BIN)/edi-report build --org "$(ORG)" --period "$(PERIOD)"

test: setup browser ## Run the whole test suite (unit, notebook, end-to-end, browser)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: setup ## ruff, and check notebooks are committed without outputs
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb

format: setup ## Format the code and strip notebook outputs
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

benchmark: setup browser ## Time one organisation's build (execute vs render)
	$(BIN)/python benchmarks/build_time.py --org "$(ORG)" --period "$(PERIOD)"

clean: ## Remove builds and published demo outputs (not the environment)
	rm -rf build output data/processed/*/
