# The two commands a newcomer runs: `make run` and `make test`. Both create .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1

.PHONY: install run test spark-test deployment-test reliability lint dev bench clean duckdb-lts

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check "$$(grep -E '^uv==' requirements.lock)"
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock -e .
	@$(BIN)/python -m compileall -q pipeline bench tests
	@touch $(STAMP)

install: $(STAMP)

## Start the simulators on loopback, run the whole pipeline against them, stop the simulators.
run: install
	$(BIN)/pipeline demo

## A DuckDB 1.4 client (the long-term-support line BI connectors ship) for the serving-copy test.
duckdb-lts: $(VENV)/duckdb-lts/.installed
$(VENV)/duckdb-lts/.installed: $(STAMP)
	$(BIN)/uv pip install -q --target $(VENV)/duckdb-lts "duckdb==1.4.5"
	@touch $@

## The whole test suite (simulators over real HTTP, real DuckDB, a real PostgreSQL server, real dbt, Chromium).
test: install duckdb-lts
	scripts/system-packages postgresql chromium
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup

## The Spark warehouse (about 5 min): a Spark Thrift Server from PySpark's jars on Java 17 (Debian's package,
## installed when missing), the dbt project built on it and compared with DuckDB's marts, the writer lease.
spark-test: install
	scripts/system-packages java
	$(BIN)/pytest -m spark tests/spark tests/dbt/test_engine_parity_spark.py

## The Dagster deployment: webserver, daemon and Celery workers (Redis broker) on PostgreSQL storage, UI backfills
## (also beside sensors, schedule ticks and a second run on one machine), live `pipeline run`s, a schedule tick, an alert.
deployment-test: install
	scripts/system-packages postgresql redis
	$(BIN)/pytest -m deployment tests/deployment

## The reliability matrix (kills, fault storms, schema drift, bad records), with its table (about 15 min).
reliability: install
	$(BIN)/pytest -n 2 -m reliability tests/reliability

lint: install
	$(BIN)/ruff check .

## The Dagster UI over the same definitions (simulators not started: run `pipeline simulate` beside it).
dev: install
	$(BIN)/pipeline dev

## Benchmarks (outside `make test`): results under bench/results/.
bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf data dbt_project/target dbt_project/logs .pytest_cache
