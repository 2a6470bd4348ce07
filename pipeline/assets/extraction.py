"""Extraction and load assets, built from the source descriptions: `source/endpoint` lands pages,
`raw/source__endpoint` loads them into the warehouse.

Date-windowed endpoints are partitioned by month (see README: a month is the accounting period finance
closes, and 23 partitions of history stay readable in the UI where 700 daily ones would not). A run covers a
range of months in one step (single-run backfill policy), fetching every tenant and month concurrently.
Snapshot endpoints are unpartitioned: each run lands the snapshot of its as-of date.
"""


import json
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Backoff,
    Failure,
    Jitter,
    MaterializeResult,
    MetadataValue,
    MonthlyPartitionsDefinition,
    RetryPolicy,
    asset,
)

from pipeline.assets.resources import PipelineSettings, current_listener, run_dates
from pipeline.config import Connection, Settings
from pipeline.extract import (
    AuthFailed,
    ExtractionError,
    ExtractResult,
    Forbidden,
    Partition,
    RequestRejected,
    WindowTooLarge,
    extract_partition,
)
from pipeline.extract.partitions import month_end, monthly
from pipeline.landing.load import load_partitions
from pipeline.landing.pages import MANIFEST, complete_runs, read_manifest
from pipeline.sources import SOURCES
from pipeline.warehouse import warehouse_lock

MONTH_FORMAT = "%Y-%m"
LANDED_CHECK = "landed_matches_reported"
# `pipeline run` sets it (unless --refresh); materializations from the UI always extract what they name.
REUSE_TAG = "pipeline/reuse_landed"
EXTRACTION_RETRY = RetryPolicy(max_retries=2, delay=5, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)
PARTITION_WORKERS = 4


def monthly_partitions(settings: Settings) -> MonthlyPartitionsDefinition:
    # end_offset=1: the current month is a partition too (extracted up to the run's end date).
    return MonthlyPartitionsDefinition(start_date=settings.start_date.strftime(MONTH_FORMAT), fmt=MONTH_FORMAT, end_offset=1)


def extraction_key(source: str, endpoint: str) -> AssetKey:
    return AssetKey([source, endpoint])


def raw_key(source: str, endpoint: str) -> AssetKey:
    return AssetKey(["raw", f"{source}__{endpoint}"])


def connections_for(settings: Settings, source: str, endpoint: str) -> list[Connection]:
    return [c for c in settings.connections
            if c.source == source and endpoint in SOURCES[source].enabled_endpoints(c)]


def build_extraction_assets(settings: Settings) -> list[AssetsDefinition]:
    """Two assets per endpoint that at least one configured connection reads."""
    months = monthly_partitions(settings)
    assets: list[AssetsDefinition] = []
    for source in SOURCES.values():
        for endpoint in source.endpoints.values():
            if not connections_for(settings, source.name, endpoint.name):
                continue
            partitions = months if endpoint.window else None
            assets.append(_extraction_asset(source.name, endpoint.name, partitions, source.serialized))
            assets.append(_load_asset(source.name, endpoint.name, partitions))
    return assets


def _extraction_asset(source: str, endpoint: str, partitions, serialized: bool) -> AssetsDefinition:
    key = extraction_key(source, endpoint)

    @asset(
        key=key,
        group_name=source,
        partitions_def=partitions,
        backfill_policy=BackfillPolicy.single_run() if partitions else None,
        retry_policy=EXTRACTION_RETRY,
        pool=source if serialized else None,
        check_specs=[AssetCheckSpec(LANDED_CHECK, asset=key, blocking=True,
                                    description="Unique records landed equal what the API reported.")],
        kinds={"python", "json"},
        description=f"Pages of {source} {endpoint}, landed as received under PIPELINE_RAW_DIR.",
    )
    def _extract(context: AssetExecutionContext, pipeline: PipelineSettings) -> MaterializeResult:
        settings = pipeline.load()
        end, as_of = run_dates(context.run.tags, settings)
        # Unpartitioned (snapshot) assets see the run's month-range tags too: only partitioned ones use them.
        keys = list(context.partition_keys) if partitions else None
        parts = partitions_to_extract(settings, keys, end, as_of)
        landings = complete_runs(settings.raw_dir, source, endpoint) if reuse_landed(context) else {}
        jobs, reused = [], 0
        for conn in connections_for(settings, source, endpoint):
            landed = closed_landed_months(settings, conn, landings, end)
            reused += sum(part.key in landed for part in parts)
            jobs += [(conn, part) for part in parts if part.key not in landed]
        if reused and (listener := current_listener()):
            listener.note(f"{source}/{endpoint}: {reused} closed months already landed, reused (--refresh re-extracts)")
        return _run_extraction(context, settings, source, endpoint, jobs, reused)

    return _extract


