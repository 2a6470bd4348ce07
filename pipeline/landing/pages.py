"""The landing layout (fixed; the loader and dbt rely on it):

{raw_dir}/{source}/{endpoint}/tenant={tenant}/partition={key}/run={run_id}/page-00001.json ... _manifest.json

Every file is written atomically (temp name in the same dir, fsync, os.replace). The manifest is written last;
a run dir without one is never read and is removed by the next run of that partition, and a run that completes
removes every other run dir of its partition.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pipeline.landing.exactjson import dumps_exact

MANIFEST = "_manifest.json"


def partition_dir(raw_dir: Path, source: str, endpoint: str, tenant: str, partition_key: str) -> Path:
    return Path(raw_dir) / source / endpoint / f"tenant={tenant}" / f"partition={partition_key}"


def write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class LandedPage:
    page: int
    file: str
    bytes: int
    sha256: str


class RunWriter:
    """Lands the pages of one run of one partition, then its manifest."""

    def __init__(self, raw_dir: Path, source: str, endpoint: str, tenant: str, partition_key: str, run_id: str):
        self.partition_dir = partition_dir(raw_dir, source, endpoint, tenant, partition_key)
        self.run_dir = self.partition_dir / f"run={run_id}"
        if self.run_dir.exists():
            shutil.rmtree(self.run_dir)
        self.run_dir.mkdir(parents=True)
        self._started = self.run_dir.stat().st_mtime
        self._next = 1
        self._counter = threading.Lock()

    def land_page(self, body: bytes) -> LandedPage:
        """Safe to call from several threads at once; pages are numbered in the order they arrive."""
        with self._counter:
            number, self._next = self._next, self._next + 1
        name = f"page-{number:05d}.json"
        write_atomic(self.run_dir / name, body)
        return LandedPage(number, name, len(body), hashlib.sha256(body).hexdigest())

    def finish(self, manifest: dict[str, Any]) -> Path:
        """Write the manifest (making the run complete), then remove every other run of the partition."""
        fsync_dir(self.run_dir)
        write_atomic(self.run_dir / MANIFEST, dumps_exact(manifest, indent=1).encode())
        fsync_dir(self.run_dir)
        for other in self.partition_dir.glob("run=*"):
            if other != self.run_dir and self._superseded(other):
                shutil.rmtree(other, ignore_errors=True)
        return self.run_dir

    def abandon(self) -> None:
        """A failed run leaves nothing behind (it would never be read anyway)."""
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def _superseded(self, other: Path) -> bool:
        """Complete runs are older than this one now; an incomplete one is removed unless it started after
        this run did (another process may still be writing it)."""
        try:
            return (other / MANIFEST).exists() or other.stat().st_mtime <= self._started
        except FileNotFoundError:
            return False


def read_manifest(path: Path) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())


def complete_runs(raw_dir: Path, source: str, endpoint: str) -> dict[tuple[str, str], Path]:
    """(tenant, partition_key) -> the newest run dir that has a manifest (by its finished_at)."""
    return {key: run_dir for key, (_, run_dir) in _newest_runs(raw_dir, source, endpoint).items()}


def last_extracted(raw_dir: Path, source: str, endpoint: str) -> dict[str, str]:
    """tenant -> when its newest complete landing of the endpoint (any partition) finished, ISO text."""
    newest: dict[str, str] = {}
    for (tenant, _), (finished, _) in _newest_runs(raw_dir, source, endpoint).items():
        newest[tenant] = max(newest.get(tenant, ""), finished)
    return {tenant: finished for tenant, finished in newest.items() if finished}


def _newest_runs(raw_dir: Path, source: str, endpoint: str) -> dict[tuple[str, str], tuple[str, Path]]:
    newest: dict[tuple[str, str], tuple[str, Path]] = {}
    base = Path(raw_dir) / source / endpoint
    for manifest in base.glob(f"tenant=*/partition=*/run=*/{MANIFEST}"):
        run_dir = manifest.parent
        tenant = run_dir.parent.parent.name.removeprefix("tenant=")
        key = run_dir.parent.name.removeprefix("partition=")
        try:
            finished = str(read_manifest(manifest).get("finished_at") or "")
        except (OSError, orjson.JSONDecodeError):
            continue
        if (tenant, key) not in newest or (finished, str(run_dir)) > (newest[(tenant, key)][0], str(newest[(tenant, key)][1])):
            newest[(tenant, key)] = (finished, run_dir)
    return newest
