"""Failed extractions, kept beside the landed pages so a connection's staleness outlives the run that saw it:

{raw_dir}/{source}/{endpoint}/tenant={tenant}/_failure.json

written when a run could not extract some partition of that connection (its earlier landings stay: its rows
remain as of its last good extraction), and removed by the next run that extracts every partition it tried.
The loader copies them into `raw._extraction_failures`, which the marts report as stale connections.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from pipeline.landing.pages import write_atomic

FAILURE = "_failure.json"


@dataclass(frozen=True)
class Failure:
    tenant: str
    source: str
    endpoint: str
    run_id: str
    failed_at: str  # ISO timestamp, UTC
    partitions: tuple[str, ...]
    reason: str  # the error's message: connection, endpoint, status, URL without credentials


def _path(raw_dir: Path, source: str, endpoint: str, tenant: str) -> Path:
    return Path(raw_dir) / source / endpoint / f"tenant={tenant}" / FAILURE


def record_failure(raw_dir: Path, failure: Failure) -> None:
    path = _path(raw_dir, failure.source, failure.endpoint, failure.tenant)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, orjson.dumps({**vars(failure), "partitions": list(failure.partitions)}))


def clear_failure(raw_dir: Path, source: str, endpoint: str, tenant: str) -> None:
    _path(raw_dir, source, endpoint, tenant).unlink(missing_ok=True)


def read_failures(raw_dir: Path, source: str, endpoint: str) -> list[Failure]:
    failures = []
    for path in sorted((Path(raw_dir) / source / endpoint).glob(f"tenant=*/{FAILURE}")):
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            continue
        failures.append(Failure(**{**data, "partitions": tuple(data.get("partitions") or ())}))
    return failures
