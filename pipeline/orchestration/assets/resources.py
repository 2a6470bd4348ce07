"""Dagster resources and run parameters shared by every asset.

Secrets never pass through here: the connections file names environment variables and `load_settings`
reads them at execution time, so nothing secret reaches run config, tags or the UI.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

from dagster import ConfigurableResource

from pipeline.config import Settings
from pipeline.sources import load_settings
from pipeline.warehouse import Warehouse, open_warehouse

# A run says which window it extracts and which date it values snapshots and receivables at through tags,
# so schedules, backfills from the UI and `pipeline run` all pass them the same way.
END_TAG = "pipeline/end"
AS_OF_TAG = "pipeline/as_of"


class PipelineSettings(ConfigurableResource):
    """The connections file (PIPELINE_CONNECTIONS, else the shipped demo) and the paths it implies."""

    connections_file: str | None = None

    def load(self) -> Settings:
        return load_settings(Path(self.connections_file) if self.connections_file else None)


def warehouse_of(settings: Settings) -> Warehouse:
    return open_warehouse(settings.warehouse, settings.serving)


def run_dates(tags: dict[str, str], settings: Settings) -> tuple[date, date]:
    """The run's window end and as-of date: from its tags, else today in the file's timezone."""
    today = settings.today()
    end = date.fromisoformat(tags[END_TAG]) if tags.get(END_TAG) else today
    as_of = date.fromisoformat(tags[AS_OF_TAG]) if tags.get(AS_OF_TAG) else end
    return end, as_of


class ProgressListener(Protocol):
    def partition_progress(self, asset: str, tenant: str, partition: str, pages: int, records: int) -> None: ...

    def partition_done(self, asset: str, tenant: str, partition: str, pages: int, records: int) -> None: ...

    def note(self, text: str) -> None: ...


_listener: ProgressListener | None = None


def attach_listener(listener: ProgressListener | None) -> None:
    """`pipeline run` attaches a terminal listener before its in-process run; under `dagster dev` there is
    none and the UI shows the materializations instead."""
    global _listener
    _listener = listener


def current_listener() -> ProgressListener | None:
    return _listener


def say(context, text: str) -> None:
    """A line for the run's log and, under `pipeline run`, for the terminal."""
    context.log.info(text)
    if _listener is not None:
        _listener.note(text)
