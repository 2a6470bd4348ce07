"""Load landed pages into the warehouse's raw schema (fixed; dbt staging reads exactly this).

Per endpoint, the newest complete run of each chosen partition goes into `raw.{source}__{endpoint}`: one row per
record, its text exactly as the API sent it (a slice of the page body, see records.py), with its page and
position. One row per record rather than per page keeps dbt's JSON parsing to a few MB per 2,048-row vector;
a page per row made it parse the whole history at once. Records go in as bulk inserts of pandas frames of
about BATCH_BYTES each. `raw._manifests` gets one row per partition, its `reported` re-serialized in Python
with exact numbers (DuckDB's JSON type would round them through doubles), in the same transaction as the
partition's records. `raw._connections` is rewritten from the settings.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.config import Settings
from pipeline.landing.exactjson import dumps_exact
from pipeline.landing.pages import MANIFEST, complete_runs
from pipeline.landing.records import record_texts
from pipeline.sources import SOURCES

RECORD_COLUMNS = """
    tenant VARCHAR, partition_key VARCHAR, window_start DATE, window_end DATE, snapshot_date DATE,
    run_id VARCHAR, page INTEGER, extracted_at TIMESTAMP, record_position INTEGER, record VARCHAR"""
BATCH_BYTES = 32 * 2**20
# DuckDB caches written blocks up to its memory_limit (80 % of RAM by default): capped, a load of any size stays
# within a few hundred MB. Set on the connection, not in connect(config=...): DuckDB refuses a second
# in-process connection to one file with a different configuration.
LOADER_MEMORY_LIMIT = "128MB"
MANIFEST_COLUMNS = """
    source VARCHAR, endpoint VARCHAR, tenant VARCHAR, partition_key VARCHAR, window_start DATE, window_end DATE,
    snapshot_date DATE, run_id VARCHAR, finished_at TIMESTAMP, pages INTEGER, records INTEGER,
    unique_records INTEGER, reported VARCHAR, mismatch VARCHAR"""


@dataclass
class LoadResult:
    pages: int
    records: int
    partitions: int
    duration_s: float
    unchanged: int = 0  # re-landed partitions identical to the loaded ones, left as they were


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
        con.execute(f"set memory_limit = '{LOADER_MEMORY_LIMIT}'")
        _ensure_tables(con, source, endpoint)
        _rewrite_connections(con, settings)
        loaded = _loaded_runs(con, source, endpoint)
        runs = {key: run_dir for key, run_dir in runs.items()
                if loaded.get(key) != _landing_id(manifests[key]["run_id"], manifests[key]["finished_at"])}
        unchanged = {key for key, run_dir in runs.items() if key in loaded
                     and _same_content(con, source, endpoint, key, run_dir, manifests[key])}
        runs = {key: run_dir for key, run_dir in runs.items() if key not in unchanged}
        manifests = {key: manifests[key] for key in runs}
        _replace_partitions(con, source, endpoint, runs, manifests)
    return LoadResult(
        pages=sum(len(m["pages"]) for m in manifests.values()), records=sum(int(m["records"]) for m in manifests.values()),
        partitions=len(runs), duration_s=round(time.monotonic() - started, 3), unchanged=len(unchanged),
    )


def _same_content(con: duckdb.DuckDBPyConnection, source: str, endpoint: str, key: tuple[str, str],
                  run_dir: Path, manifest: dict) -> bool:
    """True when a new landing of a loaded partition holds byte for byte the loaded records, with the same
    window and reported figures: reloading it would only change its run id and extraction time, and make dbt
    rebuild from data it already has (every run re-fetches the look-back window and the snapshots). Such a
    partition keeps its loaded rows. Records compare as a multiset: concurrent fetching lands pages in arrival
    order, which differs from run to run."""
    landed = _manifest_row(source, endpoint, key, manifest)
    (same_manifest,) = con.execute(
        "select count(*) from raw._manifests where source = ? and endpoint = ? and tenant = ? and partition_key = ? "
        + "".join(f"and {column} is not distinct from ? " for column in _COMPARED_MANIFEST_COLUMNS),
        [source, endpoint, *key, *(landed[column] for column in _COMPARED_MANIFEST_COLUMNS)]).fetchone()
    if not same_manifest:
        return False
    # The records' md5s, not their text, are aggregated: a large snapshot stays within the loader's memory cap.
    (loaded_digest,) = con.execute(
        f"select md5(coalesce(string_agg(md5(record), ',' order by md5(record)), '')) "
        f"from {table_name(source, endpoint)} where tenant = ? and partition_key = ?", key).fetchone()
    return loaded_digest == _landed_digest(run_dir, manifest, SOURCES[source].endpoints[endpoint].records)


def _landed_digest(run_dir: Path, manifest: dict, record_path: str | None) -> str:
    """The digest `_same_content` computes in SQL over raw rows, over the landed pages."""
    hashes = sorted(hashlib.md5(text.encode()).hexdigest()
                    for page in manifest["pages"]
                    for text in record_texts((run_dir / page["file"]).read_bytes(), record_path))
    return hashlib.md5(",".join(hashes).encode()).hexdigest()


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
    Path(settings.warehouse).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse)) as con:
        for source in SOURCES.values():
            for endpoint in source.endpoints:
                _ensure_tables(con, source.name, endpoint)
        _rewrite_connections(con, settings)


def _ensure_tables(con: duckdb.DuckDBPyConnection, source: str, endpoint: str) -> None:
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists raw._manifests ({MANIFEST_COLUMNS})")
    con.execute("create table if not exists raw._connections (tenant VARCHAR, source VARCHAR, currency VARCHAR)")
    _drop_older_layout(con, source, endpoint)
    con.execute(f"create table if not exists {table_name(source, endpoint)} ({RECORD_COLUMNS})")


def _drop_older_layout(con: duckdb.DuckDBPyConnection, source: str, endpoint: str) -> None:
    """A raw table written by an older loader (e.g. one row per page) is dropped with its manifest rows, so
    this load refills it from the landed pages, which are the source of truth."""
    columns = [name for (name,) in con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
        "order by ordinal_position", [f"{source}__{endpoint}"]).fetchall()]
    expected = [column.split()[0] for column in RECORD_COLUMNS.split(",")]
    if columns and columns != expected:
        con.execute(f"drop table {table_name(source, endpoint)}")
        con.execute("delete from raw._manifests where source = ? and endpoint = ?", [source, endpoint])


def _replace_partitions(con: duckdb.DuckDBPyConnection, source: str, endpoint: str,
                        runs: dict[tuple[str, str], Path], manifests: dict) -> None:
    """Replace each partition's rows and manifest row in the same transaction, so a partition is never half
    loaded; partitions commit in groups of about BATCH_BYTES of record text, because DuckDB holds a
    transaction's rows in memory until it commits."""
    table, record_path = table_name(source, endpoint), SOURCES[source].endpoints[endpoint].records
    batch = _Batch(con, table)
    con.execute("begin transaction")
    try:
        for (tenant, partition_key), run_dir in runs.items():
            manifest = manifests[(tenant, partition_key)]
            con.execute(f"delete from {table} where tenant = ? and partition_key = ?", [tenant, partition_key])
            extracted_at = _landing_id(manifest["run_id"], manifest["finished_at"])[1]
            for page in manifest["pages"]:
                texts = record_texts((run_dir / page["file"]).read_bytes(), record_path)
                batch.add((tenant, partition_key, manifest.get("window_start"), manifest.get("window_end"),
                           manifest.get("snapshot_date"), manifest["run_id"], int(page["page"]), extracted_at), texts)
            _replace_manifest(con, source, endpoint, (tenant, partition_key), manifest)
            batch.commit_when_due()
        batch.flush()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


