"""The dbt project as the Dagster definitions read it: its manifest (the models, tests and sources the dbt
assets and checks are built from) and the digest of its files."""

import fcntl
import functools
import hashlib
import json
from pathlib import Path

from pipeline import dbt_runner
from pipeline.orchestration.assets.dbt_graph import DbtGraph

MANIFEST = dbt_runner.PROJECT_DIR / "target" / "manifest.json"


def ensure_manifest() -> Path:
    """The definitions are read from target/manifest.json: parse when it is missing or older than the project.
    A file lock keeps parallel processes from parsing into the same folder at once."""
    manifest = MANIFEST
    lock_path = dbt_runner.PROJECT_DIR / "target" / ".parse.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
            parsed = dbt_runner.invoke("parse", env={}, target=manifest.parent, log_dir=manifest.parent / "logs")
            if not parsed.success:
                raise RuntimeError(f"dbt parse of {dbt_runner.PROJECT_DIR} failed: {parsed.error}")
    return manifest


def _project_files() -> list[Path]:
    root = dbt_runner.PROJECT_DIR
    files = [p for d in ("models", "macros", "tests", "snapshots", "seeds") for p in (root / d).rglob("*")]
    files += [root / "dbt_project.yml", root / "profiles.yml"]
    return sorted(p for p in files if p.is_file())


def _newest_project_file() -> float:
    return max((p.stat().st_mtime for p in _project_files()), default=0.0)


def project_digest() -> str:
    """The content of every file of the dbt project: a changed model or test means a new build."""
    digest = hashlib.sha256()
    for path in _project_files():
        digest.update(str(path.relative_to(dbt_runner.PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def dbt_graph() -> DbtGraph:
    """The manifest's graph, read once per process."""
    return DbtGraph(json.loads(ensure_manifest().read_text()))
