"""Load landed pages into the warehouse's raw schema (fixed; dbt staging reads exactly this), on either engine.

Per endpoint, the newest complete run of each chosen partition goes into `raw.{source}__{endpoint}`: one row per
record, its text exactly as the API sent it (a slice of the page body, see records.py), with its page and
position. One row per record rather than per page keeps JSON parsing in dbt to a few MB at a time. Records go
in as bulk loads (DuckDB: a registered frame; PostgreSQL: COPY) of about BATCH_BYTES each. `raw._manifests`
gets one row per partition, its `reported` re-serialized with exact numbers, in the same transaction as the
partition's records. `raw._connections` is rewritten from the settings, and `raw._extraction_failures` from
the failures landed beside the pages.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.landing.exactjson import dumps_exact
from pipeline.landing.failures import read_failures
from pipeline.landing.pages import MANIFEST, complete_runs, last_extracted
from pipeline.landing.records import record_texts
from pipeline.warehouse import Session, Warehouse

RECORD_COLUMNS = {
    "tenant": "VARCHAR", "partition_key": "VARCHAR", "window_start": "DATE", "window_end": "DATE",
    "snapshot_date": "DATE", "run_id": "VARCHAR", "page": "INTEGER", "extracted_at": "TIMESTAMP",
    "record_position": "INTEGER", "record": "VARCHAR",
}
MANIFEST_COLUMNS = {
    "source": "VARCHAR", "endpoint": "VARCHAR", "tenant": "VARCHAR", "partition_key": "VARCHAR",
    "window_start": "DATE", "window_end": "DATE", "snapshot_date": "DATE", "run_id": "VARCHAR",
    "finished_at": "TIMESTAMP", "pages": "INTEGER", "records": "INTEGER", "unique_records": "INTEGER",
    "reported": "VARCHAR", "mismatch": "VARCHAR",
}
CONNECTION_COLUMNS = {"tenant": "VARCHAR", "source": "VARCHAR", "currency": "VARCHAR"}
FAILURE_COLUMNS = {
    "tenant": "VARCHAR", "source": "VARCHAR", "endpoint": "VARCHAR", "run_id": "VARCHAR",
    "failed_at": "TIMESTAMP", "partitions": "VARCHAR", "reason": "VARCHAR",
}
# Read by `dbt source freshness` only (not by models: a rerun that changed nothing must not force a build).
LANDING_COLUMNS = {"source": "VARCHAR", "endpoint": "VARCHAR", "tenant": "VARCHAR", "last_extracted_at": "TIMESTAMP"}
BATCH_BYTES = 32 * 2**20
REPLACED_WHILE_LOADING_ATTEMPTS = 3


@dataclass
class LoadResult:
    pages: int
    records: int
    partitions: int
    duration_s: float
    unchanged: int = 0  # re-landed partitions identical to the loaded ones, left as they were
    # partition key -> records loaded by this call (tenants summed); a key absent: nothing of it was reloaded
    records_by_partition: dict[str, int] = field(default_factory=dict)


def table_name(source: str, endpoint: str) -> str:
    return f"raw.{source}__{endpoint}"


def load_partitions(settings: Settings, warehouse: Warehouse, source: str, endpoint: str, record_path: str | None,
                    partition_keys: list[str] | None = None, tenants: list[str] | None = None) -> LoadResult:
    """Replace the chosen partitions (default: every landed one) of one endpoint in raw; idempotent. A partition
    whose newest landing is already loaded is skipped, so a rerun over unchanged months costs no load.

    Two runs may land the same partition at once (a backfill and a scheduled run both take the day's
    snapshot): the one that finishes last removes the other's run folder, possibly while it is being loaded.
    That landing was replaced, not lost: the load starts again, with the newer landing (partitions committed
    before it stay loaded)."""
    attempt = 1
    while True:
        try:
            return _load_newest(settings, warehouse, source, endpoint, record_path, partition_keys, tenants)
        except FileNotFoundError as error:
            replaced = Path(error.filename or "/").resolve().is_relative_to(Path(settings.raw_dir).resolve())
            if not replaced or attempt == REPLACED_WHILE_LOADING_ATTEMPTS:
                raise
            attempt += 1


def _load_newest(settings: Settings, warehouse: Warehouse, source: str, endpoint: str, record_path: str | None,
                 partition_keys: list[str] | None, tenants: list[str] | None) -> LoadResult:
    started = time.monotonic()
    runs = {
        key: run_dir for key, run_dir in complete_runs(settings.raw_dir, source, endpoint).items()
        if (tenants is None or key[0] in tenants) and (partition_keys is None or key[1] in partition_keys)
    }
    manifests = {key: json.loads((run_dir / MANIFEST).read_text(), parse_float=Decimal)
                 for key, run_dir in runs.items()}
    with warehouse.session() as session:
        ensure_raw_tables(session, source, endpoint)
        _rewrite_connections(session, settings)
        _rewrite_failures(session, settings, source, endpoint)
        _rewrite_landings(session, settings, source, endpoint)
        loaded = _loaded_runs(session, source, endpoint)
        runs = {key: run_dir for key, run_dir in runs.items()
                if loaded.get(key) != _landing_id(manifests[key]["run_id"], manifests[key]["finished_at"])}
        unchanged = {key for key, run_dir in runs.items() if key in loaded
                     and _same_content(session, source, endpoint, key, run_dir, manifests[key], record_path)}
        runs = {key: run_dir for key, run_dir in runs.items() if key not in unchanged}
        manifests = {key: manifests[key] for key in runs}
        _replace_partitions(session, source, endpoint, record_path, runs, manifests)
    by_partition: dict[str, int] = {}
    for (_, partition), manifest in manifests.items():
        by_partition[partition] = by_partition.get(partition, 0) + int(manifest["records"])
    return LoadResult(
        pages=sum(len(m["pages"]) for m in manifests.values()), records=sum(by_partition.values()),
        partitions=len(runs), duration_s=round(time.monotonic() - started, 3), unchanged=len(unchanged),
        records_by_partition=by_partition,
    )


def ensure_raw_tables(session: Session, source: str, endpoint: str) -> None:
    session.execute("create schema if not exists raw")
    session.create_table("raw._manifests", MANIFEST_COLUMNS)
    session.create_table("raw._connections", CONNECTION_COLUMNS)
    session.create_table("raw._extraction_failures", FAILURE_COLUMNS)
    session.create_table("raw._landings", LANDING_COLUMNS)
    session.create_table(table_name(source, endpoint), RECORD_COLUMNS)


def _same_content(session: Session, source: str, endpoint: str, key: tuple[str, str], run_dir: Path,
                  manifest: dict, record_path: str | None) -> bool:
    """True when a new landing of a loaded partition holds byte for byte the loaded records, with the same
    window and reported figures: reloading it would only change its run id and extraction time, and make dbt
    rebuild from data it already has (every run re-fetches the look-back window and the snapshots). Such a
    partition keeps its loaded rows. Records compare as a multiset: concurrent fetching lands pages in arrival
    order, which differs from run to run."""
    landed = _manifest_row(source, endpoint, key, manifest)
    (same_manifest,) = session.one(
        "select count(*) from raw._manifests where source = ? and endpoint = ? and tenant = ? and partition_key = ? "
        + "".join(f"and {column} is not distinct from ? " for column in _COMPARED_MANIFEST_COLUMNS),
        [source, endpoint, *key, *(landed[column] for column in _COMPARED_MANIFEST_COLUMNS)])
    if not same_manifest:
        return False
    # The records' md5s, not their text, are aggregated: a large snapshot stays within the session's memory cap.
    (loaded_digest,) = session.one(
        f"select md5(coalesce(string_agg(md5(record), ',' order by md5(record)), '')) "
        f"from {table_name(source, endpoint)} where tenant = ? and partition_key = ?", list(key))
    return loaded_digest == _landed_digest(run_dir, manifest, record_path)


def _landed_digest(run_dir: Path, manifest: dict, record_path: str | None) -> str:
    """The digest `_same_content` computes in SQL over raw rows, over the landed pages."""
    hashes = sorted(hashlib.md5(text.encode()).hexdigest()
                    for page in manifest["pages"]
                    for text in record_texts((run_dir / page["file"]).read_bytes(), record_path))
    return hashlib.md5(",".join(hashes).encode()).hexdigest()


def _landing_id(run_id: str, finished_at: Any) -> tuple[str, datetime]:
    finished = finished_at if isinstance(finished_at, datetime) else datetime.fromisoformat(str(finished_at).replace("Z", ""))
    return run_id, finished.replace(tzinfo=None)


def _loaded_runs(session: Session, source: str, endpoint: str) -> dict[tuple[str, str], tuple[str, datetime]]:
    """(tenant, partition_key) -> the landing already in raw: loading it again would change nothing."""
    rows = session.rows("select tenant, partition_key, run_id, finished_at from raw._manifests "
                        "where source = ? and endpoint = ?", [source, endpoint])
    return {(tenant, key): _landing_id(run_id, finished) for tenant, key, run_id, finished in rows}


def loaded_landings(warehouse: Warehouse) -> dict[tuple[str, str, str, str], tuple[str, datetime]]:
    """(source, endpoint, tenant, partition_key) -> the landing raw holds, for every endpoint (empty before the
    first load)."""
    with warehouse.session(read_only=True) as session:
        if not session.table_exists("raw", "_manifests"):
            return {}
        rows = session.rows("select source, endpoint, tenant, partition_key, run_id, finished_at from raw._manifests")
    return {(source, endpoint, tenant, key): _landing_id(run_id, finished)
            for source, endpoint, tenant, key, run_id, finished in rows}


def landing_id(run_dir: Path) -> tuple[str, datetime]:
    """What `loaded_landings` holds for a landing once it is loaded."""
    manifest = json.loads((run_dir / MANIFEST).read_text(), parse_float=Decimal)
    return _landing_id(manifest["run_id"], manifest["finished_at"])


def _replace_partitions(session: Session, source: str, endpoint: str, record_path: str | None,
                        runs: dict[tuple[str, str], Path], manifests: dict) -> None:
    """Replace each partition's rows and manifest row in the same transaction, so a partition is never half
    loaded; partitions commit in groups of about BATCH_BYTES of record text, because DuckDB holds a
    transaction's rows in memory until it commits."""
    table = table_name(source, endpoint)
    batch = _Batch(session, table)
    session.begin()
    try:
        for (tenant, partition_key), run_dir in runs.items():
            manifest = manifests[(tenant, partition_key)]
            session.execute(f"delete from {table} where tenant = ? and partition_key = ?", [tenant, partition_key])
            extracted_at = _landing_id(manifest["run_id"], manifest["finished_at"])[1]
            for page in manifest["pages"]:
                texts = record_texts((run_dir / page["file"]).read_bytes(), record_path)
                batch.add((tenant, partition_key, _date(manifest.get("window_start")), _date(manifest.get("window_end")),
                           _date(manifest.get("snapshot_date")), manifest["run_id"], int(page["page"]), extracted_at),
                          texts)
            _replace_manifest(session, source, endpoint, (tenant, partition_key), manifest)
            batch.commit_when_due()
        batch.flush()
        session.commit()
    except BaseException:
        session.rollback()
        raise


