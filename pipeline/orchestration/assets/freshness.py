"""Freshness: did last night's run land every endpoint and publish the marts?

Two views of the same promise, both failing once the nightly run is overdue:
- a `FreshnessPolicy` on every extraction asset and on `serving/warehouse`: materialized since the daily
  run's start, judged at its deadline. Dagster's freshness daemon evaluates the policies (no runs, no checks
  launched beside the pipeline's own); the sensor `alert_on_overdue_assets`
  (pipeline.orchestration.sensors) posts an asset that turns FAIL to the webhook;
- `dbt source freshness` on every API source table: when the stalest configured connection last landed it
  (raw._landings, so a connection that keeps failing goes stale even while the others land), run by the
  `source_freshness` schedule at the deadline, under the warehouse's lock like every other reader of it.

A failed check reaches PIPELINE_ALERT_WEBHOOK through the alert sensors (pipeline.orchestration.alerts).
"""

from collections.abc import Iterator
from datetime import timedelta

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetSelection,
    DefaultScheduleStatus,
    FreshnessPolicy,
    ScheduleDefinition,
    define_asset_job,
    multi_asset_check,
)
from dagster._utils.schedules import get_smallest_cron_interval

from pipeline.orchestration.assets.dbt_graph import DbtGraph
from pipeline.orchestration.assets.resources import PipelineSettings, say, warehouse_of

SOURCE_FRESHNESS_CHECK = "extracted_within_26_hours"
# The nightly run starts at DAILY_CRON and is expected done this many hours later.
EXPECTED_WITHIN = timedelta(hours=4)


def deadline_cron(daily_cron: str) -> str:
    """The daily cron moved EXPECTED_WITHIN later ("0 2 * * *" -> "0 6 * * *")."""
    minute, hour, *rest = daily_cron.split()
    if not (minute.isdigit() and hour.isdigit()):
        return daily_cron  # a test's "* * * * *": judged at every tick
    later = (int(hour) + EXPECTED_WITHIN.seconds // 3600) % 24
    return " ".join([minute, str(later), *rest])


def nightly_freshness(daily_cron: str, timezone: str) -> FreshnessPolicy:
    """Materialized since an hour before the daily run started, judged at its deadline (a cron that ticks
    more often than that, as in a test, bounds the window by its own interval)."""
    deadline = deadline_cron(daily_cron)
    window = min(EXPECTED_WITHIN + timedelta(hours=1), get_smallest_cron_interval(deadline))
    return FreshnessPolicy.cron(deadline_cron=deadline, lower_bound_delta=window, timezone=timezone)


def source_freshness_check(graph: DbtGraph) -> AssetChecksDefinition:
    """`dbt source freshness` as one check per API source table, on its load asset."""
    sources = {unique_id: graph.key(unique_id) for unique_id, node in graph.manifest["sources"].items()
               if (node.get("freshness") or {}).get("error_after", {}).get("count")}

    @multi_asset_check(
        name="dbt_source_freshness",
        specs=[AssetCheckSpec(SOURCE_FRESHNESS_CHECK, asset=key, description=(
            "dbt source freshness: every configured connection landed this table within 26 hours (a re-extraction "
            "that changed nothing counts; a connection whose extraction keeps failing does not)."))
            for key in sources.values()],
        can_subset=True,
    )
    def dbt_source_freshness(context: AssetCheckExecutionContext, pipeline: PipelineSettings) -> Iterator:
        settings = pipeline.load()
        warehouse = warehouse_of(settings)
        result = warehouse.run_dbt("source freshness", data_dir=settings.data_dir,
                                   on_wait=lambda text: say(context, text))
        seen = {node.unique_id: node for node in result.nodes}
        for unique_id, key in sources.items():
            if key not in {check.asset_key for check in context.selected_asset_check_keys}:
                continue
            node = seen.get(unique_id)
            metadata = {"age_hours": round(node.age_s / 3600, 2) if node and node.age_s is not None else -1.0}
            yield AssetCheckResult(
                asset_key=key, check_name=SOURCE_FRESHNESS_CHECK, passed=bool(node and node.status == "pass"),
                severity=AssetCheckSeverity.ERROR, metadata=metadata,
                description=None if node else f"dbt source freshness did not report it: {result.error or 'no result'}")

    return dbt_source_freshness


def source_freshness_schedule(check: AssetChecksDefinition, daily_cron: str, timezone: str) -> ScheduleDefinition:
    job = define_asset_job("source_freshness_job", selection=AssetSelection.checks(check),
                           description="dbt source freshness of every API source table.")
    return ScheduleDefinition(name="source_freshness", job=job, cron_schedule=deadline_cron(daily_cron),
                              execution_timezone=timezone, default_status=DefaultScheduleStatus.RUNNING)

