"""Reading back what a run landed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.extract.engine import records_of
from pipeline.extract.partitions import Partition
from pipeline.sources import SOURCES

MARCH = Partition("2025-03", date(2025, 3, 1), date(2025, 3, 31))
SNAPSHOT = Partition("2025-06-30", snapshot_date=date(2025, 6, 30))


def manifest(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "_manifest.json").read_text())


def landed_records(run_dir: Path, source: str, endpoint: str) -> list[Any]:
    spec = SOURCES[source].endpoints[endpoint]
    found: list[Any] = []
    for page in manifest(run_dir)["pages"]:
        found.extend(records_of(json.loads((run_dir / page["file"]).read_bytes()), spec.records))
    return found


def landed_keys(run_dir: Path, source: str, endpoint: str) -> list[Any]:
    key = SOURCES[source].endpoints[endpoint].key
    return [record[key] for record in landed_records(run_dir, source, endpoint)]


def truth_ids(sim: Any, source: str, tenant: str, entity: str, partition: Partition) -> list[Any]:
    window = {}
    if partition.window_start:
        window = {"date_from": partition.window_start.isoformat(), "date_to": partition.window_end.isoformat()}
    return sim.control.truth(source=source, tenant=tenant, entity=entity, **window)["ids"]