class _Batch:
    """Records waiting to be bulk-inserted into `table`, as columns; inserted whenever BATCH_BYTES of record text
    are pending, and committed between partitions once BATCH_BYTES were added since the last commit."""

    PAGE_FIELDS = ("tenant", "partition_key", "window_start", "window_end", "snapshot_date", "run_id", "page",
                   "extracted_at")

    def __init__(self, session: Session, table: str) -> None:
        self.session, self.table = session, table
        self.uncommitted = 0
        self._reset()

    def _reset(self) -> None:
        self.columns: dict[str, list] = {name: [] for name in (*self.PAGE_FIELDS, "record_position", "record")}
        self.size = 0

    def add(self, page: tuple, texts: list[str]) -> None:
        for name, value in zip(self.PAGE_FIELDS, page, strict=True):
            self.columns[name].extend([value] * len(texts))
        self.columns["record_position"].extend(range(1, len(texts) + 1))
        self.columns["record"].extend(texts)
        size = sum(map(len, texts))
        self.size += size
        self.uncommitted += size
        if self.size >= BATCH_BYTES:
            self.flush()

    def commit_when_due(self) -> None:
        """Call between partitions only, so a partition's rows and manifest row always commit together."""
        if self.uncommitted >= BATCH_BYTES:
            self.flush()
            self.session.commit()
            self.session.begin()
            self.uncommitted = 0

    def flush(self) -> None:
        if self.columns["record"]:
            self.session.insert_columns(self.table, self.columns)
        self._reset()


