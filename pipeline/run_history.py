"""Every `pipeline run` in the Dagster UI's history, at a cost that does not dominate the run.

The run executes on an in-memory instance; when it ends, its run record, snapshots and events are copied into
DAGSTER_HOME's instance. Measured here (bench/results), Dagster's SQLite event log writes each event in its
own transactions: about 15 ms an event, 8 s of a 16 s rerun that changed nothing. Copied afterwards, all of a
run's events go in one transaction per database file: about 2 ms an event. What it gives up: the UI shows the
run once it has ended, not while it runs, and a run killed with SIGKILL is not recorded (its pages and marts
are handled as any killed run's). A PostgreSQL-backed instance (deploy/dagster.yaml) keeps its connections
open and needs no such help; runs launched by the daemon or the UI are recorded live, as always.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from dagster import DagsterInstance
from dagster._core.debug import DebugRunPayload
from dagster._core.events import EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._time import datetime_from_timestamp
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from pipeline.instance import INSTANCE_SETTINGS


def run_instance() -> DagsterInstance:
    """Where `pipeline run` executes: in memory, with the settings of DAGSTER_HOME's dagster.yaml that matter
    while running (the extractor's log lines captured into the run's log)."""
    return DagsterInstance.ephemeral(settings=INSTANCE_SETTINGS)


def record_run(source: DagsterInstance, run_id: str, target: DagsterInstance) -> None:
    """Copy one finished run (record, job and plan snapshots, events) from `source` into `target`."""
    run = source.get_run_by_id(run_id)
    if run is None or target.has_run(run_id):
        return
    payload = DebugRunPayload.build(source, run)
    if run.execution_plan_snapshot_id and not target.has_snapshot(run.execution_plan_snapshot_id):
        target.add_snapshot(payload.execution_plan_snapshot)
    if run.job_snapshot_id and not target.has_snapshot(run.job_snapshot_id):
        target.add_snapshot(payload.job_snapshot)
    target.add_run(run)
    _store_events(target, payload.event_list)
    for event in payload.event_list:  # start and end times, as live runs get them
        if event.dagster_event and event.dagster_event.event_type in EVENT_TYPE_TO_PIPELINE_RUN_STATUS:
            target.run_storage.handle_run_event(run_id, event.dagster_event, datetime_from_timestamp(event.timestamp))


def _store_events(target: DagsterInstance, events: Sequence[EventLogEntry]) -> None:
    storage = target.event_log_storage
    batch = _one_transaction_per_shard(storage) if type(storage) is SqliteEventLogStorage else contextlib.nullcontext()
    with batch:
        for event in events:
            storage.store_event(event)


@contextlib.contextmanager
def _one_transaction_per_shard(storage: SqliteEventLogStorage) -> Iterator[None]:
    """Inside, every write of `storage` goes through one connection per database file (the run's, the index),
    each in one transaction committed at the end. Replaces the storage's `_connect`, which opens, commits and
    disposes an engine per statement; pinned to the Dagster minor version in pyproject.toml."""
    connections = {}
    with contextlib.ExitStack() as stack:

        @contextlib.contextmanager
        def shared(shard: str) -> Iterator:
            if shard not in connections:
                engine = create_engine(storage.conn_string_for_shard(shard), poolclass=NullPool,
                                       connect_args={"timeout": 30})
                if shard not in storage._initialized_dbs:
                    storage._initdb(engine)
                    storage._initialized_dbs.add(shard)
                connection = stack.enter_context(engine.connect())
                stack.enter_context(connection.begin())
                connections[shard] = connection
            yield connections[shard]

        storage._connect = shared  # type: ignore[method-assign]
        try:
            yield
        finally:
            del storage._connect
