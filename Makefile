# One-command entry points. Each target bootstraps what it needs, so a fresh clone only needs
# Python 3.11 and network access to PyPI.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export UV_PYTHON_DOWNLOADS := never
export TPPS_DATA_DIR ?= $(CURDIR)/data
export PYTHONPATH := $(CURDIR)
DBT := $(BIN)/dbt --no-use-colors
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project

.PHONY: help setup manifest sample run test ui lint bench clean

help:
	@echo "make run    set up, generate sample data if data/raw is empty, run the nightly job"
	@echo "make test   set up and run the test suite"
	@echo "make ui     open the Dagster UI (http://127.0.0.1:3000) with schedule and sensors"
	@echo "make lint   ruff"
	@echo "make bench  benchmarks (bench/)"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: $(BIN)/.synced

# The dbt manifest is built ahead of time: Dagster reads it at import and never parses dbt itself.
manifest: setup
	cd dbt_project && ../$(BIN)/dbt --no-use-colors parse --quiet

$(DAGSTER_HOME)/dagster.yaml: orchestration/instance/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

sample: setup
	@if [ -z "$$(find $(TPPS_DATA_DIR)/raw -type f 2>/dev/null | head -1)" ]; then \
		echo "data/raw holds no exports: generating the Luwu sample"; \
		$(BIN)/python -m tpps.sample_data --data-dir $(TPPS_DATA_DIR); \
	fi

run: manifest sample $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster job execute -m orchestration.definitions -j nightly
	@echo
	@echo "Published Parquet, manifest and catalog: $(TPPS_DATA_DIR)/published/"
	@echo "Quality report (GX Data Docs):           $(TPPS_DATA_DIR)/quality/data_docs/index.html"
	@echo "Rejected rows and ingest log:            tables raw.rejects and raw.ingest_log in $(TPPS_DATA_DIR)/warehouse.duckdb"

test: manifest $(DAGSTER_HOME)/dagster.yaml
	bash tests/install_chromium.sh
	$(BIN)/pytest -q

ui: manifest $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: manifest
	$(BIN)/python -m bench all

clean:
	rm -rf $(DAGSTER_HOME) dbt_project/target $(TPPS_DATA_DIR)/published $(TPPS_DATA_DIR)/quality $(TPPS_DATA_DIR)/warehouse.duckdb
