"""Extraction and load assets, built from the source descriptions: `source/endpoint` lands pages,
`raw/source__endpoint` loads them into the warehouse.

Date-windowed endpoints are partitioned by month (see README: a month is the accounting period finance
closes, and 23 partitions of history stay readable in the UI where 700 daily ones would not). A run covers a
range of months in one step (single-run backfill policy), fetching every tenant and month concurrently.
Snapshot endpoints are unpartitioned: each run lands the snapshot of its as-of date.

One connection never holds the others back: a connection whose extraction fails keeps what it landed before,
is recorded as failed beside its pages (pipeline.landing.failures) and reported by the check
`extracted_every_connection`; the asset itself succeeds so everything downstream still builds.
"""

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetsDefinition,
    BackfillPolicy,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    MonthlyPartitionsDefinition,
    asset,
)

from pipeline.config import Connection, Settings
from pipeline.extract.engine import ExtractResult, RunCache, extract_partition
from pipeline.extract.errors import ExtractionError
from pipeline.extract.model import Source
from pipeline.extract.partitions import Partition, month_end, month_keys, plan
from pipeline.landing.failures import Failure, clear_failure, record_failure
from pipeline.landing.load import landing_id, load_partitions
from pipeline.landing.pages import MANIFEST, complete_runs, read_manifest
from pipeline.orchestration.assets.keys import extraction_key, raw_key
from pipeline.orchestration.assets.resources import (
    PipelineSettings,
    current_listener,
    run_dates,
    say,
    warehouse_of,
)

MONTH_FORMAT = "%Y-%m"
LANDED_CHECK = "landed_matches_reported"
EXTRACTED_CHECK = "extracted_every_connection"
# `pipeline run` sets it (unless --refresh); materializations from the UI always extract what they name.
REUSE_TAG = "pipeline/reuse_landed"
PARTITION_WORKERS = 4


def monthly_partitions(settings: Settings) -> MonthlyPartitionsDefinition:
    # end_offset=1: the current month is a partition too (extracted up to the run's end date).
    return MonthlyPartitionsDefinition(start_date=settings.start_date.strftime(MONTH_FORMAT), fmt=MONTH_FORMAT,
                                       end_offset=1, timezone=settings.timezone)


def connections_for(settings: Settings, source: Source, endpoint: str) -> list[Connection]:
    return [c for c in settings.connections if c.source == source.name and endpoint in source.enabled_endpoints(c)]


def build_extraction_assets(settings: Settings, sources: dict[str, Source],
                            freshness: FreshnessPolicy | None = None) -> list[AssetsDefinition]:
    """Two assets per endpoint that at least one configured connection reads; `freshness` is the extraction
    assets' policy (the load assets follow them in the same run)."""
    months = monthly_partitions(settings)
    assets: list[AssetsDefinition] = []
    for source in sources.values():
        for endpoint in source.endpoints.values():
            if connections_for(settings, source, endpoint.name):
                assets.append(_extraction_asset(source, endpoint.name, months, freshness))
                assets.append(_load_asset(source, endpoint.name, months))
    return assets


def _month_keys(context: AssetExecutionContext, source: Source, endpoint: str) -> list[str] | None:
    """The months a run extracts or loads of a windowed endpoint; None for a snapshot one, which lands the
    snapshot of the run's as-of date whatever months the run covers."""
    return list(context.partition_keys) if source.endpoints[endpoint].window else None


def _extraction_asset(source: Source, endpoint: str, months: MonthlyPartitionsDefinition,
                      freshness: FreshnessPolicy | None) -> AssetsDefinition:
    key = extraction_key(source.name, endpoint)

    @asset(
        key=key,
        group_name=source.name,
        freshness_policy=freshness,
        partitions_def=months,
        backfill_policy=BackfillPolicy.single_run(),
        pool=source.name if source.serialized else None,
        check_specs=[
            AssetCheckSpec(LANDED_CHECK, asset=key, description=(
                "Unique records landed equal the count the API stated when paging started (a finding when not: "
                "the API's count disagrees with its own pages).")),
            AssetCheckSpec(EXTRACTED_CHECK, asset=key, description=(
                "Every connection extracted every partition; a failed one stays as of its last good "
                "extraction (stale) and the run exits non-zero.")),
        ],
        kinds={"python", "json"},
        description=f"Pages of {source.name} {endpoint}, landed as received under PIPELINE_RAW_DIR.",
    )
    def _extract(context: AssetExecutionContext, pipeline: PipelineSettings) -> Iterator:
        settings = pipeline.load()
        end, as_of = run_dates(context.run.tags, settings)
        parts = plan(_month_keys(context, source, endpoint), settings.start_date, end, as_of)
        landings = complete_runs(settings.raw_dir, source.name, endpoint) if reuse_landed(context) else {}
        jobs, reused = [], 0
        for conn in connections_for(settings, source, endpoint):
            landed = closed_landed_months(settings, conn, landings, end)
            reused += sum(part.key in landed for part in parts)
            jobs += [(conn, part) for part in parts if part.key not in landed]
        if reused and (listener := current_listener()):
            listener.note(f"{source.name}/{endpoint}: {reused} closed months already landed, reused "
                          "(--refresh re-extracts)")
        outcomes, duration = _run_extraction(context, settings, source, endpoint, jobs)
        yield _materialization(outcomes, reused, duration)
        if source.endpoints[endpoint].window:
            yield from _partition_materializations(key, context.partition_keys, outcomes)

    return _extract


