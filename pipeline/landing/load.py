"""Load landed pages into the warehouse's raw schema (fixed; dbt staging reads exactly this).

Per endpoint, the newest complete run of each chosen partition goes into `raw.{source}__{endpoint}` (one row per
page, the body exactly as received) with ONE bulk INSERT ... SELECT over DuckDB's read_text, joined with the
manifests' page lists (read by DuckDB's read_json). `raw._manifests` gets one row per partition, its `reported`
re-serialized in Python with exact numbers (DuckDB's JSON type would round them through doubles).
`raw._connections` is rewritten from the settings. Each load replaces its partitions in one transaction.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipeline.config import Settings
from pipeline.landing.exactjson import dumps_exact
from pipeline.landing.pages import MANIFEST, complete_runs

PAGE_COLUMNS = """
    tenant VARCHAR, partition_key VARCHAR, window_start DATE, window_end DATE, snapshot_date DATE,
    run_id VARCHAR, page INTEGER, extracted_at TIMESTAMP, records INTEGER, body VARCHAR"""
MANIFEST_COLUMNS = """
    source VARCHAR, endpoint VARCHAR, tenant VARCHAR, partition_key VARCHAR, window_start DATE, window_end DATE,
    snapshot_date DATE, run_id VARCHAR, finished_at TIMESTAMP, pages INTEGER, records INTEGER,
    unique_records INTEGER, reported VARCHAR, mismatch VARCHAR"""
MANIFEST_READ = (
    "{tenant: 'VARCHAR', partition_key: 'VARCHAR', window_start: 'DATE', window_end: 'DATE', "
    "snapshot_date: 'DATE', run_id: 'VARCHAR', finished_at: 'VARCHAR', "
    "pages: 'STRUCT(page INTEGER, file VARCHAR, records INTEGER)[]'}"
)


@dataclass
class LoadResult:
    pages: int
    records: int
    partitions: int
    duration_s: float


def table_name(source: str, endpoint: str) -> str:
    return f"raw.{source}__{endpoint}"


def load_partitions(settings: Settings, source: str, endpoint: str, partition_keys: list[str] | None = None,
                    tenants: list[str] | None = None) -> LoadResult:
    """Replace the chosen partitions (default: every landed one) of one endpoint in raw; idempotent. A partition
    whose newest landing is already loaded is skipped, so a rerun over unchanged months costs no load."""
    started = time.monotonic()
    runs = {
        key: run_dir for key, run_dir in complete_runs(settings.raw_dir, source, endpoint).items()
        if (tenants is None or key[0] in tenants) and (partition_keys is None or key[1] in partition_keys)
    }
    manifests = {key: json.loads((run_dir / MANIFEST).read_text(), parse_float=Decimal)
                 for key, run_dir in runs.items()}
    Path(settings.warehouse).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("begin transaction")
        try:
            _ensure_tables(con, source, endpoint)
            loaded = _loaded_runs(con, source, endpoint)
            runs = {key: run_dir for key, run_dir in runs.items()
                    if loaded.get(key) != _landing_id(manifests[key]["run_id"], manifests[key]["finished_at"])}
            manifests = {key: manifests[key] for key in runs}
            manifest_files = [str((run_dir / MANIFEST).resolve()) for run_dir in runs.values()]
            page_files = [str((run_dir / page["file"]).resolve())
                          for key, run_dir in runs.items() for page in manifests[key]["pages"]]
            _replace_pages(con, table_name(source, endpoint), list(runs), manifest_files, page_files)
            _replace_manifests(con, source, endpoint, manifests)
            _rewrite_connections(con, settings)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return LoadResult(
        pages=len(page_files), records=sum(int(m["records"]) for m in manifests.values()),
        partitions=len(runs), duration_s=round(time.monotonic() - started, 3),
    )


def _landing_id(run_id: str, finished_at: Any) -> tuple[str, datetime]:
    finished = finished_at if isinstance(finished_at, datetime) else datetime.fromisoformat(str(finished_at).replace("Z", ""))
    return run_id, finished.replace(tzinfo=None)


def _loaded_runs(con: duckdb.DuckDBPyConnection, source: str, endpoint: str) -> dict[tuple[str, str], tuple[str, datetime]]:
    """(tenant, partition_key) -> the landing already in raw: loading it again would change nothing."""
    rows = con.execute("select tenant, partition_key, run_id, finished_at from raw._manifests "
                       "where source = ? and endpoint = ?", [source, endpoint]).fetchall()
    return {(tenant, key): _landing_id(run_id, finished) for tenant, key, run_id, finished in rows}


def create_raw_schema(settings: Settings) -> None:
    """Create every raw table (empty where nothing was landed yet) and rewrite raw._connections, so dbt can
    build before every endpoint has data."""
    from pipeline.sources import SOURCES

    Path(settings.warehouse).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse)) as con:
        for source in SOURCES.values():
            for endpoint in source.endpoints:
                _ensure_tables(con, source.name, endpoint)
        _rewrite_connections(con, settings)


def _ensure_tables(con: duckdb.DuckDBPyConnection, source: str, endpoint: str) -> None:
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists {table_name(source, endpoint)} ({PAGE_COLUMNS})")
    con.execute(f"create table if not exists raw._manifests ({MANIFEST_COLUMNS})")
    con.execute("create table if not exists raw._connections (tenant VARCHAR, source VARCHAR, currency VARCHAR)")


def _replace_pages(con: duckdb.DuckDBPyConnection, table: str, keys: list[tuple[str, str]],
                   manifest_files: list[str], page_files: list[str]) -> None:
    if not keys:
        return
    con.execute("create temp table _loading (tenant VARCHAR, partition_key VARCHAR)")
    con.executemany("insert into _loading values (?, ?)", keys)
    con.execute(f"delete from {table} where (tenant, partition_key) in (select (tenant, partition_key) from _loading)")
    con.execute("drop table _loading")
    if not page_files:
        return
    con.execute(
        f"""
        insert into {table}
        with manifest as (
            select *, parse_dirpath(filename) as run_dir
            from read_json(?, columns = {MANIFEST_READ}, filename = true, format = 'auto')
        ),
        page as (
            select manifest.*, unnest(pages) as p from manifest
        )
        select page.tenant, page.partition_key, page.window_start, page.window_end, page.snapshot_date,
               page.run_id, p.page, cast(replace(page.finished_at, 'Z', '') as timestamp), p.records, body.content
        from page
        join read_text(?) as body on body.filename = page.run_dir || '/' || p.file
        """,
        [manifest_files, page_files],
    )


def _replace_manifests(con: duckdb.DuckDBPyConnection, source: str, endpoint: str, manifests: dict) -> None:
    rows = [
        (source, endpoint, tenant, key, m.get("window_start"), m.get("window_end"), m.get("snapshot_date"),
         m["run_id"], m["finished_at"].replace("Z", ""), len(m["pages"]), int(m["records"]),
         int(m["unique_records"]), dumps_exact(m.get("reported") or {}), m.get("mismatch"))
        for (tenant, key), m in manifests.items()
    ]
    if not rows:
        return
    con.executemany(
        "delete from raw._manifests where source = ? and endpoint = ? and tenant = ? and partition_key = ?",
        [row[:4] for row in rows],
    )
    con.executemany(f"insert into raw._manifests values ({', '.join('?' * 14)})", rows)


def _rewrite_connections(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    con.execute("delete from raw._connections")
    rows = [(c.name, c.source, c.currency) for c in settings.connections]
    if rows:
        con.executemany("insert into raw._connections values (?, ?, ?)", rows)