class _Batch:
    """Pages (one row each) and their records (page index, position, text), inserted into `table` with one
    join whenever BATCH_BYTES of record text are pending, and committed between partitions once BATCH_BYTES
    were added since the last commit."""

    PAGE_FIELDS = ("tenant", "partition_key", "window_start", "window_end", "snapshot_date", "run_id", "page",
                   "extracted_at")

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        self.con, self.table = con, table
        self.uncommitted = 0
        self._reset()

    def _reset(self) -> None:
        self.pages: list[tuple] = []
        self.page_index: list[int] = []
        self.positions: list[int] = []
        self.texts: list[str] = []
        self.size = 0

    def add(self, page: tuple, texts: list[str]) -> None:
        index = len(self.pages)
        self.pages.append(page)
        self.page_index.extend([index] * len(texts))
        self.positions.extend(range(1, len(texts) + 1))
        self.texts.extend(texts)
        size = sum(map(len, texts))
        self.size += size
        self.uncommitted += size
        if self.size >= BATCH_BYTES:
            self.flush()

    def commit_when_due(self) -> None:
        """Call between partitions only, so a partition's rows and manifest row always commit together."""
        if self.uncommitted >= BATCH_BYTES:
            self.flush()
            self.con.execute("commit")
            self.con.execute("begin transaction")
            self.uncommitted = 0

    def flush(self) -> None:
        con, table = self.con, self.table
        if self.texts:
            pages = pd.DataFrame(self.pages, columns=self.PAGE_FIELDS)
            pages["page_index"] = range(len(self.pages))
            records = pd.DataFrame({"page_index": self.page_index, "record_position": self.positions,
                                    "record": self.texts})
            con.register("_batch_pages", pages)
            con.register("_batch_records", records)
            con.execute(
                f"""
                insert into {table}
                select p.tenant, p.partition_key, cast(p.window_start as date), cast(p.window_end as date),
                       cast(p.snapshot_date as date), p.run_id, p.page, p.extracted_at, r.record_position, r.record
                from _batch_records as r join _batch_pages as p using (page_index)
                """
            )
            con.unregister("_batch_pages")
            con.unregister("_batch_records")
        self._reset()