def reuse_landed(context: AssetExecutionContext) -> bool:
    return context.run.tags.get(REUSE_TAG) == "true"


def closed_landed_months(settings: Settings, conn: Connection, landings: dict[tuple[str, str], Path],
                         end: date) -> set[str]:
    """Of an endpoint's landings, the months that ended before the connection's look-back and are landed whole:
    nothing in them can still change as far as the look-back contract goes, so `pipeline run` does not fetch
    them again."""
    horizon = end - timedelta(days=conn.lookback_days)
    landed = set()
    for (tenant, key), run_dir in landings.items():
        if tenant != conn.name or len(key) != len("YYYY-MM"):
            continue
        first = date.fromisoformat(f"{key}-01")
        manifest = read_manifest(run_dir / MANIFEST)
        whole = (manifest.get("window_start") == max(first, settings.start_date).isoformat()
                 and manifest.get("window_end") == month_end(first).isoformat())
        if whole and month_end(first) < horizon and not manifest.get("mismatch"):
            landed.add(key)
    return landed


def first_month_to_run(settings: Settings, sources: dict[str, Source], loaded: dict, start: date, end: date) -> date:
    """The first day of the earliest month from `start` to `end` that some connection of a windowed endpoint
    still has to extract (not landed whole and closed) or to load (its newest landing not in raw; `loaded` is
    `loaded_landings`). `pipeline run` starts its range of partitions there: a nightly run materializes the
    look-back months in Dagster's event log, not the whole history, and skips nothing it would have done."""
    earliest = month_end(end).replace(day=1)
    for source in sources.values():
        for endpoint in (e for e in source.endpoints.values() if e.window):
            landings = complete_runs(settings.raw_dir, source.name, endpoint.name)
            for conn in connections_for(settings, source, endpoint.name):
                landed = closed_landed_months(settings, conn, landings, end)
                for part in plan(month_keys(start, end), settings.start_date, end, end):
                    run_dir = landings.get((conn.name, part.key))
                    done = (part.key in landed and run_dir is not None
                            and loaded.get((source.name, endpoint.name, conn.name, part.key)) == landing_id(run_dir))
                    if not done and part.window_start:
                        earliest = min(earliest, part.window_start.replace(day=1))
                        break
    return earliest


@dataclass
class _Outcome:
    connection: str
    partition: str
    result: ExtractResult | None = None
    error: str | None = None


def _run_extraction(context, settings: Settings, source: Source, endpoint: str, jobs) -> tuple[list[_Outcome], float]:
    asset_name = f"{source.name}/{endpoint}"
    listener = current_listener()
    started = time.monotonic()
    cache = RunCache()

    def extract_one(conn: Connection, part: Partition) -> _Outcome:
        def on_page(pages: int, records: int) -> None:
            if listener:
                listener.partition_progress(asset_name, conn.name, part.key, pages, records)

        try:
            result = extract_partition(settings, source, conn, endpoint, part, context.run.run_id, on_page=on_page,
                                       cache=cache)
        except ExtractionError as error:  # its message names connection, endpoint, status; no secrets
            context.log.error(str(error))
            return _Outcome(conn.name, part.key, error=str(error))
        if listener:
            listener.partition_done(asset_name, conn.name, part.key, result.pages, result.records)
        return _Outcome(conn.name, part.key, result=result)

    with ThreadPoolExecutor(max_workers=PARTITION_WORKERS) as pool:
        futures = [pool.submit(extract_one, conn, part) for conn, part in jobs]
        outcomes = [f.result() for f in as_completed(futures)]
    _record_failures(settings, context.run.run_id, source.name, endpoint, outcomes)
    return outcomes, time.monotonic() - started


def _record_failures(settings: Settings, run_id: str, source: str, endpoint: str, outcomes: list[_Outcome]) -> None:
    """A connection that failed any partition is stale until a later run extracts every partition it tries."""
    failed_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    for tenant in sorted({o.connection for o in outcomes}):
        failures = [o for o in outcomes if o.connection == tenant and o.error]
        if not failures:
            clear_failure(settings.raw_dir, source, endpoint, tenant)
            continue
        record_failure(settings.raw_dir, Failure(
            tenant=tenant, source=source, endpoint=endpoint, run_id=run_id, failed_at=failed_at,
            partitions=tuple(sorted(o.partition for o in failures)), reason=failures[0].error or ""))


