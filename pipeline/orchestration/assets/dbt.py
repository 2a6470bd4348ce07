"""dbt models as Dagster assets, the publication of the marts after them, and the finance report.

Lineage runs `source/endpoint` -> `raw/source__endpoint` -> `staging/...` -> `intermediate/...` -> `marts/...`
-> `serving/warehouse` -> `serving/finance_report`. dbt runs in this process (pipeline.dbt_runner); its tests
show as asset checks: a test of severity `warn` (reconciliation, schema drift) is a warning, never a failed run.
"""

import contextlib
import ctypes
import fcntl
import functools
import gc
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Failure,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    asset,
    multi_asset,
)

from pipeline import dbt_runner
from pipeline.finance_report import write_report
from pipeline.orchestration.assets.dbt_graph import DbtGraph, severity
from pipeline.orchestration.assets.resources import PipelineSettings, run_dates, say, warehouse_of
from pipeline.warehouse import Warehouse
from pipeline.warehouse.base import BuiltState

SERVING_KEY = AssetKey(["serving", "warehouse"])
REPORT_KEY = AssetKey(["serving", "finance_report"])
# Published beside the marts (DuckDB's serving copy) so BI tools that read it keep finding it there.
SERVING_EXTRAS = ("staging.stg_quarantined_records",)
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


def _return_free_memory() -> None:
    """Hand the heap that extraction and loading freed back to the OS before dbt builds: glibc keeps freed
    memory mapped (measured: the run process held 567 MiB while dbt ran, 238 MiB of it imports)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@functools.cache
def dbt_graph() -> DbtGraph:
    return DbtGraph(json.loads(ensure_manifest().read_text()))


def build_dbt_assets(months: PartitionsDefinition, freshness: FreshnessPolicy | None = None) -> list[AssetsDefinition]:
    """Partitioned like the extraction assets, so a backfill of any months over everything is one run (Dagster
    runs differently partitioned assets apart). A build reads every landed month: its materialization of a
    range of months means "the marts, with these months (re)loaded". `freshness` is the publication's policy."""
    graph = dbt_graph()
    monthly = {"partitions_def": months, "backfill_policy": BackfillPolicy.single_run()}

    @multi_asset(name="dbt_models", specs=graph.asset_specs({"sql"}), check_specs=graph.check_specs(),
                 can_subset=True, pool="warehouse", **monthly)
    def dbt_models(context: AssetExecutionContext, pipeline: PipelineSettings) -> Iterator:
        settings = pipeline.load()
        warehouse = warehouse_of(settings)
        _, as_of = run_dates(context.run.tags, settings)
        selection = _selection(context, graph, warehouse)
        with warehouse.lock(on_wait=lambda text: say(context, text)):
            inputs = warehouse.build_inputs(as_of, project_digest()) if selection is None else None
            if inputs is not None and _is_current(warehouse, inputs):
                say(context, "dbt build skipped: raw, the connections, the as-of date and the dbt project are as "
                             "they were at the last successful build, whose marts are published")
                # Still materialized: the marts are current as of this run (freshness checks read this).
                for key in graph.in_build_order(context.selected_asset_keys):
                    yield MaterializeResult(asset_key=key, metadata={"build": "skipped: nothing it reads changed"})
                return
            warehouse.record_built_state(None)
            _return_free_memory()
            log_dir = settings.data_dir / "logs"
            say(context, f"dbt build: log at {log_dir / 'dbt.log'}")
            result = warehouse.run_dbt("build", *(_select_args(selection)), data_dir=settings.data_dir,
                                       env={"PIPELINE_AS_OF": as_of.isoformat()})
            yield from _events(context, graph, result, _row_counts(warehouse, result) if result.success else {})
            if not result.success:
                raise Failure(description=_failure_text(result, graph),
                              metadata={"log": MetadataValue.path(str(log_dir / "dbt.log"))})
            # A subset build is complete and tested too, but its inputs are not a whole build's: never skipped.
            warehouse.record_built_state(inputs or f"partial build in run {context.run.run_id}")

    @asset(key=SERVING_KEY, deps=[dbt_models], pool="warehouse", group_name="serving", kinds={"sql"}, **monthly,
           freshness_policy=freshness,
           description="Publishes the built and tested marts for BI, all at once: DuckDB writes the read-only "
                       "serving copy (PIPELINE_SERVING); PostgreSQL swaps the built marts in as schema marts.")
    def serving_copy(context: AssetExecutionContext, pipeline: PipelineSettings) -> MaterializeResult:
        settings = pipeline.load()
        warehouse = warehouse_of(settings)
        with warehouse.lock(on_wait=lambda text: say(context, text)):
            state = warehouse.last_built_state()
            if state is None:
                raise Failure(description="not published: the last dbt build of this warehouse did not complete "
                                          "(a concurrent run's build failed or was killed); BI keeps the last good marts")
            if state.published:  # a concurrent run published this build already: publishing again would undo it
                say(context, "the marts of the last build are published already (by a concurrent run)")
                return MaterializeResult(metadata={"warehouse": warehouse.describe(), "published": "already"})
            rows = warehouse.publish(SERVING_EXTRAS)
            warehouse.record_published()
        return MaterializeResult(metadata={
            "warehouse": warehouse.describe(), "published": str(settings.serving) if warehouse.engine == "duckdb"
            else "schema marts", "tables": MetadataValue.json(rows), "rows": sum(rows.values())})

    @asset(key=REPORT_KEY, deps=[serving_copy], group_name="serving", kinds={"html"}, **monthly,
           description="The finance report (PIPELINE_REPORT): one self-contained HTML file from the published "
                       "marts, replaced atomically: reconciliation, aging, sales by month, trial balance, findings.")
    def finance_report(context: AssetExecutionContext, pipeline: PipelineSettings) -> MaterializeResult:
        settings = pipeline.load()
        with warehouse_of(settings).published() as query:
            if query is None:
                raise Failure(description="nothing is published: the finance report has no marts to read")
            summary = write_report(query, settings.report)
        say(context, f"finance report: {summary.path.resolve()}")
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(summary.path.resolve())), "as_of": summary.as_of.isoformat(),
            "reconciliation_matches": summary.reconciliation_matches,
            "reconciliation_mismatches": summary.reconciliation_mismatches,
            "stale_connections": summary.stale_connections, "quarantined_records": summary.quarantined_records,
            "unbalanced_entries": summary.unbalanced_entries})

    return [dbt_models, serving_copy, finance_report]


