"""Freshness: did last night's run land every endpoint and publish the marts?

Two views of the same promise, both failing (severity ERROR) once the nightly run is overdue:
- Dagster's last-update checks on every extraction asset and on `serving/warehouse`: materialized since the
  daily run's start, judged at its deadline (a sensor evaluates them);
- `dbt source freshness` on every API source table: when the stalest configured connection last landed it
  (raw._landings, so a connection that keeps failing goes stale even while the others land), run by the
  `freshness` schedule at the deadline.

A failed check reaches PIPELINE_ALERT_WEBHOOK through the alert sensors (pipeline.alerts).
"""


import warnings
from collections.abc import Iterator
from datetime import timedelta

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    ScheduleDefinition,
    SensorDefinition,
    build_last_update_freshness_checks,
    build_sensor_for_freshness_checks,
    define_asset_job,
    multi_asset_check,
)

from pipeline import dbt_runner
from pipeline.assets.dbt_graph import DbtGraph
from pipeline.assets.resources import PipelineSettings, warehouse_of

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


def last_update_checks(keys: list[AssetKey], daily_cron: str, timezone: str
                       ) -> tuple[list[AssetChecksDefinition], SensorDefinition]:
    with warnings.catch_warnings():  # "superseded" by FreshnessPolicy, which the daemon evaluates without checks
        warnings.simplefilter("ignore")
        checks = build_last_update_freshness_checks(
            assets=keys, lower_bound_delta=EXPECTED_WITHIN + timedelta(hours=1),
            deadline_cron=deadline_cron(daily_cron), timezone=timezone, severity=AssetCheckSeverity.ERROR)
        sensor = build_sensor_for_freshness_checks(freshness_checks=checks, name="freshness_checks_sensor",
                                                   default_status=DefaultSensorStatus.RUNNING)
    return list(checks), sensor


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
        target = dbt_runner.target_dir(settings.data_dir, f"{warehouse.engine}:{warehouse.describe()}")
        result = dbt_runner.invoke("source freshness", env=warehouse.dbt_environment(), target=target,
                                   log_dir=settings.data_dir / "logs")
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

