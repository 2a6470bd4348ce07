"""The one Dagster Definitions object: assets, checks, resources, jobs and schedules.

`build_definitions(settings)` is what `pipeline run` materializes in-process;
`pipeline.orchestration.code_location` holds the `defs` that `dagster dev -w workspace.yaml` and the daemon
load.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta

from dagster import (
    AssetSelection,
    BetaWarning,
    DefaultScheduleStatus,
    Definitions,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipeline.config import Settings
from pipeline.extract.model import Source
from pipeline.orchestration.assets.dbt import build_dbt_assets
from pipeline.orchestration.assets.dbt_manifest import dbt_graph
from pipeline.orchestration.assets.extraction import MONTH_FORMAT, build_extraction_assets, monthly_partitions
from pipeline.orchestration.assets.freshness import (
    nightly_freshness,
    source_freshness_check,
    source_freshness_schedule,
)
from pipeline.orchestration.assets.resources import AS_OF_TAG, END_TAG, PipelineSettings
from pipeline.orchestration.assets.serving import SERVING_KEY, build_serving_assets
from pipeline.orchestration.executors import executor_from_environment
from pipeline.orchestration.sensors import (
    alert_on_failed_checks,
    alert_on_overdue_assets,
    alert_on_run_failure,
)
from pipeline.sources import SOURCES

# Single-run backfills and pools are what this design needs; Dagster marks them beta.
warnings.filterwarnings("ignore", category=BetaWarning)

DAILY_JOB = "daily_job"
# When the nightly run starts, in the connections file's timezone; PIPELINE_DAILY_CRON overrides it.
DAILY_CRON = "0 2 * * *"


def daily_cron() -> str:
    return os.environ.get("PIPELINE_DAILY_CRON", "").strip() or DAILY_CRON


def range_tags(settings: Settings, start, end, as_of) -> dict[str, str]:
    """Tags for one run over the months from `start` to `end` (single-run backfill of every windowed asset)."""
    return {
        ASSET_PARTITION_RANGE_START_TAG: max(start, settings.start_date).strftime(MONTH_FORMAT),
        ASSET_PARTITION_RANGE_END_TAG: end.strftime(MONTH_FORMAT),
        END_TAG: end.isoformat(),
        AS_OF_TAG: as_of.isoformat(),
    }


def lookback_start(settings: Settings, end):
    """Every run re-extracts the months that overlap the look-back (SmartPyme sales change late; so do
    Troyansys payments), so the nightly run keeps the recent past fresh."""
    days = max((c.lookback_days for c in settings.connections), default=30)
    return end - timedelta(days=days)


def _refresh_schedule(settings: Settings, source: Source) -> ScheduleDefinition:
    """A source's own cadence (its description's `refresh`): its group and what is downstream, current month."""
    assert source.refresh is not None
    job = define_asset_job(f"{source.name}_job", selection=AssetSelection.groups(source.name).downstream(),
                           description=source.refresh.description)

    @schedule(name=f"{source.name}_frequent", job=job, cron_schedule=source.refresh.cron,
              execution_timezone=settings.timezone, default_status=DefaultScheduleStatus.STOPPED)
    def frequent(context: ScheduleEvaluationContext) -> RunRequest:
        end = context.scheduled_execution_time.date()
        return RunRequest(tags=range_tags(settings, end, end, end))

    return frequent


def build_definitions(settings: Settings, sources: dict[str, Source] = SOURCES) -> Definitions:
    cron = daily_cron()
    freshness = nightly_freshness(cron, settings.timezone)
    extraction = build_extraction_assets(settings, sources, freshness)
    months = monthly_partitions(settings)
    dbt_models = build_dbt_assets(months)
    serving = build_serving_assets(months, dbt_models, freshness)

    used = {c.source for c in settings.connections}
    refreshes = [_refresh_schedule(settings, s) for s in sources.values() if s.refresh and s.name in used]
    watched = [a.key for a in extraction if a.key.path[0] != "raw"] + [SERVING_KEY]
    source_freshness = source_freshness_check(dbt_graph())
    source_schedule = source_freshness_schedule(source_freshness, cron, settings.timezone)

    # Freshness is judged at the deadline, by its own schedule, not by the run it judges.
    everything = define_asset_job(DAILY_JOB, selection=AssetSelection.all() - AssetSelection.checks(source_freshness),
                                  description="Every source, every load, dbt build, publication.")

    @schedule(job=everything, cron_schedule=cron, execution_timezone=settings.timezone,
              default_status=DefaultScheduleStatus.RUNNING)
    def daily(context: ScheduleEvaluationContext) -> RunRequest:
        end = context.scheduled_execution_time.date()
        return RunRequest(tags=range_tags(settings, lookback_start(settings, end), end, end))

    return Definitions(
        assets=[*extraction, dbt_models, *serving],
        asset_checks=[source_freshness],
        jobs=[everything, source_schedule.job, *(s.job for s in refreshes)],
        schedules=[daily, source_schedule, *refreshes],
        sensors=[alert_on_overdue_assets(watched), alert_on_run_failure, alert_on_failed_checks],
        resources={"pipeline": PipelineSettings()},
        executor=executor_from_environment(),
    )