def partitions_to_extract(settings: Settings, month_keys: list[str] | None, end: date, as_of: date) -> list[Partition]:
    """Whole months clipped to the configured start date and the run's end; or the as-of snapshot."""
    if month_keys is None:
        return [Partition(key=as_of.isoformat(), snapshot_date=as_of)]
    parts = []
    for key in month_keys:
        first = date.fromisoformat(f"{key}-01")
        parts += monthly(max(first, settings.start_date), min(month_end(first), end))
    return parts


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


# Answers that another attempt cannot change: Dagster's retry policy is for what is transient.
PERMANENT_ERRORS = (AuthFailed, Forbidden, RequestRejected, WindowTooLarge)


@dataclass
class _Outcome:
    connection: str
    partition: str
    result: ExtractResult | None = None
    error: str | None = None
    permanent: bool = False


def _run_extraction(context, settings, source, endpoint, jobs, reused: int) -> MaterializeResult:
    asset_name = f"{source}/{endpoint}"
    listener = current_listener()
    started = time.monotonic()

    def extract_one(conn: Connection, part: Partition) -> _Outcome:
        def on_page(pages: int, records: int) -> None:
            if listener:
                listener.partition_progress(asset_name, conn.name, part.key, pages, records)

        try:
            result = extract_partition(settings, conn, endpoint, part, context.run.run_id, on_page=on_page)
        except ExtractionError as error:  # its message names connection, endpoint, status; no secrets
            context.log.error(str(error))
            return _Outcome(conn.name, part.key, error=str(error), permanent=isinstance(error, PERMANENT_ERRORS))
        if listener:
            listener.partition_done(asset_name, conn.name, part.key, result.pages, result.records)
        return _Outcome(conn.name, part.key, result=result)

    with ThreadPoolExecutor(max_workers=PARTITION_WORKERS) as pool:
        futures = [pool.submit(extract_one, conn, part) for conn, part in jobs]
        outcomes = [f.result() for f in as_completed(futures)]

    failures = [o for o in outcomes if o.error]
    if failures:
        raise Failure(
            description=f"{len(failures)} of {len(outcomes)} partitions failed:\n"
            + "\n".join(f"- {o.error}" for o in failures),
            metadata={"failed": MetadataValue.json([{"tenant": o.connection, "partition": o.partition} for o in failures])},
            allow_retries=not all(o.permanent for o in failures),
        )
    return _materialization(outcomes, reused, time.monotonic() - started)


def _materialization(outcomes: list[_Outcome], reused: int, duration: float) -> MaterializeResult:
    results = [(o, o.result) for o in outcomes if o.result]
    mismatches = [{"tenant": o.connection, "partition": o.partition, "mismatch": r.mismatch}
                  for o, r in results if r.mismatch]
    per_partition = sorted(
        ({"tenant": o.connection, "partition": o.partition, "records": r.records, "unique_records": r.unique_records,
          "pages": r.pages, "reported": _jsonable(r.reported)} for o, r in results),
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
            "partitions": MetadataValue.json(per_partition),
        },
        check_results=[
            AssetCheckResult(
                check_name=LANDED_CHECK,
                passed=not mismatches,
                severity=AssetCheckSeverity.ERROR,
                metadata={"mismatches": MetadataValue.json(mismatches)},
            )
        ],
    )


def _jsonable(value):
    """Exact amounts as text: metadata is JSON, and a float would not be the API's figure."""
    return json.loads(json.dumps(value, default=str))


def _load_asset(source: str, endpoint: str, partitions) -> AssetsDefinition:
    @asset(
        key=raw_key(source, endpoint),
        deps=[extraction_key(source, endpoint)],
        group_name="raw",
        partitions_def=partitions,
        backfill_policy=BackfillPolicy.single_run() if partitions else None,
        pool="warehouse",
        kinds={"duckdb"},
        description=f"Landed pages of {source} {endpoint}, one row per record (its exact text), in the warehouse's raw schema.",
    )
    def _load(context: AssetExecutionContext, pipeline: PipelineSettings) -> MaterializeResult:
        settings = pipeline.load()
        _, as_of = run_dates(context.run.tags, settings)
        keys = list(context.partition_keys) if partitions else [as_of.isoformat()]
        with warehouse_lock(settings.warehouse):
            loaded = load_partitions(settings, source, endpoint, partition_keys=keys)
        return MaterializeResult(metadata={
            "pages": loaded.pages, "records": loaded.records, "partitions": loaded.partitions,
            "unchanged_partitions": loaded.unchanged, "duration_s": round(loaded.duration_s, 3),
        })

    return _load