def _is_current(warehouse: Warehouse, inputs: str) -> bool:
    if warehouse.last_built_state() != BuiltState(inputs, published=True):
        return False
    with warehouse.published() as query:
        return query is not None


def _selection(context: AssetExecutionContext, graph: DbtGraph, warehouse: Warehouse) -> list[str] | None:
    """dbt node names for a subset run (None: the whole project). On PostgreSQL every mart is built too: the
    marts are published by swapping the whole build schema in, so none of them may be left behind."""
    if not context.is_subset:
        return None
    names = graph.model_names(set(context.selected_asset_keys))
    if warehouse.engine == "postgres":
        names.append("path:models/marts")
    return names


def _select_args(selection: list[str] | None) -> list[str]:
    return [] if selection is None else ["--select", *selection, "--indirect-selection", "cautious"]


def _row_counts(warehouse: Warehouse, result: dbt_runner.DbtResult) -> dict[str, int]:
    """Rows of each table the build wrote (views are not counted: counting one would run its query)."""
    tables = [node for node in result.nodes if node.unique_id.startswith("model.") and node.status == "success"
              and node.relation and node.materialized != "view"]
    if not tables:
        return {}
    sql = " union all ".join(f"select ? as node, count(*) as n from {node.relation}" for node in tables)
    with warehouse.session(read_only=True) as session:
        return {node: int(n) for node, n in session.rows(sql, [node.unique_id for node in tables])}


def _events(context: AssetExecutionContext, graph: DbtGraph, result: dbt_runner.DbtResult,
            row_counts: dict[str, int]) -> Iterator:
    """A materialization per built model and a check result per test, for what this run selected."""
    for node in result.nodes:
        if node.unique_id.startswith("model.") and node.status == "success":
            key = graph.key(node.unique_id)
            if key in context.selected_asset_keys:
                metadata: dict[str, Any] = {"execution_s": round(node.seconds, 3)}
                if node.unique_id in row_counts:
                    metadata["dagster/row_count"] = row_counts[node.unique_id]
                if node.rows_affected is not None:
                    metadata["rows_affected"] = node.rows_affected
                yield MaterializeResult(asset_key=key, metadata=metadata)
        elif node.unique_id.startswith("test.") and node.status in ("pass", "warn", "fail", "error"):
            check = graph.check_key(node.unique_id)
            if check is None or check not in context.selected_asset_check_keys:
                continue
            warn = node.status == "warn" or severity(graph.manifest["nodes"][node.unique_id]) == "warn"
            yield AssetCheckResult(
                asset_key=check.asset_key, check_name=check.name, passed=node.status == "pass",
                severity=AssetCheckSeverity.WARN if warn else AssetCheckSeverity.ERROR,
                metadata={"failing_rows": node.failures or 0, "message": node.message,
                          "execution_s": round(node.seconds, 3)},
            )


def _failure_text(result: dbt_runner.DbtResult, graph: DbtGraph) -> str:
    if result.error:
        return f"dbt build failed: {result.error}"
    lines = []
    for node in result.failures()[:10]:
        name = graph.manifest["nodes"].get(node.unique_id, {}).get("name", node.unique_id)
        lines.append(f"{name}: {node.message.splitlines()[0] if node.message else node.status}")
    return "dbt build failed:\n" + "\n".join(f"- {line}" for line in lines)