def _replace_manifest(con: duckdb.DuckDBPyConnection, source: str, endpoint: str, key: tuple[str, str],
                      manifest: dict) -> None:
    tenant, partition_key = key
    con.execute("delete from raw._manifests where source = ? and endpoint = ? and tenant = ? and partition_key = ?",
                [source, endpoint, tenant, partition_key])
    row = _manifest_row(source, endpoint, key, manifest)
    con.execute(f"insert into raw._manifests ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                list(row.values()))


# What a new landing must share with the loaded partition's manifest row to count as unchanged (with its records).
_COMPARED_MANIFEST_COLUMNS = ("window_start", "window_end", "snapshot_date", "records", "reported", "mismatch")


def _manifest_row(source: str, endpoint: str, key: tuple[str, str], manifest: dict) -> dict[str, Any]:
    """A landing's manifest as a raw._manifests row (column -> value)."""
    tenant, partition_key = key
    return {
        "source": source, "endpoint": endpoint, "tenant": tenant, "partition_key": partition_key,
        "window_start": manifest.get("window_start"), "window_end": manifest.get("window_end"),
        "snapshot_date": manifest.get("snapshot_date"), "run_id": manifest["run_id"],
        "finished_at": manifest["finished_at"].replace("Z", ""), "pages": len(manifest["pages"]),
        "records": int(manifest["records"]), "unique_records": int(manifest["unique_records"]),
        "reported": dumps_exact(manifest.get("reported") or {}), "mismatch": manifest.get("mismatch"),
    }


def _rewrite_connections(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    con.execute("delete from raw._connections")
    rows = [(c.name, c.source, c.currency) for c in settings.connections]
    if rows:
        con.executemany("insert into raw._connections values (?, ?, ?)", rows)
