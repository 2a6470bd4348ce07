"""The one Dagster Definitions object: assets, checks, resources, jobs and schedules.

`dagster dev -w workspace.yaml` loads `defs` from here; `pipeline run` builds the same definitions and
materializes them in-process.
"""

from __future__ import annotations

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

from pipeline.assets.dbt import build_dbt_assets, dbt_resource
from pipeline.assets.extraction import MONTH_FORMAT, build_extraction_assets
from pipeline.assets.resources import AS_OF_TAG, END_TAG, PipelineSettings
from pipeline.config import Settings, load_settings

# Single-run backfills and pools are what this design needs; Dagster marks them beta.
warnings.filterwarnings("ignore", category=BetaWarning)

DAILY_CRON = "0 2 * * *"
SERPI_CRON = "*/5 * * * *"  # SERPI asks for at most one consumption every 5 minutes


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


def build_definitions(settings: Settings) -> Definitions:
    extraction = build_extraction_assets(settings)
    dbt = build_dbt_assets()

    everything = define_asset_job("daily_job", selection=AssetSelection.all(),
                                  description="Every source, every load, dbt build, serving copy.")
    serpi = define_asset_job("serpi_job", selection=AssetSelection.groups("serpi").downstream(),
                             description="SERPI journal refresh (current month).")

    @schedule(job=everything, cron_schedule=DAILY_CRON, execution_timezone=settings.timezone,
              default_status=DefaultScheduleStatus.RUNNING)
    def daily(context: ScheduleEvaluationContext) -> RunRequest:
        end = context.scheduled_execution_time.date()
        return RunRequest(tags=range_tags(settings, lookback_start(settings, end), end, end))

    @schedule(job=serpi, cron_schedule=SERPI_CRON, execution_timezone=settings.timezone,
              default_status=DefaultScheduleStatus.STOPPED)
    def serpi_frequent(context: ScheduleEvaluationContext) -> RunRequest:
        end = context.scheduled_execution_time.date()
        return RunRequest(tags=range_tags(settings, end, end, end))

    schedules: list[ScheduleDefinition] = [daily, serpi_frequent]
    return Definitions(
        assets=[*extraction, *dbt],
        jobs=[everything, serpi],
        schedules=schedules,
        resources={"pipeline": PipelineSettings(), "dbt": dbt_resource()},
    )


defs = build_definitions(load_settings())