def _replace_manifest(session: Session, source: str, endpoint: str, key: tuple[str, str], manifest: dict) -> None:
    tenant, partition_key = key
    session.execute("delete from raw._manifests where source = ? and endpoint = ? and tenant = ? "
                    "and partition_key = ?", [source, endpoint, tenant, partition_key])
    row = _manifest_row(source, endpoint, key, manifest)
    session.execute(f"insert into raw._manifests ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                    list(row.values()))


# What a new landing must share with the loaded partition's manifest row to count as unchanged (with its records).
_COMPARED_MANIFEST_COLUMNS = ("window_start", "window_end", "snapshot_date", "records", "reported", "mismatch")


def _manifest_row(source: str, endpoint: str, key: tuple[str, str], manifest: dict) -> dict[str, Any]:
    """A landing's manifest as a raw._manifests row (column -> value)."""
    tenant, partition_key = key
    return {
        "source": source, "endpoint": endpoint, "tenant": tenant, "partition_key": partition_key,
        "window_start": _date(manifest.get("window_start")), "window_end": _date(manifest.get("window_end")),
        "snapshot_date": _date(manifest.get("snapshot_date")), "run_id": manifest["run_id"],
        "finished_at": _landing_id(manifest["run_id"], manifest["finished_at"])[1], "pages": len(manifest["pages"]),
        "records": int(manifest["records"]), "unique_records": int(manifest["unique_records"]),
        "reported": dumps_exact(manifest.get("reported") or {}), "mismatch": manifest.get("mismatch"),
    }


def _date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _rewrite_connections(session: Session, settings: Settings) -> None:
    session.execute("delete from raw._connections")
    if settings.connections:
        session.insert_columns("raw._connections", {
            "tenant": [c.name for c in settings.connections], "source": [c.source for c in settings.connections],
            "currency": [c.currency for c in settings.connections]})


def _rewrite_landings(session: Session, settings: Settings, source: str, endpoint: str) -> None:
    """When each configured connection last landed the endpoint, a re-landing that changed nothing included."""
    configured = {c.name for c in settings.connections if c.source == source}
    landed = {t: f for t, f in last_extracted(settings.raw_dir, source, endpoint).items() if t in configured}
    session.execute("delete from raw._landings where source = ? and endpoint = ?", [source, endpoint])
    if landed:
        session.insert_columns("raw._landings", {
            "source": [source] * len(landed), "endpoint": [endpoint] * len(landed), "tenant": list(landed),
            "last_extracted_at": [_landing_id("", finished)[1] for finished in landed.values()]})


def _rewrite_failures(session: Session, settings: Settings, source: str, endpoint: str) -> None:
    """The endpoint's standing extraction failures of configured connections."""
    configured = {c.name for c in settings.connections if c.source == source}
    failures = [f for f in read_failures(settings.raw_dir, source, endpoint) if f.tenant in configured]
    session.execute("delete from raw._extraction_failures where source = ? and endpoint = ?", [source, endpoint])
    if failures:
        session.insert_columns("raw._extraction_failures", {
            "tenant": [f.tenant for f in failures], "source": [source] * len(failures),
            "endpoint": [endpoint] * len(failures), "run_id": [f.run_id for f in failures],
            "failed_at": [_landing_id(f.run_id, f.failed_at)[1] for f in failures],
            "partitions": [",".join(f.partitions) for f in failures], "reason": [f.reason for f in failures]})