def _materialization(outcomes: list[_Outcome], reused: int, duration: float) -> MaterializeResult:
    results = [(o, o.result) for o in outcomes if o.result]
    failures = sorted(({"tenant": o.connection, "partition": o.partition, "error": o.error}
                       for o in outcomes if o.error), key=lambda row: (row["tenant"], row["partition"]))
    mismatches = sorted(({"tenant": o.connection, "partition": o.partition, "mismatch": r.mismatch}
                         for o, r in results if r.mismatch), key=lambda row: (row["tenant"], row["partition"]))
    per_partition = sorted(
        ({"tenant": o.connection, "partition": o.partition, "records": r.records, "unique_records": r.unique_records,
          "pages": r.pages, "passes": r.passes, "reported": _jsonable(r.reported)} for o, r in results),
        key=lambda row: (row["tenant"], row["partition"]),
    )
    return MaterializeResult(
        metadata={
            "records": sum(r.records for _, r in results),
            "unique_records": sum(r.unique_records for _, r in results),
            "pages": sum(r.pages for _, r in results),
            "bytes": sum(r.bytes for _, r in results),
            "retries": sum(r.retries for _, r in results),
            "duration_s": round(duration, 3),
            "tenants": len({o.connection for o, _ in results}),
            "reused_partitions": reused,
            "failed_partitions": len(failures),
            "stale_connections": MetadataValue.json(sorted({row["tenant"] for row in failures})),
            "partitions": MetadataValue.json(per_partition),
        },
        check_results=[
            AssetCheckResult(
                check_name=LANDED_CHECK, passed=not mismatches, severity=AssetCheckSeverity.WARN,
                metadata={"mismatches": MetadataValue.json(mismatches), "mismatch_count": len(mismatches)},
            ),
            AssetCheckResult(
                check_name=EXTRACTED_CHECK, passed=not failures, severity=AssetCheckSeverity.ERROR,
                metadata={"failures": MetadataValue.json(failures), "failure_count": len(failures)},
            ),
        ],
    )


def _partition_materializations(key: AssetKey, partition_keys, outcomes: list[_Outcome]) -> Iterator:
    """Each month of the run gets its own figures (the run's materialization above carries its totals): the
    UI's view of 2025-09 shows what 2025-09 landed."""
    for partition in partition_keys:
        mine = [o for o in outcomes if o.partition == partition]
        done = [o.result for o in mine if o.result]
        metadata: dict[str, Any] = {
            "records": sum(r.records for r in done), "unique_records": sum(r.unique_records for r in done),
            "pages": sum(r.pages for r in done), "tenants": MetadataValue.json(sorted(o.connection for o in mine)),
            "failed_tenants": MetadataValue.json(sorted(o.connection for o in mine if o.error)),
        }
        if not mine:
            metadata["reused"] = "every connection's landing of this closed month was reused"
        yield AssetMaterialization(asset_key=key, partition=partition, metadata=metadata)


def _jsonable(value):
    """Exact amounts as text: metadata is JSON, and a float would not be the API's figure."""
    return json.loads(json.dumps(value, default=str))


def _load_asset(source: Source, endpoint: str, months: MonthlyPartitionsDefinition) -> AssetsDefinition:
    record_path = source.endpoints[endpoint].records
    key = raw_key(source.name, endpoint)

    @asset(
        key=key,
        deps=[extraction_key(source.name, endpoint)],
        group_name="raw",
        partitions_def=months,
        backfill_policy=BackfillPolicy.single_run(),
        pool="warehouse",
        kinds={"sql"},
        description=f"Landed pages of {source.name} {endpoint}, one row per record (its exact text), in the "
                    "warehouse's raw schema.",
    )
    def _load(context: AssetExecutionContext, pipeline: PipelineSettings) -> Iterator:
        settings = pipeline.load()
        _, as_of = run_dates(context.run.tags, settings)
        months_named = _month_keys(context, source, endpoint)
        warehouse = warehouse_of(settings)
        with warehouse.lock(on_wait=lambda text: say(context, text)):
            loaded = load_partitions(settings, warehouse, source.name, endpoint, record_path,
                                     partition_keys=months_named or [as_of.isoformat()])
        yield MaterializeResult(metadata={
            "pages": loaded.pages, "records": loaded.records, "partitions": loaded.partitions,
            "unchanged_partitions": loaded.unchanged, "duration_s": round(loaded.duration_s, 3),
        })
        for month in months_named or []:
            records = loaded.records_by_partition.get(month)
            yield AssetMaterialization(asset_key=key, partition=month, metadata=(
                {"records_loaded": records} if records is not None
                else {"records_loaded": 0, "unchanged": "the loaded rows already hold this month's newest landing"}))

    return _load
