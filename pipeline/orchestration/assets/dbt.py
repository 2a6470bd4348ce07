"""The dbt models as one Dagster multi-asset, built in this process (pipeline.dbt_runner) from the manifest
(dbt_manifest.py): its tests show as asset checks, and a test of severity `warn` (reconciliation, schema
drift) is a warning, never a failed run. Lineage runs `raw/source__endpoint` -> `staging/...` ->
`intermediate/...` -> `marts/...`; the serving assets (serving.py) follow.
"""

from collections.abc import Iterator
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetsDefinition,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    multi_asset,
)

from pipeline import dbt_runner
from pipeline.orchestration.assets.dbt_graph import DbtGraph, severity
from pipeline.orchestration.assets.dbt_manifest import dbt_graph, project_digest
from pipeline.orchestration.assets.resources import PipelineSettings, run_dates, say, warehouse_of
from pipeline.warehouse import Warehouse
from pipeline.warehouse.base import BuiltState


def build_dbt_assets(months: PartitionsDefinition) -> AssetsDefinition:
    """Partitioned like the extraction assets, so a backfill of any months over everything is one run (Dagster
    runs differently partitioned assets apart). A build reads every landed month: its materialization of a
    range of months means "the marts, with these months (re)loaded"."""
    graph = dbt_graph()

    @multi_asset(name="dbt_models", specs=graph.asset_specs({"sql"}), check_specs=graph.check_specs(),
                 can_subset=True, pool="warehouse", partitions_def=months,
                 backfill_policy=BackfillPolicy.single_run())
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
            dbt_runner.return_free_memory()
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

    return dbt_models


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
