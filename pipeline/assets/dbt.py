"""dbt models as Dagster assets, and the serving copy published after them.

Lineage runs `source/endpoint` -> `raw/source__endpoint` -> `staging/...` -> `intermediate/...` -> `marts/...`
-> `serving/warehouse`. dbt tests show as asset checks; a test of severity `warn` (reconciliation, balance
findings) is a warning, never a failed run.
"""


import contextlib
import ctypes
import fcntl
import gc
import hashlib
import logging
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from pipeline.assets.extraction import raw_key
from pipeline.assets.resources import PipelineSettings, ProgressListener, current_listener, run_dates
from pipeline.warehouse import (
    BuiltState,
    build_inputs,
    last_built_state,
    publish_serving_copy,
    record_built_state,
    record_published,
    warehouse_lock,
)

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
SERVING_KEY = AssetKey(["serving", "warehouse"])
# Published beside the marts so finance sees what was kept out of them.
SERVING_EXTRAS = ("staging.stg_quarantined_records",)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# A dbt build skipped because nothing changed emits no check results by design; Dagster warns once per check.
logging.getLogger("dagster._core.execution.plan.active").addFilter(
    lambda record: "emitted no result in step 'dbt_models'" not in record.getMessage()
)


def dbt_resource() -> DbtCliResource:
    """dbt from this interpreter's environment, whether or not .venv/bin is on PATH."""
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt"))


class PipelineDbtTranslator(DagsterDbtTranslator):
    """Sources map onto the load assets; models are keyed `schema/model` and grouped by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            source, table = dbt_resource_props["source_name"], dbt_resource_props["name"]
            return raw_key(source, table) if not table.startswith("_") else AssetKey(["raw", table.lstrip("_")])
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("schema") or "dbt"


def ensure_manifest() -> Path:
    """`@dbt_assets` needs target/manifest.json at import: parse when it is missing or older than the
    project. A file lock keeps parallel test workers from parsing into the same target folder at once."""
    manifest = dbt_project.manifest_path
    lock_path = DBT_PROJECT_DIR / "target" / ".parse.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
            dbt_resource().cli(
                ["parse"], target_path=manifest.parent, raise_on_error=True
            ).wait()
    return manifest


def _project_files() -> list[Path]:
    files = [p for d in ("models", "macros", "tests", "snapshots", "seeds") for p in (DBT_PROJECT_DIR / d).rglob("*")]
    files += [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    return sorted(p for p in files if p.is_file())


def _newest_project_file() -> float:
    return max((p.stat().st_mtime for p in _project_files()), default=0.0)


def project_digest() -> str:
    """The content of every file of the dbt project: a changed model or test means a new build."""
    digest = hashlib.sha256()
    for path in _project_files():
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _say(context: AssetExecutionContext, listener: ProgressListener | None, text: str) -> None:
    context.log.info(text)
    if listener is not None:
        listener.note(text)




@contextlib.contextmanager
def _dbt_output(listener: ProgressListener | None, data_dir: Path) -> Iterator[None]:
    """dagster-dbt echoes every dbt event to stdout. Under `pipeline run` that goes to a log file (the
    summary names it); under `dagster dev` it stays in the step's compute log."""
    if listener is None:
        yield
        return
    log_path = data_dir / "logs" / "dbt.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    listener.note(f"dbt build: log at {log_path}")
    with open(log_path, "w") as log, contextlib.redirect_stdout(log):
        yield


def _return_free_memory() -> None:
    """Hand the heap that extraction and loading freed back to the OS before dbt starts beside this process:
    glibc keeps freed memory mapped (measured: the run process held 567 MiB while dbt ran, 238 MiB of it
    imports)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def build_dbt_assets() -> list[AssetsDefinition]:
    translator = PipelineDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    @dbt_assets(manifest=ensure_manifest(), project=dbt_project, dagster_dbt_translator=translator,
                name="dbt_models", pool="warehouse")
    def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings) -> Iterator:
        settings = pipeline.load()
        _, as_of = run_dates(context.run.tags, settings)
        # dbt inherits this environment and runs in the project folder: the warehouse as an absolute path, and
        # the as-of date as an env var (a --vars that changes every run would cost a full re-parse).
        os.environ["PIPELINE_WAREHOUSE"] = str(settings.warehouse.resolve())
        os.environ["PIPELINE_AS_OF"] = as_of.isoformat()
        listener = current_listener()
        with warehouse_lock(settings.warehouse):
            inputs = build_inputs(settings.warehouse, as_of, project_digest()) if not context.is_subset else None
            built = last_built_state(settings.warehouse)
            # Skipped, this step emits nothing, so Dagster skips the serving copy too: only when it is current.
            if inputs is not None and built == BuiltState(inputs, published=True) and settings.serving.exists():
                _say(context, listener, "dbt build skipped: raw, the connections, the as-of date and the dbt project "
                     "are as they were at the last successful build and its serving copy")
                return
            record_built_state(settings.warehouse, None)
            _return_free_memory()
            with _dbt_output(listener, settings.warehouse.parent):
                yield from dbt.cli(["build"], context=context).stream()
            record_built_state(settings.warehouse, inputs)

    @asset(key=SERVING_KEY, deps=[dbt_models], pool="warehouse", group_name="serving", kinds={"duckdb"},
           description="Read-only copy of the marts for BI tools (PIPELINE_SERVING), replaced atomically.")
    def serving_copy(context: AssetExecutionContext, pipeline: PipelineSettings) -> MaterializeResult:
        settings = pipeline.load()
        with warehouse_lock(settings.warehouse):
            rows = publish_serving_copy(settings.warehouse, settings.serving, SERVING_EXTRAS)
            record_published(settings.warehouse)
        return MaterializeResult(metadata={"path": str(settings.serving), "tables": MetadataValue.json(rows)})

    return [dbt_models, serving_copy]
