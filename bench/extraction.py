"""The pipeline as a contender: `extract_partition` for every partition of the window and every tenant of
one endpoint, several partitions at a time exactly as the Dagster extraction asset runs them, then
(optionally) `load_partitions` of what landed into a fresh warehouse's raw schema.

    python -m bench.extraction --connections FILE --endpoint smartpyme/sales [--endpoint ...] --start D \
        --end D --as-of D --raw-dir DIR [--warehouse FILE]
prints one JSON line: {"records", "unique_records", "pages", "bytes", "retries", "partitions", "mismatches",
"seconds" (extraction, landing included), "load_seconds", "load_records", "load_pages"}.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.extract.engine import RunCache
from pipeline.extract.partitions import month_keys, plan
from pipeline.landing.load import load_partitions
from pipeline.sources import SOURCES, extract, load_settings
from pipeline.warehouse import open_warehouse


def partition_workers() -> int:
    """What the Dagster asset uses (imports Dagster, outside the timed part); 4 if that layer is broken."""
    try:
        from pipeline.orchestration.assets.extraction import PARTITION_WORKERS
    except Exception:  # the lead's layer may be mid-edit; the engine is what is measured
        return 4
    return PARTITION_WORKERS


def extract_endpoint(settings, endpoint: str, start: date, end: date, as_of: date, workers: int) -> dict[str, Any]:
    source, name = endpoint.split("/")
    months = month_keys(start, end) if SOURCES[source].endpoints[name].window else None
    jobs = [
        (conn, part)
        for conn in settings.connections
        if conn.source == source
        for part in plan(months, max(start, settings.start_date), end, as_of)
    ]
    started, cache = time.perf_counter(), RunCache()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda job: extract(settings, job[0], name, job[1], "bench", cache=cache), jobs))
    seconds = time.perf_counter() - started
    return {
        "records": sum(r.records for r in results),
        "unique_records": sum(r.unique_records for r in results),
        "pages": sum(r.pages for r in results),
        "bytes": sum(r.bytes for r in results),
        "retries": sum(r.retries for r in results),
        "partitions": len(results),
        "mismatches": [r.mismatch for r in results if r.mismatch],
        "seconds": round(seconds, 4),
        "workers": workers,
    }


def load(settings, endpoint: str) -> dict[str, Any]:
    source, name = endpoint.split("/")
    started = time.perf_counter()
    warehouse = open_warehouse(settings.warehouse, settings.serving)
    loaded = load_partitions(settings, warehouse, source, name, SOURCES[source].endpoints[name].records)
    return {
        "load_seconds": round(time.perf_counter() - started, 4),
        "load_records": loaded.records,
        "load_pages": loaded.pages,
    }


def measure(settings, endpoint: str, args: argparse.Namespace, workers: int) -> dict[str, Any]:
    result = {"endpoint": endpoint, **extract_endpoint(settings, endpoint, args.start, args.end, args.as_of, workers)}
    if args.warehouse:
        result |= load(settings, endpoint)
    return result


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One endpoint: its result; several (run one after the other): the sums, and each one."""
    if len(results) == 1:
        return results[0]
    summed = {
        key: sum(r.get(key, 0) for r in results)
        for key in (
            "records",
            "unique_records",
            "pages",
            "bytes",
            "retries",
            "partitions",
            "seconds",
            "load_seconds",
            "load_records",
            "load_pages",
        )
    }
    return {**summed, "mismatches": [m for r in results for m in r["mismatches"]], "by_endpoint": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=Path, required=True)
    parser.add_argument("--endpoint", action="append", required=True, help="source/endpoint; repeatable")
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--end", type=date.fromisoformat, required=True)
    parser.add_argument("--as-of", dest="as_of", type=date.fromisoformat, required=True)
    parser.add_argument("--raw-dir", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path)
    args = parser.parse_args()
    os.environ["PIPELINE_RAW_DIR"] = str(args.raw_dir)
    if args.warehouse:
        os.environ["PIPELINE_WAREHOUSE"] = str(args.warehouse)
    settings = load_settings(args.connections)
    workers = partition_workers()
    print(json.dumps(totals([measure(settings, endpoint, args, workers) for endpoint in args.endpoint])))


if __name__ == "__main__":
    main()
