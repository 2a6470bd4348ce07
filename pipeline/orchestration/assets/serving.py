"""Publication of the built and tested marts for BI (`serving/warehouse`), and the finance report from them
(`serving/finance_report`): the last two assets of the lineage, after the dbt models."""

from dagster import (
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
)

from pipeline.finance_report import write_report
from pipeline.orchestration.assets.resources import PipelineSettings, say, warehouse_of

SERVING_KEY = AssetKey(["serving", "warehouse"])
REPORT_KEY = AssetKey(["serving", "finance_report"])
# Published beside the marts (DuckDB's serving copy) so BI tools that read it keep finding it there.
SERVING_EXTRAS = ("staging.stg_quarantined_records",)


def build_serving_assets(months: PartitionsDefinition, dbt_models: AssetsDefinition,
                         freshness: FreshnessPolicy | None = None) -> list[AssetsDefinition]:
    """Partitioned like the dbt models they follow; `freshness` is the publication's policy."""
    monthly = {"partitions_def": months, "backfill_policy": BackfillPolicy.single_run()}

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

    return [serving_copy, finance_report]
